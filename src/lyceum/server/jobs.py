"""A durable job queue in the store: research runs and lab runs submitted over HTTP.

Jobs are rows; progress events are rows numbered per job. The queue claims the oldest
queued job while fewer than `concurrency` run, and runs its handler as an asyncio task.
On start, jobs left `running` or `interrupted` by a previous process go back in the
queue; handlers resume the run they had created (its id is on the job), so a restart
continues work instead of repeating it. Cancelling a queued job removes it; cancelling a
running one cancels its task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select, update

from lyceum.errors import LyceumError, NotFoundError
from lyceum.server.schemas import UtcDatetime
from lyceum.store.base import utcnow
from lyceum.store.db import Database
from lyceum.store.server_tables import JobEventRow, JobRow

log = logging.getLogger(__name__)

JobStatus = Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]
TERMINAL: frozenset[str] = frozenset({"done", "failed", "cancelled"})


class JobInfo(BaseModel):
    id: str
    kind: str
    status: JobStatus
    params: dict[str, Any]
    result: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    run_id: str | None = Field(default=None, description="The run this job created.")
    attempts: int = Field(default=0, description="How many times a worker picked it up.")
    created_at: UtcDatetime
    started_at: UtcDatetime | None = None
    finished_at: UtcDatetime | None = None


class JobEvent(BaseModel):
    seq: int
    kind: str
    message: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    created_at: UtcDatetime


def _info(row: JobRow) -> JobInfo:
    return JobInfo(
        id=row.id,
        kind=row.kind,
        status=row.status,  # type: ignore[arg-type]
        params=dict(row.params or {}),
        result=dict(row.result or {}),
        error=row.error,
        run_id=row.run_id,
        attempts=row.attempts,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


@dataclass
class JobContext:
    """What a handler gets: the job's parameters, a way to report progress, and the run id
    of an earlier attempt to resume."""

    queue: JobQueue
    job_id: str
    params: dict[str, Any]
    run_id: str | None
    attempt: int
    extras: dict[str, Any] = field(default_factory=dict)

    def emit(self, kind: str, message: str = "", data: dict[str, Any] | None = None) -> None:
        self.queue.emit(self.job_id, kind, message, data)

    def set_run_id(self, run_id: str) -> None:
        if run_id != self.run_id:
            self.run_id = run_id
            self.queue.set_run_id(self.job_id, run_id)


JobHandler = Callable[[JobContext], Awaitable[dict[str, Any]]]


class JobQueue:
    def __init__(
        self,
        db: Database,
        handlers: dict[str, JobHandler] | None = None,
        *,
        concurrency: int = 1,
        extras: dict[str, Any] | None = None,
    ) -> None:
        self.db = db
        self.handlers: dict[str, JobHandler] = dict(handlers or {})
        self.concurrency = concurrency
        self.extras = extras or {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._wake: asyncio.Event | None = None
        self._changed: asyncio.Event | None = None
        self._dispatcher: asyncio.Task[None] | None = None
        self._stopping = False
        self._seq: dict[str, int] = {}

    # -- submitting and reading -----------------------------------------------------------

    def submit(self, kind: str, params: dict[str, Any], owner: str = "") -> JobInfo:
        if kind not in self.handlers:
            raise LyceumError(f"no handler for job kind {kind!r}")
        with self.db.session() as session:
            row = JobRow(kind=kind, status="queued", params=params, result={}, owner=owner)
            session.add(row)
            session.flush()
            info = _info(row)
        self.emit(info.id, "queued", f"{kind} job queued")
        self._poke()
        return info

    def get(self, job_id: str, kind: str | None = None) -> JobInfo:
        with self.db.session() as session:
            row = session.get(JobRow, job_id)
            if row is None or (kind is not None and row.kind != kind):
                raise NotFoundError(f"no {kind or ''} job {job_id!r}".replace("  ", " "))
            return _info(row)

    def list_jobs(
        self, kind: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[JobInfo]:
        q = select(JobRow).order_by(JobRow.created_at.desc(), JobRow.id).offset(offset).limit(limit)
        if kind:
            q = q.where(JobRow.kind == kind)
        if status:
            q = q.where(JobRow.status == status)
        with self.db.session() as session:
            return [_info(r) for r in session.scalars(q)]

    def events(self, job_id: str, after: int = 0, limit: int = 1000) -> list[JobEvent]:
        q = (
            select(JobEventRow)
            .where(JobEventRow.job_id == job_id, JobEventRow.seq > after)
            .order_by(JobEventRow.seq)
            .limit(limit)
        )
        with self.db.session() as session:
            return [
                JobEvent(
                    seq=r.seq, kind=r.kind, message=r.message, data=r.data, created_at=r.created_at
                )
                for r in session.scalars(q)
            ]

    async def stream(
        self, job_id: str, after: int = 0, poll_s: float = 1.0
    ) -> AsyncIterator[JobEvent]:
        """Events after `after`, as they come, until the job has finished."""
        self.get(job_id)
        last = after
        while True:
            changed = self._changed_event()
            # Status first: a job emits its last event before it is marked finished, so a
            # finished status means every event is already readable.
            finished = self.get(job_id).status in TERMINAL
            batch = self.events(job_id, last)
            for event in batch:
                last = event.seq
                yield event
            if batch:
                continue
            if finished:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), poll_s)

    # -- progress ------------------------------------------------------------------------

    def emit(
        self, job_id: str, kind: str, message: str = "", data: dict[str, Any] | None = None
    ) -> None:
        with self.db.session() as session:
            seq = self._seq.get(job_id)
            if seq is None:
                seq = session.scalar(
                    select(func.coalesce(func.max(JobEventRow.seq), 0)).where(
                        JobEventRow.job_id == job_id
                    )
                )
            seq = int(seq or 0) + 1
            self._seq[job_id] = seq
            session.add(
                JobEventRow(job_id=job_id, seq=seq, kind=kind, message=message, data=data or {})
            )
        self._notify()

    def set_run_id(self, job_id: str, run_id: str) -> None:
        with self.db.session() as session:
            session.execute(update(JobRow).where(JobRow.id == job_id).values(run_id=run_id))

    # -- cancelling -----------------------------------------------------------------------

    async def cancel(self, job_id: str) -> JobInfo:
        info = self.get(job_id)
        if info.status in TERMINAL:
            return info
        if info.status in ("queued", "interrupted"):
            self.emit(job_id, "cancelled", "cancelled before it started")
        with self.db.session() as session:
            row = session.get(JobRow, job_id)
            assert row is not None
            row.cancel_requested = True
            if row.status in ("queued", "interrupted"):
                row.status = "cancelled"
                row.finished_at = utcnow()
        task = self._tasks.get(job_id)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        return self.get(job_id)

    # -- running --------------------------------------------------------------------------

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def start(self) -> int:
        """Re-queue jobs a previous process left running, then start dispatching.
        Returns how many jobs were re-queued."""
        self._stopping = False
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()
        with self.db.session() as session:
            stale = list(
                session.scalars(select(JobRow).where(JobRow.status.in_(("running", "interrupted"))))
            )
            for row in stale:
                row.status = "queued"
        for row in stale:
            self.emit(row.id, "requeued", "picked up again after a restart")
        self._dispatcher = asyncio.create_task(self._dispatch(), name="lyceum-job-dispatcher")
        self._poke()
        return len(stale)

    async def stop(self) -> None:
        """Stop dispatching; running jobs are interrupted and resume at the next start."""
        self._stopping = True
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            await asyncio.gather(self._dispatcher, return_exceptions=True)
            self._dispatcher = None
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def wait_idle(self, timeout_s: float = 30.0) -> None:
        """Until no job is queued or running here (tests and shutdown)."""
        async with asyncio.timeout(timeout_s):
            while True:
                if not self._tasks and not self.list_jobs(status="queued", limit=1):
                    return
                await asyncio.sleep(0.02)

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _changed_event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def _notify(self) -> None:
        old = self._changed
        self._changed = asyncio.Event()
        if old is not None:
            old.set()

    async def _dispatch(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            while len(self._tasks) < self.concurrency:
                job = self._claim()
                if job is None:
                    break
                task = asyncio.create_task(self._run(job), name=f"lyceum-job-{job.id}")
                self._tasks[job.id] = task
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0)

    def _claim(self) -> JobInfo | None:
        with self.db.session() as session:
            candidates = session.scalars(
                select(JobRow)
                .where(JobRow.status == "queued", JobRow.kind.in_(list(self.handlers)))
                .order_by(JobRow.created_at, JobRow.id)
                .limit(5)
            ).all()
            for row in candidates:
                # Conditional update: another process may have claimed it first.
                claimed = session.execute(  # type: ignore[attr-defined]
                    update(JobRow)
                    .where(JobRow.id == row.id, JobRow.status == "queued")
                    .values(
                        status="running",
                        started_at=utcnow(),
                        attempts=JobRow.attempts + 1,
                    )
                ).rowcount
                if claimed:
                    session.flush()
                    session.refresh(row)
                    return _info(row)
        return None

    async def _run(self, job: JobInfo) -> None:
        ctx = JobContext(
            queue=self,
            job_id=job.id,
            params=job.params,
            run_id=job.run_id,
            attempt=job.attempts,
            extras=self.extras,
        )
        self.emit(job.id, "started", f"attempt {job.attempts}", {"attempt": job.attempts})
        try:
            result = await self.handlers[job.kind](ctx)
        except asyncio.CancelledError:
            if self._cancel_requested(job.id):
                self.emit(job.id, "cancelled", "cancelled by request")
                self._finish(job.id, "cancelled", error="cancelled by request")
            else:
                self.emit(job.id, "interrupted", "server stopped; the job resumes on restart")
                self._finish(job.id, "interrupted", error=None, terminal=False)
        except LyceumError as exc:
            self.emit(job.id, "failed", str(exc))
            self._finish(job.id, "failed", error=f"{exc}" + (f" ({exc.hint})" if exc.hint else ""))
        except Exception as exc:
            log.exception("job %s (%s) crashed", job.id, job.kind)
            self.emit(job.id, "failed", f"{type(exc).__name__}: {exc}")
            self._finish(job.id, "failed", error=f"{type(exc).__name__}: {exc}")
        else:
            self.emit(job.id, "finished", "done", {"result": result})
            self._finish(job.id, "done", result=result)
        finally:
            self._tasks.pop(job.id, None)
            self._seq.pop(job.id, None)
            self._poke()

    def _cancel_requested(self, job_id: str) -> bool:
        with self.db.session() as session:
            row = session.get(JobRow, job_id)
            return bool(row and row.cancel_requested)

    def _finish(
        self,
        job_id: str,
        status: str,
        *,
        error: str | None = None,
        result: dict[str, Any] | None = None,
        terminal: bool = True,
    ) -> None:
        with self.db.session() as session:
            row = session.get(JobRow, job_id)
            if row is None:
                return
            row.status = status
            row.error = error
            if result is not None:
                row.result = result
            row.finished_at = utcnow() if terminal else None
