"""Lyceum sources."""
