from __future__ import annotations

from sqlalchemy import select

from lyceum.lab.experiment import parse_experiment
from lyceum.lab.judges import JudgePanel, judge_pair, judge_run
from lyceum.lab.runner import run_experiment
from lyceum.llm.backends.scripted import ScriptedBackend, json_reply
from lyceum.store.lab_tables import LabJudgementRow


def _grader(messages, params):
    """Scores 5 when the answer matches the reference, else 1."""
    text = messages[-1].content
    reference = text.split("Reference answer: ", 1)[1].split("\n", 1)[0]
    answer = text.split("Answer to grade: ", 1)[1].strip()
    return json_reply({"reasoning": "r", "score": 5 if answer == reference else 1})


def _pair_grader(messages, params):
    text = messages[-1].content
    reference = text.split("Reference answer: ", 1)[1].split("\n", 1)[0]
    a = text.split("Answer A: ", 1)[1].split("\n", 1)[0].strip()
    return json_reply({"reasoning": "r", "winner": "A" if a == reference else "B"})


async def test_judging_a_run_stores_verdicts_and_summarizes_each_method(db, qa_file, capital_model):
    config = parse_experiment(
        {
            "name": "j",
            "datasets": [{"name": "jsonl", "options": {"path": str(qa_file)}}],
            "methods": ["naive", "cot"],
            "models": ["m"],
        }
    )
    run = await run_experiment(config, db=db, resolve_model=lambda n: capital_model)
    panel = JudgePanel([ScriptedBackend([_grader] * 50, name=n) for n in ("j1", "j2")])
    ratings = {r.subject: r for r in await judge_run(db, run.run_id, panel)}
    assert ratings["jsonl/m/cot"].mean_consensus == 1.0
    assert ratings["jsonl/m/naive"].mean_consensus == 4 / 6  # 2 of 6 wrong
    assert ratings["jsonl/m/cot"].agreement.cohens_kappa["j1 ~ j2"] == 1.0

    pair_panel = JudgePanel([ScriptedBackend([_pair_grader] * 50, name="p")])
    summary = await judge_pair(db, run.run_id, pair_panel, "naive", "cot")
    assert summary.items == 6
    assert summary.b_wins == 2  # cot wins where naive was wrong
    with db.session() as session:
        rows = session.scalars(select(LabJudgementRow)).all()
    assert len([r for r in rows if r.kind == "rubric"]) == 24
    assert len([r for r in rows if r.kind == "pairwise"]) == 6
