"""Whose jobs and runs a caller may read: its own, or everyone's with an admin key.

A job records the principal that submitted it; a lab or research run is visible through
the job that created it. Someone else's job or run answers 404, like one that does not
exist, so job ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from lyceum.errors import NotFoundError
from lyceum.server.auth import Principal
from lyceum.server.state import ServerState
from lyceum.store.server_tables import JobRow


def job_owner(caller: Principal) -> str | None:
    """The owner filter for `caller`'s job queries (None: every job)."""
    return None if caller.admin else caller.id


def own_run_ids(state: ServerState, caller: Principal) -> set[str] | None:
    """The runs created by `caller`'s jobs (None: every run, for an admin)."""
    if caller.admin:
        return None
    with state.db.session() as session:
        ids = session.scalars(
            select(JobRow.run_id).where(JobRow.owner == caller.id, JobRow.run_id.is_not(None))
        )
        return {i for i in ids if i}


def check_runs(state: ServerState, caller: Principal, run_ids: Iterable[str]) -> None:
    """`NotFoundError` unless every run is one `caller` may read."""
    own = own_run_ids(state, caller)
    if own is None:
        return
    for run_id in run_ids:
        if run_id not in own:
            raise NotFoundError(f"no run {run_id!r}")
