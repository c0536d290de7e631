"""Leases on running jobs: a job a killed server left `running` resumes elsewhere once its
lease lapses; a job a live server is running is never taken over; two servers on one
store never both run a job."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from lyceum.server.jobs import JobContext, JobQueue
from lyceum.store.base import utcnow
from lyceum.store.db import Database, open_database
from lyceum.store.server_tables import JobRow

from .conftest import wait_for

SERVER_SCRIPT = '''
import asyncio, os, sys
import uvicorn
from lyceum.config import load_settings
from lyceum.llm.types import Message
from lyceum.server import create_app


async def steps(ctx):
    """Numbered steps, each a call to the scripted model; a resumed attempt skips the
    steps an earlier attempt recorded."""
    gateway = ctx.extras["state"].gateway
    done = {e.data["i"] for e in ctx.queue.events(ctx.job_id) if e.kind == "step"}
    if ctx.run_id is None:
        ctx.set_run_id("steps-" + ctx.job_id[:8])
    for i in range(ctx.params["n"]):
        if i in done:
            continue
        reply = await gateway.generate([Message(role="user", content=f"step {i}")])
        await asyncio.sleep(ctx.params["pause_s"])
        ctx.emit("step", reply.text, {"i": i, "pid": os.getpid()})
    return {"steps": ctx.params["n"], "run_id": ctx.run_id}


app = create_app(load_settings(), handlers={"steps": steps})
uvicorn.run(app, host="127.0.0.1", port=0, log_level="warning")
'''


def _server(script: Path, workspace: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LYCEUM_WORKSPACE": str(workspace), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, str(script)], env=env, stderr=subprocess.PIPE)


def _steps(queue: JobQueue, job_id: str) -> list[dict[str, Any]]:
    return [e.data for e in queue.events(job_id) if e.kind == "step"]


def test_a_job_of_a_killed_server_resumes_on_another_and_completes(workspace, settings, tmp_path):
    with (workspace / "lyceum.toml").open("a") as f:
        f.write("job_lease_s = 1.5\n")  # appended to the [server] table
    script = tmp_path / "serve.py"
    script.write_text(SERVER_SCRIPT)
    # The submitting side only writes the row; the server processes run it.
    submitter = JobQueue(open_database(settings.database_url), {"steps": lambda ctx: ctx})
    job = submitter.submit("steps", {"n": 6, "pause_s": 0.4})

    first = _server(script, workspace)
    try:
        wait_for(lambda: len(_steps(submitter, job.id)) >= 2 or first.poll() is not None, 60)
        assert first.poll() is None, first.stderr.read().decode() if first.stderr else ""
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    killed = submitter.get(job.id)
    assert killed.status == "running"  # what a SIGKILL leaves: no chance to say otherwise
    before = _steps(submitter, job.id)
    assert {s["pid"] for s in before} == {first.pid}

    second = _server(script, workspace)
    try:
        done = wait_for(lambda: (j := submitter.get(job.id)).status in ("done", "failed") and j, 90)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(20)
        except subprocess.TimeoutExpired:
            second.kill()
    assert done.status == "done", done.error
    assert done.attempts == 2
    assert done.result == {"steps": 6, "run_id": f"steps-{job.id[:8]}"}
    steps = _steps(submitter, job.id)
    # Every step ran exactly once: the ones before the kill were not repeated.
    assert sorted(Counter(s["i"] for s in steps).items()) == [(i, 1) for i in range(6)]
    assert {s["pid"] for s in steps[len(before) :]} == {second.pid}
    assert "requeued" in [e.kind for e in submitter.events(job.id)]


def _expire(db: Database, job_id: str, owner: str) -> None:
    """The row state a SIGKILLed server leaves: running, its lease in the past."""
    with db.session() as session:
        session.execute(
            update(JobRow)
            .where(JobRow.id == job_id)
            .values(
                status="running",
                attempts=1,
                lease_owner=owner,
                lease_expires_at=utcnow() - timedelta(seconds=5),
            )
        )


async def test_start_requeues_only_jobs_whose_lease_lapsed(settings):
    db = open_database(settings.database_url)
    ran: list[str] = []

    async def record(ctx: JobContext) -> dict[str, Any]:
        ran.append(ctx.job_id)
        return {}

    live = JobQueue(db, {"r": record})
    crashed = live.submit("r", {})
    alive = live.submit("r", {})
    _expire(db, crashed.id, "gone-host:1/abc")
    with db.session() as session:
        session.execute(
            update(JobRow)
            .where(JobRow.id == alive.id)
            .values(
                status="running",
                lease_owner="other-host:2/def",
                lease_expires_at=utcnow() + timedelta(hours=1),
            )
        )

    queue = JobQueue(db, {"r": record})
    assert await queue.start() == 1
    await queue.wait_idle()
    await asyncio.sleep(0.2)
    await queue.stop()
    assert ran == [crashed.id]
    assert queue.get(crashed.id).status == "done"
    assert queue.get(crashed.id).attempts == 2
    assert queue.get(alive.id).status == "running"  # still another server's


async def test_a_restarted_instance_takes_its_own_jobs_back_without_waiting(settings):
    db = open_database(settings.database_url)

    async def ok(ctx: JobContext) -> dict[str, Any]:
        return {"attempt": ctx.attempt}

    earlier = JobQueue(db, {"r": ok}, instance="worker-a")
    job = earlier.submit("r", {})
    with db.session() as session:
        session.execute(
            update(JobRow)
            .where(JobRow.id == job.id)
            .values(
                status="running",
                attempts=1,
                lease_owner=earlier.worker_id,
                lease_expires_at=utcnow() + timedelta(hours=1),
            )
        )
    stranger = JobQueue(db, {"r": ok}, instance="worker-b")
    assert await stranger.start() == 0
    await stranger.stop()

    restarted = JobQueue(db, {"r": ok}, instance="worker-a")
    assert await restarted.start() == 1
    await restarted.wait_idle()
    await restarted.stop()
    assert restarted.get(job.id).status == "done"
    assert restarted.get(job.id).result == {"attempt": 2}


async def test_a_lease_lapsing_while_the_server_waits_is_recovered_by_its_heartbeat(settings):
    db = open_database(settings.database_url)

    async def ok(ctx: JobContext) -> dict[str, Any]:
        return {}

    queue = JobQueue(db, {"r": ok}, lease_s=0.6)
    job = queue.submit("r", {})
    with db.session() as session:
        session.execute(
            update(JobRow)
            .where(JobRow.id == job.id)
            .values(
                status="running",
                lease_owner="other:1/x",
                lease_expires_at=utcnow() + timedelta(seconds=1),
            )
        )
    assert await queue.start() == 0
    for _ in range(200):
        if queue.get(job.id).status == "done":
            break
        await asyncio.sleep(0.05)
    await queue.stop()
    assert queue.get(job.id).status == "done"


async def test_a_server_whose_lease_was_taken_over_stops_and_leaves_the_outcome_alone(settings):
    db = open_database(settings.database_url)
    started = asyncio.Event()

    async def slow(ctx: JobContext) -> dict[str, Any]:
        started.set()
        await asyncio.sleep(3600)
        return {"by": "first"}

    queue = JobQueue(db, {"r": slow}, lease_s=0.6)
    await queue.start()
    job = queue.submit("r", {})
    await asyncio.wait_for(started.wait(), 5)
    with db.session() as session:  # another server took it over (e.g. after a long stall)
        session.execute(
            update(JobRow)
            .where(JobRow.id == job.id)
            .values(lease_owner="other:1/x", lease_expires_at=utcnow() + timedelta(hours=1))
        )
    for _ in range(100):
        if not queue.running:
            break
        await asyncio.sleep(0.05)
    assert queue.running == 0
    await queue.stop()
    info = queue.get(job.id)
    assert (info.status, info.error, info.result) == ("running", None, {})


def test_two_servers_on_one_store_never_both_run_a_job(settings):
    """Two queues, each in its own thread and event loop with its own engine, race for the
    same 24 jobs."""
    runs: list[tuple[str, str]] = []
    lock = threading.Lock()
    submitter = JobQueue(open_database(settings.database_url), {"r": lambda ctx: ctx})
    jobs = [submitter.submit("r", {"n": n}) for n in range(24)]

    def serve(name: str) -> None:
        async def record(ctx: JobContext) -> dict[str, Any]:
            with lock:
                runs.append((ctx.job_id, name))
            await asyncio.sleep(0.01)
            return {"by": name}

        async def main() -> None:
            queue = JobQueue(Database(settings.database_url), {"r": record}, concurrency=3)
            await queue.start()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if all(submitter.get(j.id).status == "done" for j in jobs):
                    break
                await asyncio.sleep(0.05)
            await queue.stop()
            queue.db.dispose()

        asyncio.run(main())

    threads = [threading.Thread(target=serve, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    ran = Counter(job_id for job_id, _ in runs)
    assert sorted(ran) == sorted(j.id for j in jobs)
    assert set(ran.values()) == {1}
    finished = [submitter.get(j.id) for j in jobs]
    assert {(f.status, f.attempts) for f in finished} == {("done", 1)}
    assert all(f.result["by"] == by for f in finished for job_id, by in runs if job_id == f.id)
