"""The trained skill, the writer's first drafts: tasks and training rows from real research
trajectories, and the arena that measures the skill on held-out tasks with the claim check,
paired against production, with the suite as capability check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lyceum.cli.main import app
from lyceum.config import load_settings
from lyceum.evolve import loop
from lyceum.evolve.closed_loop import arena_questions, hold_out_runs
from lyceum.evolve.examples import load_batch, write_batch
from lyceum.evolve.gate import _quality
from lyceum.evolve.registry import Registry
from lyceum.evolve.settings import EvolveSettings
from lyceum.evolve.writer_skill import (
    TaskFileError,
    first_sentence,
    load_tasks,
    tasks_from_trajectory,
    training_examples,
    write_tasks,
)
from lyceum.llm.backends.scripted import ScriptedBackend

from .conftest import make_example

DATA = Path(__file__).parent / "data" / "trajectories"
ADDENDUM = "Copy the notes."
NONSENSE = "The Moon is a cheese that shepherds carved in 1850 out of a Dutch cow's milk."


def all_tasks(runs=("q1", "q2", "q3")):
    return [t for q in runs for t in tasks_from_trajectory(DATA / q / "trajectory.jsonl")]


ARENA_RUNS = ("q2", "q3")  # 15 tasks: enough for a significant win, quick to score


def test_each_drafted_sentence_with_notes_is_a_task_with_its_evidence():
    tasks = tasks_from_trajectory(DATA / "q3" / "trajectory.jsonl")
    assert len(tasks) == 10 and len({t.id for t in tasks}) == 10
    task = tasks[0]
    assert task.question == "How do vaccines train the immune system?"
    assert task.passages and all(p.text for p in task.passages)
    prompt = task.prompt()
    assert f"Research question: {task.question}" in prompt and f"[1] {task.notes[0][:40]}" in prompt


def test_a_sentence_code_wrote_from_a_quote_is_not_a_task_of_the_writer_model(tmp_path):
    records = [json.loads(line) for line in (DATA / "q3" / "trajectory.jsonl").open()]
    verdicts = [r for r in records if r["type"] == "verdict"]
    verdicts[0]["drafted_by"] = "code"  # as runs on the embedded model record it
    path = tmp_path / "trajectory.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    tasks = tasks_from_trajectory(path)
    assert len(tasks) == 9
    assert verdicts[0]["draft_text"] not in {t.draft for t in tasks}


def test_supported_drafts_are_sft_rows_and_rejected_then_rewritten_drafts_dpo_pairs():
    tasks = tasks_from_trajectory(DATA / "q3" / "trajectory.jsonl")
    rows = {t.id: training_examples(t, depth=1) for t in tasks}
    rewritten = next(t for t in tasks if t.draft_label == "contradicted")
    [pair] = rows[rewritten.id]
    assert (
        pair.kind == "dpo" and pair.rejected == rewritten.draft and pair.output == rewritten.final
    )
    assert pair.instruction == rewritten.prompt() and pair.source_run == rewritten.run_id
    kept = [t for t in tasks if t.draft_label == "supported"]
    assert all([r.kind for r in rows[t.id]] == ["sft"] and rows[t.id][0].output == t.draft
               for t in kept)  # fmt: skip
    dropped = tasks_from_trajectory(DATA / "q2" / "trajectory.jsonl")
    assert [len(training_examples(t, depth=1)) for t in dropped].count(0) == 2


def test_writer_rows_from_real_runs_pass_the_gates_quality_rule():
    """Quality is the claim check's verdict on the row's output, as for a report row; the
    verifier's supported probability (about 0.57 on these drafts) would fail the 0.8 rule."""
    rows = [e for t in all_tasks() for e in training_examples(t, depth=1)]
    assert len(rows) > 10 and {r.quality for r in rows} == {1.0}
    rule = _quality(rows, EvolveSettings().min_mean_quality)
    assert rule.passed, rule.message


def test_a_task_file_round_trips_and_a_bad_line_is_named(tmp_path):
    path = tmp_path / "tasks.jsonl"
    assert write_tasks(path, all_tasks()) == 24
    assert [t.id for t in load_tasks(path)] == [t.id for t in all_tasks()]
    path.write_text(path.read_text() + '{"id": "x"}\n')
    with pytest.raises(TaskFileError, match="line 25"):
        load_tasks(path)


def test_a_models_answer_is_read_as_its_first_sentence_without_note_numbers():
    assert first_sentence('\n- "Vaccines train the immune system [1, 2]."\nMore.') == (
        "Vaccines train the immune system."
    )


def test_training_drops_every_example_of_an_arena_run_or_question(tmp_path):
    tasks = all_tasks()
    arena = [t for t in tasks if t.question.startswith("How do vaccines")]
    batch = [e for t in tasks for e in training_examples(t, depth=1)]
    same_question = make_example(1).model_copy(
        update={
            "id": "other-run",
            "instruction": "Notes on: how do VACCINES train the immune system",
        }
    )
    write_batch(tmp_path / "b.jsonl", [*batch, same_question, make_example(2)])
    dropped = hold_out_runs(tmp_path / "b.jsonl", arena, tmp_path / "kept.jsonl")
    kept = load_batch(tmp_path / "kept.jsonl")
    arena_runs = {t.run_id for t in arena}
    assert dropped == sum(e.source_run in arena_runs for e in batch) + 1
    assert not any(e.source_run in arena_runs for e in kept) and "ex2" in {e.id for e in kept}


@pytest.fixture
def settings(workspace):
    tasks = all_tasks(ARENA_RUNS)
    write_tasks(workspace / "tasks.jsonl", tasks)
    rows = [{"id": f"s{i}", "question": f"What is {i} plus 1?", "answers": [str(i + 1)]}
            for i in range(20)]  # fmt: skip
    (workspace / "qa.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (workspace / "suite.yaml").write_text(
        "name: sums\ndatasets: [{name: jsonl, label: sums, options: {path: qa.jsonl}}]\n"
        "methods: [naive]\nmodels: [x]\n"
    )
    (workspace / "lyceum.toml").write_text(
        '[evolve]\narena_experiment = "suite.yaml"\narena_tasks = "tasks.jsonl"\n'
    )
    return load_settings(workspace)


def writer(tasks, *, sums_right_with_addendum: bool = True):
    """With the addendum: each task's supported sentence (its draft if the check supported
    it, else its rewrite); without: a sentence no note supports. Sums: right, unless
    `sums_right_with_addendum` is False and the addendum is there."""
    by_prompt = {t.prompt(): t for t in tasks}

    def reply(messages, params):
        system = messages[0].content if messages[0].role == "system" else ""
        task = by_prompt.get(messages[-1].content)
        if task is None:
            i = int(messages[-1].content.split("What is ", 1)[1].split(" ", 1)[0])
            wrong = ADDENDUM in system and not sums_right_with_addendum
            return "zero" if wrong else str(i + 1)
        if ADDENDUM not in system:
            return NONSENSE
        return task.draft if task.draft_label == "supported" else task.final

    return ScriptedBackend([reply] * 400)


async def test_the_arena_target_is_the_writer_skill_on_held_out_tasks(settings):
    tasks = all_tasks(ARENA_RUNS)
    registry = Registry(loop.database(settings))
    candidate = registry.register("prompt", {"addendum": ADDENDUM})
    backend = writer(tasks)
    scored, result = await loop.arena(settings, candidate.name, lambda route: backend)
    assert result.target == loop.WRITER_TARGET and result.overall.n == len(tasks)
    assert result.overall.a_accuracy == 0.0 and result.overall.b_accuracy >= 0.8
    assert result.overall.mcnemar_p < 0.001 and result.overall.ci_low > 0
    assert [(d.dataset, d.production_accuracy, d.candidate_accuracy) for d in result.datasets] == [
        ("sums", 1.0, 1.0)
    ]
    assert result.passed and scored.metrics["target"] == loop.WRITER_TARGET
    assert (
        result.examples[0]["production"] == NONSENSE
        and not result.examples[0]["production_supported"]
    )


async def test_a_skill_win_that_loses_a_capability_is_refused(settings, tmp_path):
    registry = Registry(loop.database(settings))
    candidate = registry.register("prompt", {"addendum": ADDENDUM})
    few = tmp_path / "few.jsonl"
    write_tasks(few, all_tasks()[:6])
    backend = writer(all_tasks(), sums_right_with_addendum=False)
    _, result = await loop.arena(settings, candidate.name, lambda route: backend, tasks=few)
    assert result.overall.b_accuracy > result.overall.a_accuracy and not result.passed
    assert result.reasons == ["capability lost on sums: 100.0% -> 0.0% (more than 5 points)"]


def test_the_arena_questions_include_the_tasks_research_questions(settings):
    questions = arena_questions(settings, None)
    assert "how do vaccines train the immune system" in questions
    assert "what is 3 plus 1" in questions


def test_evolve_tasks_writes_the_held_out_tasks(tmp_path, workspace):
    out = tmp_path / "tasks.jsonl"
    result = CliRunner().invoke(app, ["evolve", "tasks", "-t", str(DATA), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "24 tasks from 3 runs" in result.output and len(load_tasks(out)) == 24
