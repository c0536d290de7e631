"""Lyceum: local-first research with language models, and research on them."""

__version__ = "0.1.0"
