"""The call log: writing one record per model call, and reading them back."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import IO, Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import case, func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from lyceum.errors import LyceumError
from lyceum.store.base import new_id
from lyceum.store.db import Database
from lyceum.store.tables import CallRow, RunRow

UNREGISTERED_RUN_KIND = "unregistered"
"""Kind of a run row the call log creates for a run id no `Runs.create` registered."""


class CallLogError(LyceumError):
    """A call record could not be written to the database."""


class CallRecord(BaseModel):
    """One row of the call log, as other modules and the API see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    run_id: str | None
    caller: str
    backend: str
    model: str
    messages: list[dict[str, Any]]
    params: dict[str, Any]
    output: str
    tool_calls: list[dict[str, Any]]
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    cost_usd: float
    cache_hit: str
    error: str | None
    error_type: str | None
    attempts: int
    streamed: bool
    created_at: datetime


class CallFilter(BaseModel):
    run_id: str | None = None
    caller: str | None = None
    backend: str | None = None
    model: str | None = None
    errors_only: bool = False
    cache_hits_only: bool = False
    since: datetime | None = None
    limit: int | None = 50
    offset: int = 0


class UsageSummary(BaseModel):
    calls: int = 0
    errors: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0


class CallLog:
    """Writes are one committed transaction per call, so a killed process loses nothing
    that had returned to its caller."""

    def __init__(self, db: Database, *, record_prompts: bool = True) -> None:
        self._db = db
        self.record_prompts = record_prompts

    def write(self, **fields: Any) -> str:
        """Insert one call record and return its id; raises `CallLogError` if the store fails.

        A `run_id` with no row in `runs` gets one (kind "unregistered") rather than
        failing the foreign key: the record of a call that happened matters more than
        whether its run was registered first, and `Runs.create` adopts the row later.
        """
        call_id = fields.pop("id", None) or new_id()
        if not self.record_prompts:
            fields["messages"] = []
            fields["output"] = ""
        try:
            try:
                self._insert(call_id, fields)
            except IntegrityError:
                run_id = fields.get("run_id")
                if run_id is None:
                    raise
                # Most likely the foreign key: no such run yet. Register it and try again;
                # checking first instead would cost every call a query.
                self._ensure_run(run_id)
                self._insert(call_id, fields)
        except SQLAlchemyError as exc:
            raise CallLogError(
                f"could not write call record {call_id} to {self._db.url}: {exc}",
                hint="Check that the database is reachable and migrated (store.url in lyceum.toml).",
            ) from exc
        return call_id

    def _insert(self, call_id: str, fields: dict[str, Any]) -> None:
        # A Core insert, not session.add: the ORM's unit of work costs several times the
        # insert itself, and this runs once per model call (the gateway's overhead budget).
        with self._db.engine.begin() as conn:
            conn.execute(insert(CallRow), {"id": call_id, **fields})

    def _ensure_run(self, run_id: str) -> None:
        try:
            with self._db.session() as session:
                if session.get(RunRow, run_id) is None:
                    session.add(
                        RunRow(id=run_id, kind=UNREGISTERED_RUN_KIND, status="unknown", name="")
                    )
        except IntegrityError:
            # A concurrent writer registered it first; the retried insert will tell.
            return

    def _query(self, f: CallFilter) -> Any:
        q = select(CallRow)
        for column, value in (
            (CallRow.run_id, f.run_id),
            (CallRow.caller, f.caller),
            (CallRow.backend, f.backend),
            (CallRow.model, f.model),
        ):
            if value is not None:
                q = q.where(column == value)
        if f.errors_only:
            q = q.where(CallRow.error.is_not(None))
        if f.cache_hits_only:
            q = q.where(CallRow.cache_hit != "")
        if f.since is not None:
            q = q.where(CallRow.created_at >= f.since)
        return q

    def list(self, f: CallFilter | None = None) -> list[CallRecord]:
        f = f or CallFilter()
        q = self._query(f).order_by(CallRow.created_at.desc()).offset(f.offset)
        if f.limit is not None:
            q = q.limit(f.limit)
        with self._db.session() as session:
            return [CallRecord.model_validate(r) for r in session.scalars(q)]

    def iter_all(self, f: CallFilter | None = None, batch: int = 500) -> Iterator[CallRecord]:
        """Every matching call, oldest first, read in batches."""
        f = (f or CallFilter()).model_copy(update={"limit": None})
        q = self._query(f).order_by(CallRow.created_at, CallRow.id)
        with self._db.session() as session:
            for row in session.scalars(q.execution_options(yield_per=batch)):
                yield CallRecord.model_validate(row)

    def get(self, call_id: str) -> CallRecord | None:
        with self._db.session() as session:
            row = session.get(CallRow, call_id)
            return CallRecord.model_validate(row) if row else None

    def summary(self, f: CallFilter | None = None) -> UsageSummary:
        f = (f or CallFilter()).model_copy(update={"limit": None})
        sub = self._query(f).subquery()
        q = select(
            func.count(),
            func.count(sub.c.error),
            func.sum(case((sub.c.cache_hit != "", 1), else_=0)),
            func.coalesce(func.sum(sub.c.prompt_tokens), 0),
            func.coalesce(func.sum(sub.c.completion_tokens), 0),
            func.coalesce(func.sum(sub.c.cost_usd), 0.0),
            func.coalesce(func.sum(sub.c.latency_s), 0.0),
        )
        with self._db.session() as session:
            row = session.execute(q).one()
        return UsageSummary(
            calls=row[0],
            errors=row[1],
            cache_hits=int(row[2] or 0),
            prompt_tokens=int(row[3]),
            completion_tokens=int(row[4]),
            cost_usd=float(row[5]),
            latency_s=float(row[6]),
        )

    def export_jsonl(self, out: IO[str], f: CallFilter | None = None) -> int:
        n = 0
        for record in self.iter_all(f):
            out.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")
            n += 1
        return n


class Runs:
    """The `runs` table: long work that calls are tied to, with checkpointed state."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self,
        kind: str,
        name: str = "",
        config: dict[str, Any] | None = None,
        run_id: str | None = None,
    ) -> str:
        """Register a run; a row the call log made for this id (kind "unregistered") is adopted."""
        run_id = run_id or new_id()
        with self._db.session() as session:
            row = session.get(RunRow, run_id)
            if row is not None and row.kind == UNREGISTERED_RUN_KIND:
                row.kind, row.name, row.config, row.status = kind, name, config or {}, "running"
            else:
                session.add(RunRow(id=run_id, kind=kind, name=name, config=config or {}, state={}))
        return run_id

    def get(self, run_id: str) -> RunRow | None:
        with self._db.session() as session:
            return session.get(RunRow, run_id)

    def save_state(self, run_id: str, state: dict[str, Any], status: str | None = None) -> None:
        with self._db.session() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                raise KeyError(run_id)
            row.state = state
            if status is not None:
                row.status = status

    def set_status(self, run_id: str, status: str) -> None:
        with self._db.session() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                raise KeyError(run_id)
            row.status = status

    def list(self, kind: str | None = None, limit: int = 50) -> Sequence[RunRow]:
        q = select(RunRow).order_by(RunRow.created_at.desc()).limit(limit)
        if kind:
            q = q.where(RunRow.kind == kind)
        with self._db.session() as session:
            return list(session.scalars(q))
