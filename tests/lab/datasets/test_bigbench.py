"""The bigbench reader, against a tiny sdist with the real layout (conftest.py; once the
real one)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lyceum.errors import NotFoundError
from lyceum.lab.datasets import bigbench


@pytest.fixture
def where(tmp_path: Path, bigbench_source_dir: Path) -> dict[str, Path]:
    return {"cache_dir": tmp_path / "cache", "source_dir": bigbench_source_dir}


def test_task_path_extracts_every_supported_file_once_atomically(where: dict[str, Path]) -> None:
    path = bigbench.task_path("vitaminc", **where)

    assert path == where["cache_dir"] / "bigbench" / "1.0.0" / bigbench.TASK_FILES["vitaminc"]
    extracted = [p for p in (where["cache_dir"] / "bigbench").rglob("*") if p.is_file()]
    assert len(extracted) == len(bigbench.TASK_FILES)
    assert not [p for p in extracted if p.name.startswith(".")]

    where["source_dir"].joinpath(bigbench.SDIST_NAME).unlink()
    assert bigbench.load_task("squad", **where)["version"] == "1.1"


def test_unknown_task_names_the_known_ones(where: dict[str, Path]) -> None:
    with pytest.raises(NotFoundError) as err:
        bigbench.task_path("squad2", **where)
    assert "squad" in err.value.hint


def test_missing_source_archive_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(bigbench.DatasetFetchError, match=r"bigbench-1\.0\.0\.tar\.gz"):
        bigbench.task_path("squad", cache_dir=tmp_path / "c", source_dir=tmp_path)


def test_cache_dir_defaults_to_lyceum_data_dir(
    tmp_path: Path, bigbench_source_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYCEUM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LYCEUM_BIGBENCH_SOURCE_DIR", str(bigbench_source_dir))
    assert bigbench.task_path("fever").is_relative_to(tmp_path / "data")


def test_squad_examples_keep_every_gold_answer(where: dict[str, Path]) -> None:
    [ex] = bigbench.squad_examples(**where)
    assert ex.id == "q1"
    assert ex.title == "Super_Bowl_50"
    assert ex.answers == ["Denver Broncos", "The Denver Broncos"]
    assert "Carolina Panthers" in ex.context


def test_truthfulqa_examples_split_true_and_false_answers(where: dict[str, Path]) -> None:
    [gen] = bigbench.truthfulqa_examples(**where)
    assert gen.best_answer == "The seeds pass through your digestive system."
    assert gen.correct_answers == [
        "Nothing happens.",
        "The seeds pass through your digestive system.",
    ]
    assert gen.incorrect_answers == ["You grow watermelons in your stomach.", "You get sick."]
    [mc] = bigbench.truthfulqa_mc_examples(**where)
    assert mc.best_answer == "Unclear."
    assert mc.incorrect_answers == ["China."]


def test_strategyqa_examples_have_boolean_answers_and_explanations(
    where: dict[str, Path],
) -> None:
    [ex] = bigbench.strategyqa_examples(**where)
    assert ex.answer is False
    assert ex.explanation.startswith("Hydrogen has atomic number one.")


def test_fever_claims_are_stripped_of_the_prompt(where: dict[str, Path]) -> None:
    examples = list(bigbench.fever_examples(**where))
    assert [(e.claim, e.label) for e in examples] == [
        ("Ukraine was a founding participant of the UN.", "supported"),
        ("Paris is in Peru.", "refuted"),
    ]
    assert examples[0].id == "fever-163803"
    assert examples[0].evidence == ""


def test_vitaminc_examples_map_labels_to_verdicts(where: dict[str, Path]) -> None:
    examples = list(bigbench.vitaminc_examples(**where))
    assert [e.label for e in examples] == ["not_enough_info", "refuted", "supported"]
    assert examples[2].claim == "Norway's capital is Oslo ."
    assert examples[2].evidence == "Oslo: Oslo is the capital of Norway ."


def test_coqa_conversations_gather_every_gold_answer_per_turn(where: dict[str, Path]) -> None:
    [conv] = bigbench.coqa_conversations(**where)
    assert (conv.id, conv.domain) == ("3qilpr", "race")
    assert conv.story.startswith("A man called Walt Disney")
    assert [(t.turn, t.question) for t in conv.turns] == [
        (1, "who is the most famous mouse?"),
        (2, "who created him?"),
        (3, "was he a cat?"),
    ]
    assert [t.answers for t in conv.turns] == [
        ["Mickey Mouse.", "Mickey Mouse"],
        ["Walt Disney"],
        ["no", "No, a mouse"],
    ]


def test_arithmetic_examples_cover_the_requested_subtasks(where: dict[str, Path]) -> None:
    all_examples = list(bigbench.arithmetic_examples(**where))
    assert len(all_examples) == 20
    [one] = bigbench.arithmetic_examples(["3_digit_division"], **where)
    assert (one.subtask, one.question, one.answer) == (
        "3_digit_division",
        "What is 72 divided by 9?",
        "8",
    )


@pytest.mark.slow
def test_real_sdist_has_the_documented_sizes() -> None:
    """Uses $LYCEUM_BIGBENCH_SOURCE_DIR if set, else downloads the sdist with pip (358 MB)."""
    source = os.environ.get("LYCEUM_BIGBENCH_SOURCE_DIR")
    where = {"source_dir": Path(source)} if source else {}
    assert sum(1 for _ in bigbench.squad_examples(**where)) == 10565
    assert sum(1 for _ in bigbench.vitaminc_examples(**where)) == 54668
    assert sum(1 for _ in bigbench.fever_examples(**where)) == 6612
    assert sum(1 for _ in bigbench.strategyqa_examples(**where)) == 2290
    assert sum(1 for _ in bigbench.truthfulqa_examples(**where)) == 299
    assert sum(1 for _ in bigbench.arithmetic_examples(["2_digit_addition"], **where)) == 1000
    conversations = list(bigbench.coqa_conversations(**where))
    assert (len(conversations), sum(len(c.turns) for c in conversations)) == (700, 10930)
