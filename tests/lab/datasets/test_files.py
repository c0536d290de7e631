from __future__ import annotations

import json
from pathlib import Path

import pytest

from lyceum.errors import ConfigError, NotFoundError
from lyceum.lab.datasets.base import load_examples, sample_examples, select_by_ids
from lyceum.lab.experiment import parse_experiment  # noqa: F401 - registers the datasets


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_jsonl_with_a_field_mapping(tmp_path: Path):
    _write_jsonl(
        tmp_path / "d.jsonl",
        [
            {"qid": 7, "q": "Who?", "a": "Ann", "ctx": "Ann did it."},
            {"qid": 8, "q": "Why?", "a": ["x", "y"]},
        ],
    )
    options = {"path": "d.jsonl", "id_field": "qid", "question_field": "q", "answers_field": "a",
               "context_field": "ctx"}  # fmt: skip
    with pytest.raises(ConfigError, match="no field 'ctx'"):
        load_examples("jsonl", options, base_dir=tmp_path)
    _write_jsonl(
        tmp_path / "d.jsonl",
        [
            {"qid": 7, "q": "Who?", "a": "Ann", "ctx": "Ann did it."},
            {"qid": 8, "q": "Why?", "a": ["x", "y"], "ctx": ""},
        ],
    )
    first, second = load_examples("jsonl", options, base_dir=tmp_path)
    assert (first.id, first.question, first.answers, first.context) == (
        "7",
        "Who?",
        ["Ann"],
        "Ann did it.",
    )
    assert second.answers == ["x", "y"]


def test_json_parquet_and_duplicate_ids(tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {"id": "a", "question": "q1", "answers": ["1"]},
        {"id": "b", "question": "q2", "answers": ["2"]},
    ]
    (tmp_path / "d.json").write_text(json.dumps({"data": rows}))
    assert [e.id for e in load_examples("json", {"path": "d.json"}, base_dir=tmp_path)] == [
        "a",
        "b",
    ]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "d.parquet")
    assert len(load_examples("parquet", {"path": "d.parquet"}, base_dir=tmp_path)) == 2
    _write_jsonl(tmp_path / "dup.jsonl", [rows[0], rows[0]])
    with pytest.raises(ConfigError, match="duplicate example id 'a'"):
        load_examples("jsonl", {"path": "dup.jsonl"}, base_dir=tmp_path)
    with pytest.raises(NotFoundError):
        load_examples("jsonl", {"path": "missing.jsonl"}, base_dir=tmp_path)


def test_native_formats_of_gsm8k_triviaqa_and_hotpotqa(tmp_path: Path):
    _write_jsonl(tmp_path / "gsm.jsonl", [{"question": "2+2?", "answer": "Add them.\n#### 1,004"}])
    (gsm,) = load_examples("gsm8k", {"path": "gsm.jsonl"}, base_dir=tmp_path)
    assert gsm.answers == ["1004"] and gsm.metadata["rationale"] == "Add them."

    trivia = {
        "Data": [
            {
                "QuestionId": "tq1",
                "Question": "Q?",
                "Answer": {"Value": "Bob", "Aliases": ["Robert", "Bob"]},
            }
        ]
    }
    (tmp_path / "tq.json").write_text(json.dumps(trivia))
    (tq,) = load_examples("triviaqa", {"path": "tq.json"}, base_dir=tmp_path)
    assert tq.answers == ["Bob", "Robert"]

    hotpot = [{"_id": "h1", "question": "Q?", "answer": "yes", "type": "comparison",
               "context": [["Title A", ["First. ", "Second."]], ["Title B", ["Third."]]]}]  # fmt: skip
    (tmp_path / "hp.json").write_text(json.dumps(hotpot))
    (hp,) = load_examples("hotpotqa", {"path": "hp.json"}, base_dir=tmp_path)
    assert hp.context == "Title A: First. Second.\n\nTitle B: Third."
    assert hp.metadata["type"] == "comparison"


def test_seeded_sampling_and_restoring_a_saved_sample(tmp_path: Path):
    _write_jsonl(
        tmp_path / "d.jsonl",
        [{"id": str(i), "question": f"q{i}", "answers": ["a"]} for i in range(50)],
    )
    examples = load_examples("jsonl", {"path": "d.jsonl"}, base_dir=tmp_path)
    first = sample_examples(examples, 10, seed=3)
    assert [e.id for e in first] == [e.id for e in sample_examples(examples, 10, seed=3)]
    assert [e.id for e in first] != [e.id for e in sample_examples(examples, 10, seed=4)]
    assert sample_examples(examples, None, seed=0) == examples
    ids = [e.id for e in first]
    assert [e.id for e in select_by_ids(examples, ids, "d")] == ids
    with pytest.raises(ConfigError, match="no longer holds"):
        select_by_ids(examples, ["999"], "d")


def test_hf_save_to_disk_directories_need_a_split_for_a_dataset_dict(tmp_path: Path, monkeypatch):
    """`datasets` is an optional extra; a stand-in module keeps this test offline and light."""
    import sys
    import types

    class DatasetDict(dict):
        pass

    rows = [{"id": "h1", "question": "Q?", "answers": {"text": ["A", "B"], "answer_start": [0, 4]}}]
    fake = types.ModuleType("datasets")
    fake.DatasetDict = DatasetDict
    fake.load_from_disk = lambda path: DatasetDict(validation=rows)
    monkeypatch.setitem(sys.modules, "datasets", fake)
    (tmp_path / "saved").mkdir()
    with pytest.raises(ConfigError, match=r"options\.split"):
        load_examples("hf", {"path": "saved"}, base_dir=tmp_path)
    (ex,) = load_examples("hf", {"path": "saved", "split": "validation"}, base_dir=tmp_path)
    assert (ex.id, ex.answers) == ("h1", ["A", "B"])


def test_hf_without_the_datasets_package_names_the_extra(tmp_path: Path, monkeypatch):
    import sys

    from lyceum.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, "datasets", None)
    (tmp_path / "saved").mkdir()
    with pytest.raises(MissingDependencyError, match="datasets"):
        load_examples("hf", {"path": "saved"}, base_dir=tmp_path)


def test_hf_round_trip_through_real_save_to_disk_directories(tmp_path: Path):
    datasets = pytest.importorskip("datasets")
    rows = [
        {"id": "h1", "question": "Who?", "answers": {"text": ["Ann", "Ann B."], "answer_start": [0, 0]},
         "context": "Ann did it."},
        {"id": "h2", "question": "When?", "answers": {"text": ["1990"], "answer_start": [3]},
         "context": "In 1990."},
    ]  # fmt: skip
    datasets.Dataset.from_list(rows).save_to_disk(str(tmp_path / "flat"))
    opts = {"path": "flat", "context_field": "context"}
    first, second = load_examples("hf", opts, base_dir=tmp_path)
    assert (first.id, first.question, first.answers, first.context) == (
        "h1",
        "Who?",
        ["Ann", "Ann B."],
        "Ann did it.",
    )
    assert second.answers == ["1990"]

    splits = datasets.DatasetDict(
        train=datasets.Dataset.from_list(rows[:1]), validation=datasets.Dataset.from_list(rows[1:])
    )
    splits.save_to_disk(str(tmp_path / "splits"))
    with pytest.raises(
        ConfigError, match=r"\['train', 'validation'\]; choose one with options\.split"
    ):
        load_examples("hf", {"path": "splits"}, base_dir=tmp_path)
    (ex,) = load_examples("hf", {"path": "splits", "split": "validation"}, base_dir=tmp_path)
    assert (ex.id, ex.answers, ex.context) == ("h2", ["1990"], "")
