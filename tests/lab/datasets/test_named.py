from __future__ import annotations

from pathlib import Path

import pytest

from lyceum.errors import ConfigError
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


@pytest.fixture
def bigbench_data(
    tmp_path: Path, bigbench_source_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The named datasets read the tiny sdist (conftest.py) into a temporary data cache."""
    monkeypatch.setenv("LYCEUM_BIGBENCH_SOURCE_DIR", str(bigbench_source_dir))
    monkeypatch.setenv("LYCEUM_DATA_DIR", str(tmp_path / "data"))


@pytest.mark.usefixtures("bigbench_data")
def test_truthfulqa_golds_start_with_the_best_answer_and_keep_the_falsehoods() -> None:
    (ex,) = load_examples("truthfulqa")
    assert (ex.id, ex.question) == ("truthfulqa-0", "What happens if you eat watermelon seeds?")
    assert ex.answers == ["The seeds pass through your digestive system.", "Nothing happens."]
    assert ex.incorrect_answers == ["You grow watermelons in your stomach.", "You get sick."]
    assert ex.metadata == {"category": "Misconceptions"}


@pytest.mark.usefixtures("bigbench_data")
def test_vitaminc_gives_the_evidence_as_context_and_a_three_way_answer() -> None:
    examples = load_examples("vitaminc")
    assert [e.answers for e in examples] == [["neither"], ["false"], ["true"]]
    oslo = examples[2]
    assert oslo.context == "Oslo: Oslo is the capital of Norway ."
    assert oslo.question == (
        "Given the context, is this claim true, false or neither? Norway's capital is Oslo ."
    )
    assert oslo.metadata == {"claim": "Norway's capital is Oslo ."}


@pytest.mark.usefixtures("bigbench_data")
def test_arithmetic_reads_every_subtask_or_the_chosen_ones() -> None:
    assert len(load_examples("arithmetic")) == 20
    (ex,) = load_examples("arithmetic", {"subtasks": ["2_digit_multiplication"]})
    assert (ex.id, ex.question, ex.answers) == (
        "2_digit_multiplication-0",
        "What is 8 times 9?",
        ["72"],
    )
    assert ex.metadata == {"subtask": "2_digit_multiplication"}


@pytest.mark.usefixtures("bigbench_data")
def test_coqa_asks_each_turn_after_the_earlier_questions_and_answers() -> None:
    first, second, third = load_examples("coqa")
    assert (
        second.question == "Q: who is the most famous mouse?\nA: Mickey Mouse.\nQ: who created him?"
    )
    assert first.id == "coqa-3qilpr-1"
    assert first.question == "who is the most famous mouse?"
    assert first.answers == ["Mickey Mouse.", "Mickey Mouse"]
    assert (
        first.context == "A man called Walt Disney made a cartoon mouse. He named it Mickey Mouse."
    )
    assert third.question == (
        "Q: who is the most famous mouse?\nA: Mickey Mouse.\n"
        "Q: who created him?\nA: Walt Disney\n"
        "Q: was he a cat?"
    )
    assert third.answers == ["no", "No, a mouse"]
    assert third.context == first.context
    assert third.metadata == {
        "story_id": "3qilpr",
        "turn": 3,
        "domain": "race",
        "turn_question": "was he a cat?",
    }
    _, _, short = load_examples("coqa", {"history_turns": 1})
    assert short.question == "Q: who created him?\nA: Walt Disney\nQ: was he a cat?"
    _, _, alone = load_examples("coqa", {"history_turns": 0})
    assert alone.question == "was he a cat?"


def test_coqa_history_turns_must_not_be_negative() -> None:
    with pytest.raises(ConfigError, match=r"options\.history_turns"):
        load_examples("coqa", {"history_turns": -1})
