"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from lyceum.store import tables  # noqa: F401
from lyceum.store import retrieval_tables  # noqa: F401
from lyceum.store import lab_tables  # noqa: F401
from lyceum.store import research_tables  # noqa: F401
from lyceum.store import server_tables  # noqa: F401
from lyceum.store import evolve_tables  # noqa: F401
