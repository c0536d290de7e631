"""A research job's PDF compiles off the event loop, in a process group the server ends
as a whole on its deadline or a cancel. A fake `latexmk` on PATH stands in for TeX: it
records its own pid and a child's (a `sleep`, like the pdflatex latexmk spawns)."""

from __future__ import annotations

import asyncio
import os
import stat
import time
from pathlib import Path

import pytest

from lyceum.server.pdf_job import compile_in_child

pytestmark = pytest.mark.hostile

# TeX runs with a confined environment, so the pid file's path is written into the script.
HANGING_TEX = """#!/bin/sh
echo $$ >> "{pids}"
sleep 300 &
echo $! >> "{pids}"
wait
"""
WORKING_TEX = """#!/bin/sh
printf '%%PDF-1.4 fake' > paper.pdf
"""


def _fake_tex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("latexmk", "pdflatex"):
        path = bin_dir / tool
        path.write_text(script.replace("{pids}", str(tmp_path / "pids")))
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "job"
    out.mkdir()
    (out / "paper.tex").write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


def _pids(tmp_path: Path, count: int, timeout_s: float = 20.0) -> list[int]:
    deadline = time.monotonic() + timeout_s
    path = tmp_path / "pids"
    while time.monotonic() < deadline:
        if path.exists() and len(found := path.read_text().split()) >= count:
            return [int(p) for p in found]
        time.sleep(0.05)
    raise AssertionError("the fake TeX never started")


async def test_the_deadline_ends_the_whole_process_group_and_the_loop_keeps_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _fake_tex(tmp_path, monkeypatch, HANGING_TEX)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    beat = asyncio.create_task(ticker())
    started = time.monotonic()
    # Long enough for the child to import Lyceum and start TeX on a loaded machine.
    compiling = asyncio.create_task(compile_in_child(out, attempts=1, timeout_s=8.0))
    pids = await asyncio.to_thread(_pids, tmp_path, 2)
    outcome = await compiling
    elapsed = time.monotonic() - started
    beat.cancel()
    assert not outcome.ok and "stopped after 8 s" in outcome.message
    assert elapsed < 15
    assert ticks >= 40  # the event loop ran all along (HTTP, SSE, lease heartbeats)
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in pids if _alive(p)]


async def test_cancelling_the_job_ends_the_whole_process_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _fake_tex(tmp_path, monkeypatch, HANGING_TEX)
    task = asyncio.create_task(compile_in_child(out, attempts=1, timeout_s=120))
    pids = await asyncio.to_thread(_pids, tmp_path, 2)
    assert all(_alive(p) for p in pids)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert not [p for p in pids if _alive(p)]


async def test_a_successful_compile_reports_the_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _fake_tex(tmp_path, monkeypatch, WORKING_TEX)
    outcome = await compile_in_child(out, attempts=1, timeout_s=60)
    assert outcome.ok, outcome.message
    assert (out / "paper.pdf").read_bytes().startswith(b"%PDF")


def test_a_research_job_compiles_its_pdf_in_the_child(
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    research_backend,
    research_options,
) -> None:
    from fastapi.testclient import TestClient

    from lyceum.config import load_settings
    from lyceum.server import create_app
    from lyceum.wiring import build_gateway

    from .conftest import CONFIG, wait_for

    _fake_tex(tmp_path, monkeypatch, WORKING_TEX)
    (workspace / "lyceum.toml").write_text(
        CONFIG.replace("compile_pdf = false", "compile_pdf = true")
    )
    settings = load_settings(workspace)
    gateway = build_gateway(settings, backends={"fake": research_backend})
    app = create_app(settings, gateway=gateway, extras={"research_options": research_options})
    with TestClient(app) as c:
        job = c.post("/api/research/jobs", json={"question": "How do plants make sugar?"}).json()
        done = wait_for(
            lambda: (
                (j := c.get(f"/api/research/jobs/{job['id']}").json())["status"]
                in ("done", "failed")
                and j
            ),
            timeout_s=90,
        )
        assert done["status"] == "done", done["error"]
        assert done["result"]["files"]["pdf"] == "paper.pdf"
        assert "compiled" in done["result"]["pdf_message"]
        pdf = c.get(f"/api/research/jobs/{job['id']}/artifacts/paper.pdf")
        assert pdf.content.startswith(b"%PDF")
        events = c.get(f"/api/research/jobs/{job['id']}/events", params={"follow": "false"})
        assert '"kind":"pdf"' in events.text
