"""Lyceum retrieval."""
