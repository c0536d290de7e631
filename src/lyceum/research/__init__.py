"""Lyceum research."""
