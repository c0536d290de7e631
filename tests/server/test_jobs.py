"""The durable job queue: concurrency limit, cancellation, and a restart that picks up
queued and interrupted jobs."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from lyceum.server.jobs import JobContext, JobQueue
from lyceum.store.db import open_database


@pytest.fixture
def db(settings):
    return open_database(settings.database_url)


async def test_jobs_run_in_order_within_the_concurrency_limit(db):
    running = 0
    peak = 0

    async def handler(ctx: JobContext) -> dict[str, Any]:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.05)
        ctx.emit("step", "halfway", {"n": ctx.params["n"]})
        running -= 1
        return {"double": ctx.params["n"] * 2}

    queue = JobQueue(db, {"work": handler}, concurrency=2)
    await queue.start()
    jobs = [queue.submit("work", {"n": n}) for n in range(5)]
    await queue.wait_idle()
    await queue.stop()
    assert peak == 2
    finished = [queue.get(j.id) for j in jobs]
    assert [j.status for j in finished] == ["done"] * 5
    assert [j.result["double"] for j in finished] == [0, 2, 4, 6, 8]
    kinds = [e.kind for e in queue.events(jobs[0].id)]
    assert kinds == ["queued", "started", "step", "finished"]


async def test_cancelling_a_running_job_stops_its_task(db):
    started = asyncio.Event()

    async def forever(ctx: JobContext) -> dict[str, Any]:
        started.set()
        await asyncio.sleep(3600)
        return {}

    queue = JobQueue(db, {"slow": forever})
    await queue.start()
    job = queue.submit("slow", {})
    queued = queue.submit("slow", {})
    await asyncio.wait_for(started.wait(), 5)
    cancelled = await queue.cancel(job.id)
    assert cancelled.status == "cancelled"
    assert (await queue.cancel(queued.id)).status in ("cancelled", "running")
    await queue.stop()
    assert queue.get(job.id).error == "cancelled by request"
    assert queue.events(job.id)[-1].kind == "cancelled"


async def test_cancelling_a_queued_job_removes_it_from_the_queue(db):
    queue = JobQueue(db, {"x": lambda ctx: asyncio.sleep(0, {})})
    job = queue.submit("x", {})
    assert (await queue.cancel(job.id)).status == "cancelled"
    await queue.start()
    await asyncio.sleep(0.1)
    await queue.stop()
    assert queue.get(job.id).status == "cancelled"


async def test_restart_resumes_interrupted_and_queued_jobs_with_their_run_id(db):
    seen: list[tuple[str, str | None, int]] = []
    gate = asyncio.Event()

    async def resumable(ctx: JobContext) -> dict[str, Any]:
        seen.append((ctx.job_id, ctx.run_id, ctx.attempt))
        if ctx.run_id is None:
            ctx.set_run_id(f"run-of-{ctx.job_id[:6]}")
        if not gate.is_set():
            await asyncio.sleep(3600)
        return {"resumed_from": ctx.run_id}

    first = JobQueue(db, {"r": resumable}, concurrency=1)
    await first.start()
    a = first.submit("r", {})
    b = first.submit("r", {})
    while not seen:
        await asyncio.sleep(0.01)
    await first.stop()  # "crash": a is interrupted mid-run, b never started
    assert first.get(a.id).status == "interrupted"
    assert first.get(b.id).status == "queued"

    gate.set()
    second = JobQueue(db, {"r": resumable}, concurrency=1)
    assert await second.start() == 1
    await second.wait_idle()
    await second.stop()
    done_a, done_b = second.get(a.id), second.get(b.id)
    assert (done_a.status, done_b.status) == ("done", "done")
    assert done_a.result == {"resumed_from": f"run-of-{a.id[:6]}"}
    assert done_a.attempts == 2
    assert "requeued" in [e.kind for e in second.events(a.id)]


async def test_a_failing_handler_marks_the_job_failed_with_the_error(db):
    from lyceum.errors import LyceumError

    async def bad(ctx: JobContext) -> dict[str, Any]:
        raise LyceumError("no such corpus", hint="ingest one first")

    queue = JobQueue(db, {"bad": bad})
    await queue.start()
    job = queue.submit("bad", {})
    await queue.wait_idle()
    await queue.stop()
    info = queue.get(job.id)
    assert info.status == "failed"
    assert info.error == "no such corpus (ingest one first)"


async def test_stream_yields_events_until_the_job_ends(db):
    async def chatty(ctx: JobContext) -> dict[str, Any]:
        for i in range(3):
            ctx.emit("tick", str(i))
            await asyncio.sleep(0.01)
        return {}

    queue = JobQueue(db, {"c": chatty})
    await queue.start()
    job = queue.submit("c", {})
    kinds = [e.kind async for e in queue.stream(job.id)]
    await queue.stop()
    assert kinds == ["queued", "started", "tick", "tick", "tick", "finished"]
