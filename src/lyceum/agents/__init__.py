"""Lyceum agents."""
