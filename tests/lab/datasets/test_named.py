from __future__ import annotations

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
