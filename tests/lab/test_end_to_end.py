"""The lab end to end on the embedded local model: naive vs chain-of-thought vs ReAct on a
few SQuAD questions, through the gateway, interrupted, resumed, and reported."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lyceum.config import load_settings
from lyceum.errors import LyceumError
from lyceum.lab.experiment import parse_experiment
from lyceum.lab.report import write_report
from lyceum.lab.results import get_run, load_results
from lyceum.lab.runner import ExperimentRunner, gateway_resolver, resume_run
from lyceum.store.db import open_database
from lyceum.store.tables import CallRow

pytestmark = pytest.mark.slow


@pytest.fixture
def squad_available() -> None:
    from lyceum.lab.datasets import bigbench

    try:
        bigbench.task_path("squad")
    except LyceumError as exc:
        pytest.skip(f"SQuAD (bigbench sdist) is not available: {exc}")


async def test_naive_cot_react_on_squad_interrupted_resumed_and_reported(
    workspace: Path, tmp_path: Path, squad_available: None, embedded_model_path: Path
) -> None:
    from lyceum.wiring import build_gateway

    # A generous deadline: on a loaded 2-core machine one chain of thought takes minutes.
    (workspace / "lyceum.toml").write_text(
        '[models.local]\nkind = "local"\nn_ctx = 2048\ntimeout_s = 1800\n'
        "[gateway]\nmax_retries = 0\n"
    )
    settings = load_settings(workspace)
    db = open_database(settings.database_url)
    config = parse_experiment(
        {
            "name": "e2e-squad",
            "datasets": ["squad"],
            "methods": [
                {"name": "naive", "params": {"max_tokens": 32}},
                {"name": "cot", "params": {"max_tokens": 96}},
                {"name": "react", "params": {"max_tokens": 96, "max_iterations": 2}},
            ],
            "models": ["local"],
            "sample_size": 2,
            "seed": 11,
            "concurrency": 1,
            "metrics": ["token_f1", "exact_match", "agent_success"],
        }
    )
    gateway = build_gateway(settings, db=db)
    finished = asyncio.Event()
    count = 0

    def on_progress(event):  # type: ignore[no-untyped-def]
        nonlocal count
        if event.kind == "advance":
            count += 1
        if count == 2:
            finished.set()

    runner = ExperimentRunner(
        config, db=db, resolve_model=gateway_resolver(gateway), progress=on_progress
    )
    task = asyncio.create_task(runner.run())
    await finished.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert runner.run_id is not None
    run_id = runner.run_id
    assert get_run(db, run_id).status == "interrupted"
    before = {(r.method, r.example_id) for r in load_results(db, run_id)}
    assert len(before) >= 2

    summary = await resume_run(run_id, db=db, resolve_model=gateway_resolver(gateway))
    await gateway.aclose()
    assert summary.status == "done"
    assert summary.skipped == len(before)
    results = load_results(db, run_id)
    assert len(results) == 6
    assert len({(r.method, r.example_id) for r in results}) == 6
    assert all(r.status == "done" and r.calls >= 1 and r.prompt_tokens > 0 for r in results)
    assert {r.method for r in results} == {"naive", "cot", "react"}
    assert all(r.scores["agent_success"] is not None for r in results if r.method == "react")
    with db.session() as session:
        logged = session.scalar(
            select(func.count()).select_from(CallRow).where(CallRow.run_id == run_id)
        )
    assert logged >= sum(r.calls for r in results)

    report = write_report(db, [run_id], tmp_path / "report", n_resamples=500)
    assert {c.method for c in report.conditions} == {"naive", "cot", "react"}
    assert len(report.comparisons) == 3
    markdown = (tmp_path / "report" / "report.md").read_text()
    assert "| react |" in markdown and "accuracy_cost.png" in markdown
    print(markdown)
