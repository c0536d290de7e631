"""Lyceum lab."""
