from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from lyceum.config import Settings
from lyceum.errors import ConfigError, NotFoundError, ServerError
from lyceum.lab.experiment import parse_experiment
from lyceum.lab.results import get_run, load_results
from lyceum.lab.runner import resume_run, run_experiment
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.context import current_context
from lyceum.store.tables import RunRow
from lyceum.testing.capitals import CAPITALS

from .conftest import capital_responder


def _config(qa_file: Path, **extra):
    return parse_experiment(
        {
            "name": "capitals",
            "datasets": [{"name": "jsonl", "label": "capitals", "options": {"path": str(qa_file)}}],
            "methods": ["naive", "cot"],
            "models": ["scripted"],
            "concurrency": 3,
            **extra,
        }
    )


async def test_run_stores_every_example_with_scores_tokens_and_trace(db, qa_file, capital_model):
    summary = await run_experiment(
        _config(qa_file), db=db, resolve_model=lambda name: capital_model
    )
    assert (summary.total, summary.done, summary.errors) == (12, 12, 0)
    results = load_results(db, summary.run_id, with_trace=True)
    assert len(results) == 12
    cot = [r for r in results if r.method == "cot"]
    naive = {r.example_id: r for r in results if r.method == "naive"}
    assert all(r.scores["exact_match"] == 1.0 for r in cot)
    assert naive["q-Spain"].scores["exact_match"] == 0.0
    assert naive["q-Spain"].prediction == "Lyon" and naive["q-Spain"].gold == ["Madrid"]
    first = cot[0]
    assert (first.prompt_tokens, first.completion_tokens, first.calls) == (20, 5, 1)
    assert first.cost_usd == pytest.approx(0.001)
    assert first.trace[0]["kind"] == "call" and "Answer:" in first.trace[0]["content"]
    run = get_run(db, summary.run_id)
    assert run.status == "done" and run.config["name"] == "capitals"
    assert sorted(run.state["samples"]["capitals"]) == sorted(f"q-{c}" for c in CAPITALS)


async def test_every_call_is_tagged_with_the_run_and_method(db, qa_file):
    seen = []

    def respond(messages, params):
        ctx = current_context()
        seen.append((ctx.run_id, ctx.caller))
        return "Paris"

    model = ScriptedBackend([respond] * 100)
    summary = await run_experiment(_config(qa_file), db=db, resolve_model=lambda n: model)
    assert {run_id for run_id, _ in seen} == {summary.run_id}
    assert {caller for _, caller in seen} == {"lab.naive", "lab.cot"}


async def test_sampling_is_seeded_and_saved(db, qa_file, capital_model):
    first = await run_experiment(
        _config(qa_file, sample_size=3, seed=7), db=db, resolve_model=lambda n: capital_model
    )
    again = await run_experiment(
        _config(qa_file, sample_size=3, seed=7), db=db, resolve_model=lambda n: capital_model
    )
    other = await run_experiment(
        _config(qa_file, sample_size=3, seed=8), db=db, resolve_model=lambda n: capital_model
    )
    samples = [get_run(db, s.run_id).state["samples"]["capitals"] for s in (first, again, other)]
    assert len(samples[0]) == 3
    assert samples[0] == samples[1]
    assert samples[0] != samples[2]


async def test_concurrency_is_bounded(db, qa_file):
    in_flight = 0
    peak = 0

    async def slow_generate(messages, params=None):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return await inner.generate(messages, params)

    inner = ScriptedBackend([capital_responder()] * 100)
    model = ScriptedBackend(default_output="x")
    model.generate = slow_generate  # type: ignore[method-assign]
    await run_experiment(_config(qa_file, concurrency=2), db=db, resolve_model=lambda n: model)
    assert peak == 2


async def test_an_interrupted_run_resumes_without_repeating_examples(db, qa_file):
    calls = []
    reached = asyncio.Event()
    responder = capital_responder()

    def respond(messages, params):
        calls.append(messages[-1].content)
        if len(calls) == 5:
            reached.set()
        return responder(messages, params)

    model = ScriptedBackend([respond] * 100, delay_s=0.001)
    config = _config(qa_file, concurrency=1)
    task = asyncio.create_task(run_experiment(config, db=db, resolve_model=lambda n: model))
    await reached.wait()
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with db.session() as session:
        run = session.scalars(select(RunRow)).one()
        run_id, status = run.id, run.status
    assert status == "interrupted"
    stored_before = len(load_results(db, run_id))
    assert 4 <= stored_before <= 5

    summary = await resume_run(run_id, db=db, resolve_model=lambda n: model)
    assert summary.status == "done"
    assert summary.skipped == stored_before
    assert summary.done == 12 - stored_before
    results = load_results(db, run_id)
    assert len(results) == 12
    assert len({(r.method, r.example_id) for r in results}) == 12
    # No example was asked twice except the one in flight when the run was cancelled.
    assert len(calls) <= 12 + 1


async def test_resume_with_a_changed_experiment_is_refused(db, qa_file, capital_model):
    summary = await run_experiment(_config(qa_file), db=db, resolve_model=lambda n: capital_model)
    with pytest.raises(ConfigError, match="different experiment"):
        await run_experiment(
            _config(qa_file, seed=3),
            db=db,
            resolve_model=lambda n: capital_model,
            resume=summary.run_id,
        )
    with pytest.raises(NotFoundError):
        await resume_run("nope", db=db, resolve_model=lambda n: capital_model)


async def test_model_errors_are_recorded_and_retried_on_resume(db, qa_file):
    failing = ScriptedBackend([ServerError("boom", backend="scripted")] * 12)
    config = _config(qa_file)
    summary = await run_experiment(config, db=db, resolve_model=lambda n: failing)
    assert summary.errors == 12
    errored = load_results(db, summary.run_id)
    assert all(r.status == "error" and "boom" in (r.error or "") for r in errored)
    assert all(r.scores["exact_match"] == 0.0 for r in errored)

    healthy = ScriptedBackend([capital_responder()] * 100)
    again = await resume_run(summary.run_id, db=db, resolve_model=lambda n: healthy)
    assert (again.skipped, again.done, again.errors) == (0, 12, 0)
    assert all(r.status == "done" for r in load_results(db, summary.run_id))


async def test_bad_model_name_fails_before_any_call(db, qa_file, capital_model):
    def resolve(name):
        raise NotFoundError(f"no model {name!r}")

    with pytest.raises(NotFoundError):
        await run_experiment(_config(qa_file), db=db, resolve_model=resolve)
    with db.session() as session:
        assert session.scalars(select(RunRow)).all() == []


async def test_programming_errors_stop_the_run_and_its_other_examples(db, qa_file):
    model = ScriptedBackend([ZeroDivisionError("bug")], default_output="Paris", delay_s=0.01)
    with pytest.raises(ZeroDivisionError):
        await run_experiment(_config(qa_file, concurrency=3), db=db, resolve_model=lambda n: model)
    with db.session() as session:
        run = session.scalars(select(RunRow)).one()
    assert run.status == "failed"
    stored = len(load_results(db, run.id))
    await asyncio.sleep(0.1)
    assert len(load_results(db, run.id)) == stored < 12


class _ContainsScorer:
    async def score(self, claim: str, passage: str) -> float:
        return 1.0 if claim.lower() in passage.lower() else 0.0


async def test_rag_faithfulness_is_scored_with_the_injected_scorer(db, qa_file):
    def retriever(query, *, collection, k, mode, rerank):
        country = query.removeprefix("Capital of ").rstrip("?")
        return [f"The capital of {country} is {CAPITALS[country]}."]

    def respond(messages, params):
        prompt = messages[-1].content
        return (
            "Answer: Lyon"
            if "Spain" in prompt
            else "Answer: " + prompt.split(" is ")[1].split(".")[0]
        )

    model = ScriptedBackend([respond] * 100)
    config = _config(
        qa_file, methods=["rag_hybrid"], metrics=["exact_match", "faithfulness", "hallucination"]
    )
    summary = await run_experiment(
        config,
        db=db,
        resolve_model=lambda n: model,
        retriever=retriever,
        faithfulness=_ContainsScorer(),
    )
    results = {r.example_id: r for r in load_results(db, summary.run_id)}
    assert results["q-France"].scores == {
        "exact_match": 1.0,
        "faithfulness": 1.0,
        "hallucination": 0.0,
    }
    assert results["q-Spain"].scores == {
        "exact_match": 0.0,
        "faithfulness": 0.0,
        "hallucination": 1.0,
    }


KILLED_SCRIPT = """
import asyncio, sys
from lyceum.lab.experiment import parse_experiment
from lyceum.lab.runner import run_experiment
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.store.db import open_database

config = parse_experiment({
    "name": "killed", "datasets": [{"name": "jsonl", "label": "capitals",
    "options": {"path": sys.argv[2]}}], "methods": ["naive", "cot"], "models": ["scripted"],
    "concurrency": 1,
})
model = ScriptedBackend(default_output="Answer: Paris", delay_s=0.2)
asyncio.run(run_experiment(config, db=open_database(sys.argv[1]), resolve_model=lambda n: model))
"""


def test_a_killed_process_leaves_a_run_that_resumes(db, qa_file, tmp_path):
    script = tmp_path / "run.py"
    script.write_text(KILLED_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), db.url, str(qa_file)])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with db.session() as session:
                run = session.scalars(select(RunRow)).first()
            if run is not None and len(load_results(db, run.id)) >= 3:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the child run stored no results")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert get_run(db, run.id).status == "running"
    stored = len(load_results(db, run.id))
    assert 3 <= stored < 12

    model = ScriptedBackend([capital_responder()] * 100)
    summary = asyncio.run(resume_run(run.id, db=db, resolve_model=lambda n: model))
    assert summary.skipped == stored
    assert summary.done == 12 - stored
    assert len(load_results(db, run.id)) == 12
    assert get_run(db, run.id).status == "done"


async def test_rag_searches_the_index_of_the_workspace_it_is_given(
    db, qa_file, second_workspace: Settings
):
    settings = second_workspace
    model = ScriptedBackend(["Answer: Paris"] * 10)
    config = parse_experiment(
        {
            "name": "rag",
            "datasets": [{"name": "jsonl", "options": {"path": str(qa_file)}}],
            "methods": ["rag_naive"],
            "models": ["scripted"],
            "sample_size": 1,
        }
    )
    summary = await run_experiment(
        config, db=db, resolve_model=lambda name: model, settings=settings
    )
    assert (summary.done, summary.errors) == (1, 0)
    assert "Zanzibar Paris" in model.history[0].messages[-1].content
