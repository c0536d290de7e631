from __future__ import annotations

import json

import pytest

from lyceum.evolve.arena import run_arena
from lyceum.evolve.prompted import PromptedModel, with_addendum
from lyceum.evolve.settings import EvolveSettings
from lyceum.lab.experiment import parse_experiment
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import Message
from lyceum.store.db import open_database

ADDENDUM = "Principles learned from earlier work:\n- Compute carefully."


def write_dataset(path, name, n):
    rows = [{"id": f"{name}{i}", "question": f"[{name}] What is {i} plus 1?", "answers": [str(i + 1)]}
            for i in range(n)]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def responder(right_without, right_with):
    """Answers item i correctly when i % 10 < the share (in tenths) for its condition.

    `right_with` / `right_without` map dataset name -> tenths correct with / without the
    addendum in the system prompt."""

    def reply(messages, params):
        system = messages[0].content if messages[0].role == "system" else ""
        text = messages[-1].content
        name = text.split("[", 1)[1].split("]", 1)[0]
        i = int(text.split("What is ", 1)[1].split(" ", 1)[0])
        tenths = (right_with if ADDENDUM in system else right_without)[name]
        return str(i + 1) if i % 10 < tenths else "zero"

    return reply


async def arena(tmp_path, workspace, without, with_, n=60, **settings):
    datasets = []
    for name in without:
        write_dataset(tmp_path / f"{name}.jsonl", name, n)
        datasets.append({"name": "jsonl", "label": name, "options": {"path": f"{name}.jsonl"}})
    suite = parse_experiment(
        {
            "name": "suite",
            "datasets": datasets,
            "methods": ["naive"],
            "models": ["x"],
            "concurrency": 2,
        }
    )
    base = ScriptedBackend([responder(without, with_)] * 10_000)
    db = open_database(f"sqlite:///{workspace / 'lyceum.db'}")
    return await run_arena(
        suite,
        db=db,
        production=base,
        candidate=PromptedModel(base, ADDENDUM, label="v2"),
        settings=EvolveSettings(**settings),
        base_dir=tmp_path,
    )


async def test_a_clear_significant_win_is_promotable(tmp_path, workspace):
    result = await arena(tmp_path, workspace, {"a": 5, "b": 5}, {"a": 9, "b": 8})
    assert result.passed, result.reasons
    assert result.overall.difference == pytest.approx(0.35)
    assert result.overall.mcnemar_p < 0.05
    assert {d.dataset: d.candidate_accuracy for d in result.datasets} == pytest.approx(
        {"a": 0.9, "b": 0.8}
    )
    assert result.metrics()["accuracy"] == pytest.approx(0.85)


async def test_a_win_below_the_margin_is_refused(tmp_path, workspace):
    result = await arena(tmp_path, workspace, {"a": 5}, {"a": 6}, n=200, arena_margin=0.15)
    assert not result.passed
    assert any("below the margin 15.0" in r for r in result.reasons)


async def test_a_win_that_loses_a_capability_is_refused(tmp_path, workspace):
    result = await arena(tmp_path, workspace, {"a": 2, "b": 9}, {"a": 9, "b": 8})
    assert result.overall.difference > 0.03 and result.overall.significant
    assert not result.passed
    assert result.reasons == ["capability lost on b: 90.0% -> 80.0% (more than 5 points)"]


async def test_a_small_gain_on_few_examples_is_not_significant(tmp_path, workspace):
    result = await arena(tmp_path, workspace, {"a": 5}, {"a": 6}, n=20)
    assert result.overall.difference == pytest.approx(0.10)
    assert not result.passed and any("not significant" in r for r in result.reasons)


def test_the_addendum_joins_the_system_prompt_or_becomes_one():
    joined = with_addendum([Message.system("Be brief."), Message.user("q")], "- P")
    assert joined[0].content == "Be brief.\n\n- P" and len(joined) == 2
    added = with_addendum([Message.user("q")], "- P")
    assert [m.role for m in added] == ["system", "user"]


def _results(model, dataset, outcomes):
    from datetime import UTC, datetime

    from lyceum.lab.results import ExampleResult

    now = datetime.now(UTC)
    return [
        ExampleResult(run_id="r", dataset=dataset, model=model, method="naive",
                      example_id=f"{dataset}{i}", status="done",
                      scores={"exact_match": 1.0 if right else 0.0},
                      started_at=now, finished_at=now)
        for i, right in enumerate(outcomes)
    ]  # fmt: skip


def _judge(a_production, a_candidate, b_production=(), b_candidate=()):
    """Judge stored results under the default settings (3 % margin, 5 % capability loss)."""
    from lyceum.evolve.arena import CANDIDATE, PRODUCTION, judge_arena

    labels = ["a", "b"] if b_production else ["a"]
    suite = parse_experiment({
        "name": "suite", "methods": ["naive"], "models": [PRODUCTION, CANDIDATE],
        "datasets": [{"name": "jsonl", "label": n, "options": {"path": f"{n}.jsonl"}} for n in labels],
    })  # fmt: skip
    results = [
        *_results(PRODUCTION, "a", a_production),
        *_results(CANDIDATE, "a", a_candidate),
        *_results(PRODUCTION, "b", b_production),
        *_results(CANDIDATE, "b", b_candidate),
    ]
    return judge_arena(results, suite, EvolveSettings(), "r")


@pytest.mark.parametrize(("gain", "passes"), [(30, True), (29, False)])
def test_the_default_margin_is_three_points_inclusive(gain, passes):
    # 1000 examples: production gets 500 right; the candidate those and `gain` more.
    production = [i < 500 for i in range(1000)]
    candidate = [i < 500 + gain for i in range(1000)]
    result = _judge(production, candidate)
    assert result.overall.significant and result.overall.ci_low > 0
    assert result.passed is passes
    if not passes:
        assert result.reasons == ["gain +2.9 points is below the margin 3.0"]


@pytest.mark.parametrize(("lost", "passes"), [(4, True), (5, True), (6, False)])
def test_the_default_capability_loss_limit_is_five_points_inclusive(lost, passes):
    # A large significant win on a, while b (100 examples, all right in production) loses
    # `lost` examples.
    a_production = [i < 500 for i in range(1000)]
    a_candidate = [i < 700 for i in range(1000)]
    b_candidate = [i >= lost for i in range(100)]
    result = _judge(a_production, a_candidate, [True] * 100, b_candidate)
    outcome = {d.dataset: d for d in result.datasets}["b"]
    assert outcome.difference == pytest.approx(-lost / 100)
    assert result.passed is passes and outcome.regressed is not passes
    if not passes:
        assert result.reasons == ["capability lost on b: 100.0% -> 94.0% (more than 5 points)"]


async def test_the_arena_runs_the_suite_with_the_workspace_settings_it_is_given(
    tmp_path, workspace, monkeypatch
):
    # A RAG method or a search tool of the suite reads the index of these settings, not the
    # default workspace's (issue #14: library code takes the caller's settings).
    from lyceum import lab
    from lyceum.config import load_settings
    from lyceum.evolve import arena as arena_module

    seen = []
    real = lab.runner.ExperimentRunner.__init__

    def spy(self, *args, settings=None, **kwargs):
        seen.append(settings)
        real(self, *args, settings=settings, **kwargs)

    monkeypatch.setattr(lab.runner.ExperimentRunner, "__init__", spy)
    mine = load_settings(workspace)
    write_dataset(tmp_path / "a.jsonl", "a", 4)
    suite = parse_experiment(
        {
            "name": "s",
            "datasets": [{"name": "jsonl", "label": "a", "options": {"path": "a.jsonl"}}],
            "methods": ["naive"],
            "models": ["x"],
        }
    )
    base = ScriptedBackend([responder({"a": 5}, {"a": 5})] * 10)
    db = open_database(f"sqlite:///{workspace / 'lyceum.db'}")
    await arena_module.run_arena(
        suite, db=db, production=base, candidate=base, settings=EvolveSettings(),
        runner_settings=mine, base_dir=tmp_path,
    )  # fmt: skip
    assert seen and seen[0] is mine
