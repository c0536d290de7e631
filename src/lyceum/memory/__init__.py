"""Lyceum memory."""
