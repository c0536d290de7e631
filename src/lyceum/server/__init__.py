"""Lyceum server."""
