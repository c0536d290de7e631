"""A durable job queue in the store: research runs and lab runs submitted over HTTP.

Jobs are rows; progress events are rows numbered per job. The queue claims the oldest
queued job while fewer than `concurrency` run, and runs its handler as an asyncio task.

Several servers may share one store. Claiming is a conditional UPDATE (`WHERE status =
'queued'`), so one job goes to one server. The server running a job holds a lease on it
(`lease_owner`, `lease_expires_at`) and renews it with a heartbeat every third of the
lease. A `running` job goes back in the queue only when its lease has lapsed — its server
was killed or hung — or when the lease belongs to an earlier process of this same
configured instance; `interrupted` jobs (their server stopped cleanly) go back at once.
Handlers resume the run they had created (its id is on the job), so a restart continues
work instead of repeating it. A job whose server died under it `max_attempts` times (it
may be what kills the server: a native abort, memory) is failed with that reason instead.
A server that finds its lease taken over stops its copy without writing the job's outcome. Cancelling a queued job removes it; cancelling a
running one cancels its task, here or, through `cancel_requested`, at the next heartbeat
of the server running it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_, case, func, or_, select, update

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
    crashes: int = Field(default=0, description="Times the server running it died mid-run.")
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
        crashes=row.crashes or 0,
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


def new_worker_id(instance: str | None = None) -> str:
    """`<instance>/<random>`: who holds a lease. The instance part defaults to host and
    process id; a configured instance name lets a restarted server recognise its own
    earlier leases."""
    return f"{instance or f'{socket.gethostname()}:{os.getpid()}'}/{uuid.uuid4().hex[:12]}"


class JobQueue:
    def __init__(
        self,
        db: Database,
        handlers: dict[str, JobHandler] | None = None,
        *,
        concurrency: int = 1,
        extras: dict[str, Any] | None = None,
        lease_s: float = 30.0,
        instance: str | None = None,
        max_attempts: int = 3,
    ) -> None:
        if lease_s <= 0:
            raise LyceumError(f"job lease must be positive, got {lease_s} s")
        if max_attempts < 1:
            raise LyceumError(f"max_attempts must be at least 1, got {max_attempts}")
        self.max_attempts = max_attempts
        self.db = db
        self.handlers: dict[str, JobHandler] = dict(handlers or {})
        self.concurrency = concurrency
        self.extras = extras or {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._wake: asyncio.Event | None = None
        self._changed: asyncio.Event | None = None
        self._dispatcher: asyncio.Task[None] | None = None
        self._stopping = False
        self.lease = timedelta(seconds=lease_s)
        self.instance = instance
        self.worker_id = new_worker_id(instance)
        self._heartbeat: asyncio.Task[None] | None = None
        self._lost: set[str] = set()

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

    def get(self, job_id: str, kind: str | None = None, owner: str | None = None) -> JobInfo:
        """The job; with `owner`, only if that principal submitted it (else, as for a job
        that does not exist, `NotFoundError`: another key's job ids are not confirmed)."""
        with self.db.session() as session:
            row = session.get(JobRow, job_id)
            if (
                row is None
                or (kind is not None and row.kind != kind)
                or (owner is not None and row.owner != owner)
            ):
                raise NotFoundError(f"no {kind or ''} job {job_id!r}".replace("  ", " "))
            return _info(row)

    def list_jobs(
        self,
        kind: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
        owner: str | None = None,
    ) -> list[JobInfo]:
        q = select(JobRow).order_by(JobRow.created_at.desc(), JobRow.id).offset(offset).limit(limit)
        if kind:
            q = q.where(JobRow.kind == kind)
        if owner is not None:
            q = q.where(JobRow.owner == owner)
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
        # No per-process counter: another server sharing the store may have written
        # events of this job (its requeue, a cancel) since this one last did.
        with self.db.session() as session:
            seq = session.scalar(
                select(func.coalesce(func.max(JobEventRow.seq), 0)).where(
                    JobEventRow.job_id == job_id
                )
            )
            seq = int(seq or 0) + 1
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
        with self.db.session() as session:
            session.execute(update(JobRow).where(JobRow.id == job_id).values(cancel_requested=True))
            # Conditional: a server may claim the job between the read above and here.
            unstarted = session.execute(  # type: ignore[attr-defined]
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.status.in_(("queued", "interrupted")))
                .values(status="cancelled", finished_at=utcnow(), error="cancelled by request")
            ).rowcount
        if unstarted:
            self.emit(job_id, "cancelled", "cancelled before it started")
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
        """Re-queue jobs nobody is working on any more — interrupted ones, and running ones
        whose lease lapsed or belongs to an earlier process of this instance — then start
        dispatching and renewing leases. Returns how many jobs were re-queued."""
        self._stopping = False
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()
        requeued = self._recover(previous_incarnation=True)
        self._dispatcher = asyncio.create_task(self._dispatch(), name="lyceum-job-dispatcher")
        self._heartbeat = asyncio.create_task(self._beat(), name="lyceum-job-heartbeat")
        self._poke()
        return requeued

    async def stop(self) -> None:
        """Stop dispatching; running jobs are interrupted and resume at the next start
        (of this server or another on the same store)."""
        self._stopping = True
        for background in (self._dispatcher, self._heartbeat):
            if background is not None:
                background.cancel()
                await asyncio.gather(background, return_exceptions=True)
        self._dispatcher = self._heartbeat = None
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _abandoned(self, now: datetime, previous_incarnation: bool) -> ColumnElement[bool]:
        """Jobs no live server is working on."""
        lapsed = or_(JobRow.lease_expires_at.is_(None), JobRow.lease_expires_at < now)
        if previous_incarnation and self.instance:
            lapsed = or_(
                lapsed,
                and_(
                    JobRow.lease_owner.startswith(f"{self.instance}/", autoescape=True),
                    JobRow.lease_owner != self.worker_id,
                ),
            )
        return or_(JobRow.status == "interrupted", and_(JobRow.status == "running", lapsed))

    def _recover(self, previous_incarnation: bool = False) -> int:
        now = utcnow()
        abandoned = self._abandoned(now, previous_incarnation)
        with self.db.session() as session:
            ids = list(session.scalars(select(JobRow.id).where(abandoned)))
        requeued: list[str] = []
        failed: list[str] = []
        # A job found `running` lost its server mid-run (killed, out of memory, a native
        # abort); one that does that every time must not take every restart down too.
        crashed = JobRow.status == "running"
        reason = (
            f"the server running this job died {self.max_attempts} times while running it "
            "(out of memory, a crash in a native library, or killed); not retried"
        )
        for job_id in ids:
            with self.db.session() as session:
                # Conditional again: its owner may have renewed, or another server
                # recovered it, since the select.
                if session.execute(  # type: ignore[attr-defined]
                    update(JobRow)
                    .where(
                        JobRow.id == job_id,
                        abandoned,
                        crashed,
                        JobRow.crashes + 1 >= self.max_attempts,
                    )
                    .values(
                        status="failed",
                        crashes=JobRow.crashes + 1,
                        error=reason,
                        finished_at=now,
                        lease_owner=None,
                        lease_expires_at=None,
                    )
                ).rowcount:
                    failed.append(job_id)
                elif session.execute(  # type: ignore[attr-defined]
                    update(JobRow)
                    .where(JobRow.id == job_id, abandoned)
                    .values(
                        status="queued",
                        crashes=JobRow.crashes + case((crashed, 1), else_=0),
                        lease_owner=None,
                        lease_expires_at=None,
                    )
                ).rowcount:
                    requeued.append(job_id)
        for job_id in failed:
            log.error("job %s: %s", job_id, reason)
            self.emit(job_id, "failed", reason)
        for job_id in requeued:
            self.emit(job_id, "requeued", "picked up again: the server running it stopped")
        return len(requeued)

    async def _beat(self) -> None:
        """Renew the leases of local jobs; stop local copies of jobs another server took
        over or someone cancelled elsewhere; re-queue jobs whose lease lapsed."""
        interval = self.lease.total_seconds() / 3
        while not self._stopping:
            await asyncio.sleep(interval)
            self._renew()
            if self._recover():
                self._poke()

    def _renew(self) -> None:
        ids = list(self._tasks)
        if not ids:
            return
        with self.db.session() as session:
            session.execute(
                update(JobRow)
                .where(
                    JobRow.id.in_(ids),
                    JobRow.lease_owner == self.worker_id,
                    JobRow.status == "running",
                )
                .values(lease_expires_at=utcnow() + self.lease)
            )
            rows = session.execute(
                select(JobRow.id, JobRow.lease_owner, JobRow.status, JobRow.cancel_requested).where(
                    JobRow.id.in_(ids)
                )
            ).all()
        for job_id, lease_owner, status, cancel_requested in rows:
            task = self._tasks.get(job_id)
            if task is None:
                continue
            if lease_owner != self.worker_id or status != "running":
                log.warning("job %s: lease taken over by %s; stopping here", job_id, lease_owner)
                self._lost.add(job_id)
                task.cancel()
            elif cancel_requested:
                task.cancel()

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
                now = utcnow()
                claimed = session.execute(  # type: ignore[attr-defined]
                    update(JobRow)
                    .where(JobRow.id == row.id, JobRow.status == "queued")
                    .values(
                        status="running",
                        started_at=now,
                        attempts=JobRow.attempts + 1,
                        lease_owner=self.worker_id,
                        lease_expires_at=now + self.lease,
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
            if job.id in self._lost:
                pass  # the server that took it over records what happens to it
            elif self._cancel_requested(job.id):
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
            self._lost.discard(job.id)
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
        values: dict[str, Any] = {
            "status": status,
            "error": error,
            "finished_at": utcnow() if terminal else None,
            "lease_owner": None,
            "lease_expires_at": None,
        }
        if result is not None:
            values["result"] = result
        with self.db.session() as session:
            # Only while this server still holds the lease: after a takeover the outcome
            # belongs to the server now running the job.
            session.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.lease_owner == self.worker_id)
                .values(**values)
            )
