"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from lyceum.store import (
    evolve_tables,  # noqa: F401
    lab_tables,  # noqa: F401
    research_tables,  # noqa: F401
    retrieval_tables,  # noqa: F401
    server_tables,  # noqa: F401
    tables,  # noqa: F401
)
