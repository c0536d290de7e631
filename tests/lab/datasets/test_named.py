from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lyceum.lab.datasets import bigbench, named
from lyceum.lab.datasets.base import load_examples


def test_squad_examples_keep_ids_context_and_all_gold_answers(monkeypatch):
    monkeypatch.setattr(
        bigbench,
        "squad_examples",
        lambda: iter(
            [
                bigbench.SquadExample(
                    id="5733be", title="Notre_Dame", question="Who?", context="Saint Bernadette...",
                    answers=["Saint Bernadette Soubirous", "Saint Bernadette"],
                )
            ]
        ),
    )  # fmt: skip
    (ex,) = load_examples("squad")
    assert ex.id == "5733be" and ex.context.startswith("Saint")
    assert ex.answers == ["Saint Bernadette Soubirous", "Saint Bernadette"]
    assert ex.metadata == {"title": "Notre_Dame"}


def test_strategyqa_and_fever_answers_are_words(monkeypatch):
    monkeypatch.setattr(
        bigbench, "strategyqa_examples",
        lambda: iter([bigbench.StrategyQAExample(id="s1", question="Q?", answer=False, explanation="e")]),
    )  # fmt: skip
    monkeypatch.setattr(
        bigbench, "fever_examples",
        lambda: iter([bigbench.ClaimExample(id="f1", claim="Sky is green.", evidence="", label="refuted")]),
    )  # fmt: skip
    (s,) = load_examples("strategyqa")
    (f,) = load_examples("fever")
    assert s.answers == ["no"] and "yes or no" in s.question
    assert f.answers == ["false"] and "Sky is green." in f.question


def test_arithmetic_subtasks_are_validated_when_the_experiment_is():
    with pytest.raises(ValueError, match="unknown subtasks"):
        named.ArithmeticOptions(subtasks=["9_digit_addition"])


def _fake_wheel(directory: Path) -> Path:
    csv = (
        "Warning: do not click thumbs,,,,\n,,,,\n"
        "id,split,question,effective_year,next_review,false_premise,num_hops,fact_type,source,"
        "answer_0,answer_1,answer_2,answer_3,answer_4,answer_5,answer_6,answer_7,answer_8,answer_9,note\n"
        '0,TEST,"What year, exactly?",2020,never,FALSE,one-hop,never-changing,src,1969,nineteen sixty-nine,,,,,,,,,\n'
        "1,DEV,First animal on the moon?,2020,never,TRUE,one-hop,slow-changing,src,None has.,,,,,,,,,,\n"
    )
    wheel = directory / f"inspect_evals-{named.INSPECT_EVALS_VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(named.FRESHQA_MEMBER, csv)
    return wheel


def test_freshqa_is_read_from_the_inspect_evals_wheel(tmp_path, monkeypatch):
    _fake_wheel(tmp_path)
    monkeypatch.setenv("LYCEUM_INSPECT_EVALS_SOURCE_DIR", str(tmp_path))
    first, second = load_examples("freshqa")
    assert (first.id, first.question) == ("freshqa-0", "What year, exactly?")
    assert first.answers == ["1969", "nineteen sixty-nine"]
    assert second.metadata["false_premise"] is True
    assert [e.id for e in load_examples("freshqa", {"include_false_premise": False})] == [
        "freshqa-0"
    ]
