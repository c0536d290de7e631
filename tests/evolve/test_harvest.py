from __future__ import annotations

import json

import pytest

from lyceum.evolve.harvest import harvest, harvest_trajectory
from lyceum.lab.experiment import parse_experiment
from lyceum.lab.runner import run_experiment
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.store.db import open_database

CAPITALS = {"France": "Paris", "Italy": "Rome", "Spain": "Madrid", "Peru": "Lima"}


def write_trajectory(path, run_id="r1"):
    records = [
        {"type": "question", "run_id": run_id, "question": "Why is the sky blue?"},
        {"type": "plan", "run_id": run_id, "sub_questions": []},
        {"type": "passage", "run_id": run_id, "id": "p1", "title": "Rayleigh scattering",
         "text": "Rayleigh scattering makes the sky blue. Blue light scatters more."},
        {"type": "note", "run_id": run_id, "id": "n1", "claim": "Rayleigh scattering makes the "
         "sky blue.", "quote": "Rayleigh scattering makes the sky blue.", "passage_id": "p1"},
        {"type": "note", "run_id": run_id, "id": "n2", "claim": "Blue light scatters more.",
         "quote": "Blue light scatters more.", "passage_id": "p1"},
        {"type": "verdict", "run_id": run_id, "section": "Physics", "text": "Rayleigh scattering.",
         "draft_text": "The sky reflects the sea.", "label": "supported", "draft_label": "refuted",
         "notes": ["n1"],
         "verdict": {"verdict": "supported", "probabilities": {"supported": 0.93}}},
        {"type": "verdict", "run_id": run_id, "section": "Physics", "text": "Blue light scatters more.",
         "draft_text": "Blue light scatters more.", "label": "supported", "draft_label": "supported",
         "notes": ["n2"], "draft_verdict": {"probabilities": {"supported": 0.9}}},
        {"type": "verdict", "run_id": run_id, "section": "Physics", "text": "Violet is absorbed.",
         "draft_text": "Violet is absorbed.", "label": "not_enough_info", "draft_label": "not_enough_info",
         "notes": ["n2"]},
        {"type": "hypothesis", "run_id": run_id, "section": "Open", "text": "Maybe."},
        {"type": "report", "run_id": run_id, "markdown": "# Sky\nRayleigh scattering."},
    ]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_a_trajectory_gives_a_report_example_and_the_writers_drafts(tmp_path):
    examples = harvest_trajectory(write_trajectory(tmp_path / "t.jsonl"), depth=1)
    report, pair, draft = examples
    assert report.kind == "sft" and report.instruction == "Why is the sky blue?"
    assert report.quality == pytest.approx(2 / 3)
    # the draft the check rejected, then supported once rewritten: a pair on the draft's task
    assert pair.kind == "dpo" and pair.output == "Rayleigh scattering."
    # quality: the claim check's verdict on the output (supported), not its probability
    assert pair.rejected == "The sky reflects the sea." and pair.quality == 1.0
    assert "Section: Physics" in pair.instruction and "[1] Rayleigh scattering makes" in (
        pair.instruction
    )
    # supported as written: an SFT row; the unsupported draft without a rewrite: nothing
    assert draft.kind == "sft" and draft.output == "Blue light scatters more."
    assert draft.quality == 1.0 and "[1] Blue light scatters more." in draft.instruction
    assert all(e.synthetic and e.generation_depth == 1 and e.source_run == "r1" for e in examples)


def test_directories_are_searched_for_trajectories_and_ids_deduplicated(tmp_path, workspace):
    write_trajectory(tmp_path / "runs" / "a" / "trajectory.jsonl", "a")
    write_trajectory(tmp_path / "runs" / "b" / "trajectory.jsonl", "b")
    db = open_database(f"sqlite:///{workspace / 'lyceum.db'}")
    twice = [tmp_path / "runs", tmp_path / "runs" / "a" / "trajectory.jsonl"]
    examples = harvest(db, trajectories=twice, depth=2)
    assert len(examples) == 6 and {e.source_run for e in examples} == {"a", "b"}
    assert all(e.generation_depth == 2 for e in examples)


async def test_lab_runs_give_correct_answers_and_correct_vs_wrong_pairs(tmp_path, workspace):
    data = tmp_path / "caps.jsonl"
    data.write_text(
        "".join(
            json.dumps({"id": c, "question": f"Capital of {c}?", "answers": [a]}) + "\n"
            for c, a in CAPITALS.items()
        )
    )

    def good(messages, params):
        text = messages[-1].content
        return next(a for c, a in CAPITALS.items() if c in text)

    def flaky(messages, params):
        text = messages[-1].content
        return "Paris" if "France" in text else "Berlin"

    models = {"good": ScriptedBackend([good] * 10), "flaky": ScriptedBackend([flaky] * 10)}
    config = parse_experiment(
        {
            "name": "caps",
            "datasets": [{"name": "jsonl", "options": {"path": str(data)}}],
            "methods": ["naive"],
            "models": ["good", "flaky"],
            "concurrency": 1,
        }
    )
    db = open_database(f"sqlite:///{workspace / 'lyceum.db'}")
    summary = await run_experiment(config, db=db, resolve_model=models.__getitem__)
    examples = harvest(db, lab_runs=[summary.run_id])
    sft = [e for e in examples if e.kind == "sft"]
    dpo = [e for e in examples if e.kind == "dpo"]
    assert len(sft) == 5  # 4 from "good", France from "flaky"
    assert all(e.quality == 1.0 and e.source == "lab" for e in sft)
    assert sorted(e.rejected for e in dpo) == ["Berlin"] * 3
    assert {e.output for e in dpo} == {"Rome", "Madrid", "Lima"}


async def test_pairwise_judge_preferences_become_dpo_pairs(tmp_path, workspace):
    from lyceum.lab.judges.panel import JudgePanel
    from lyceum.lab.judges.runs import judge_pair

    data = tmp_path / "caps.jsonl"
    data.write_text(
        json.dumps({"id": "it", "question": "Capital of Italy?", "answers": ["Rome"]}) + "\n"
    )

    def by_method(messages, params):
        # naive answers with the plain template; the other method has "step by step".
        text = " ".join(m.content for m in messages)
        return "Rome" if "step by step" in text.lower() else "Milan"

    def judge(messages, params):
        text = messages[-1].content
        a = text.split("Answer A:", 1)[1].split("Answer B:", 1)[0]
        return json.dumps({"reasoning": "correct city", "winner": "A" if "Rome" in a else "B"})

    config = parse_experiment(
        {
            "name": "pair",
            "datasets": [{"name": "jsonl", "options": {"path": str(data)}}],
            "methods": ["naive", {"name": "cot", "params": {"answer_stage": False}}],
            "models": ["m"],
            "metrics": ["token_f1"],
            "correct_threshold": 0.0,
        }
    )
    db = open_database(f"sqlite:///{workspace / 'lyceum.db'}")
    summary = await run_experiment(
        config, db=db, resolve_model={"m": ScriptedBackend([by_method] * 10)}.__getitem__
    )
    panel = JudgePanel([ScriptedBackend([judge] * 10, name="j1")])
    await judge_pair(db, summary.run_id, panel, "naive", "cot")
    judged = [e for e in harvest(db, lab_runs=[summary.run_id]) if ":judged:" in e.id]
    assert len(judged) == 1
    assert (judged[0].output, judged[0].rejected, judged[0].quality) == ("Rome", "Milan", 1.0)


def _critique(correct, problems=""):
    return json.dumps({"correct": correct, "problems": problems})


async def test_self_critique_revisions_that_fixed_the_answer_become_dpo_pairs(tmp_path, workspace):
    data = tmp_path / "caps.jsonl"
    data.write_text("".join(
        json.dumps({"id": c, "question": f"Capital of {c}?", "answers": [a]}) + "\n"
        for c, a in [("France", "Paris"), ("Italy", "Rome"), ("Peru", "Lima")]
    ))  # fmt: skip

    def critic_fixes_france_only(messages, params):
        text = messages[-1].content
        if "Proposed answer:" in text:
            if "France" in text and "Lyon" in text:
                return _critique(False, "Lyon is not the capital.")
            if "Peru" in text and "Cusco" in text:
                return _critique(False, "Cusco was the Inca capital.")
            return _critique(True)
        if "France" in text:  # the revision names Paris; the draft said Lyon
            return "Answer: Paris" if "Lyon is not the capital" in text else "Answer: Lyon"
        if "Peru" in text:  # revised, but still wrong
            return "Answer: Arequipa" if "Inca capital" in text else "Answer: Cusco"
        return "Answer: Rome"

    config = parse_experiment({
        "name": "critique", "datasets": [{"name": "jsonl", "options": {"path": str(data)}}],
        "methods": [{"name": "self_critique", "params": {"rounds": 1}}], "models": ["m"],
        "concurrency": 1,
    })  # fmt: skip
    db = open_database(f"sqlite:///{workspace / 'lyceum.db'}")
    backend = ScriptedBackend([critic_fixes_france_only] * 50)
    summary = await run_experiment(config, db=db, resolve_model={"m": backend}.__getitem__)
    revisions = [e for e in harvest(db, lab_runs=[summary.run_id], depth=2) if e.id.endswith(":revision")]  # fmt: skip
    # Italy was right at once (nothing revised); Peru's revision is still wrong.
    assert [(e.instruction, e.output, e.rejected) for e in revisions] == [
        ("Capital of France?", "Paris", "Lyon")
    ]
    [pair] = revisions
    assert pair.kind == "dpo" and pair.quality == 1.0 and pair.source == "lab"
    assert pair.source_run == summary.run_id and pair.synthetic and pair.generation_depth == 2
    assert pair.id == f"lab:{summary.run_id}:jsonl:m:self_critique:France:revision"
