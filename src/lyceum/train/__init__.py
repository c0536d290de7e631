"""Lyceum train."""
