"""Lyceum evolve."""
