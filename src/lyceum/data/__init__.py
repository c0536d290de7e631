"""Lyceum data."""
