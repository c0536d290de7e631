"""Datasets the user has on disk: JSONL, JSON, Parquet and Hugging Face `save_to_disk`
directories with a field mapping, plus the native formats of GSM8K, TriviaQA and HotpotQA.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lyceum import jsonl
from lyceum.errors import ConfigError, MissingDependencyError, NotFoundError
from lyceum.lab.datasets.base import Example, dataset


class FileOptions(BaseModel):
    """Where the file is and which fields hold what."""

    model_config = ConfigDict(extra="forbid")

    path: Path = Field(description="File (or directory for `hf`), relative to the experiment.")
    id_field: str | None = Field(
        default="id", description="Field with a unique id; None numbers the records."
    )
    question_field: str = Field(default="question", description="Field with the question.")
    answers_field: str = Field(
        default="answers", description="Field with the gold answer (a string or a list)."
    )
    context_field: str | None = Field(default=None, description="Optional passage field.")
    split: str | None = Field(default=None, description="Split of a `hf` DatasetDict.")


class NativeFileOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: Path = Field(description="The dataset file, relative to the experiment file.")


def _resolve(path: Path, base_dir: Path) -> Path:
    full = path if path.is_absolute() else base_dir / path
    if not full.exists():
        raise NotFoundError(f"dataset file {full} does not exist")
    return full


def _field(record: dict[str, Any], name: str, where: str) -> Any:
    if name not in record:
        raise ConfigError(
            f"{where} has no field {name!r} (fields: {', '.join(sorted(record))})",
            hint="Set the *_field options of the dataset to the file's field names.",
        )
    return record[name]


def _answers(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, dict) and "text" in value:  # HF SQuAD style {"text": [...], ...}
        return _answers(value["text"])
    return [str(value)]


def records_to_examples(
    records: Iterable[dict[str, Any]], opts: FileOptions, source: str
) -> Iterator[Example]:
    for i, record in enumerate(records):
        where = f"{source} record {i}"
        ex_id = str(_field(record, opts.id_field, where)) if opts.id_field else str(i)
        context = _field(record, opts.context_field, where) if opts.context_field else ""
        yield Example(
            id=ex_id,
            question=str(_field(record, opts.question_field, where)),
            answers=_answers(_field(record, opts.answers_field, where)),
            context=str(context or ""),
        )


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a dataset's JSONL file; a bad line is a `ConfigError` naming it."""
    for row in jsonl.read_jsonl(path, error=ConfigError):
        yield row.value


@dataset("jsonl", options=FileOptions)
def jsonl_dataset(opts: FileOptions, base_dir: Path) -> Iterator[Example]:
    """One JSON object per line."""
    path = _resolve(opts.path, base_dir)
    return records_to_examples(read_jsonl(path), opts, str(path))


@dataset("json", options=FileOptions)
def json_dataset(opts: FileOptions, base_dir: Path) -> Iterator[Example]:
    """A JSON array of objects (or an object with a `data` array)."""
    path = _resolve(opts.path, base_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if not isinstance(data, list):
        raise ConfigError(f"{path} holds neither a JSON array nor an object with 'data'")
    return records_to_examples(data, opts, str(path))


@dataset("parquet", options=FileOptions)
def parquet_dataset(opts: FileOptions, base_dir: Path) -> Iterator[Example]:
    """A Parquet file (what the Hugging Face hub serves)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("pyarrow", "data", "Reading Parquet datasets") from None
    path = _resolve(opts.path, base_dir)
    return records_to_examples(pq.read_table(path).to_pylist(), opts, str(path))


@dataset("hf", options=FileOptions)
def hf_dataset(opts: FileOptions, base_dir: Path) -> Iterator[Example]:
    """A directory written by Hugging Face `datasets`' `save_to_disk`."""
    try:
        import datasets
    except ImportError:
        raise MissingDependencyError("datasets", "train", "Reading Hugging Face datasets") from None
    path = _resolve(opts.path, base_dir)
    loaded = datasets.load_from_disk(str(path))
    if isinstance(loaded, datasets.DatasetDict):
        if opts.split is None or opts.split not in loaded:
            raise ConfigError(
                f"{path} holds splits {sorted(loaded)}; choose one with options.split"
            )
        loaded = loaded[opts.split]
    return records_to_examples(iter(loaded), opts, str(path))


_GSM8K_ANSWER = re.compile(r"####\s*(.+?)\s*$")


@dataset("gsm8k", options=NativeFileOptions)
def gsm8k_dataset(opts: NativeFileOptions, base_dir: Path) -> Iterator[Example]:
    """GSM8K JSONL (`question`, `answer` ending in '#### N')."""
    path = _resolve(opts.path, base_dir)
    for i, record in enumerate(read_jsonl(path)):
        solution = str(_field(record, "answer", f"{path} record {i}"))
        match = _GSM8K_ANSWER.search(solution)
        if match is None:
            raise ConfigError(f"{path} record {i}: answer has no '#### N' final line")
        yield Example(
            id=f"gsm8k-{i}",
            question=str(record["question"]),
            answers=[match.group(1).replace(",", "")],
            metadata={"rationale": solution[: match.start()].strip()},
        )


@dataset("triviaqa", options=NativeFileOptions)
def triviaqa_dataset(opts: NativeFileOptions, base_dir: Path) -> Iterator[Example]:
    """TriviaQA's JSON (`{"Data": [{"QuestionId", "Question", "Answer": {...}}]}`)."""
    path = _resolve(opts.path, base_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    for i, item in enumerate(data.get("Data", []) if isinstance(data, dict) else []):
        answer = _field(item, "Answer", f"{path} item {i}")
        golds = [answer.get("Value", ""), *answer.get("Aliases", [])]
        yield Example(
            id=str(item.get("QuestionId", i)),
            question=str(item["Question"]),
            answers=list(dict.fromkeys(g for g in golds if g)),
        )


@dataset("hotpotqa", options=NativeFileOptions)
def hotpotqa_dataset(opts: NativeFileOptions, base_dir: Path) -> Iterator[Example]:
    """HotpotQA's JSON array (`_id`, `question`, `answer`, `context` [[title, sentences]])."""
    path = _resolve(opts.path, base_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ConfigError(f"{path} is not a HotpotQA JSON array")
    for i, item in enumerate(data):
        paragraphs = [f"{title}: {''.join(sents)}" for title, sents in item.get("context", [])]
        yield Example(
            id=str(item.get("_id", i)),
            question=str(_field(item, "question", f"{path} item {i}")),
            answers=[str(item.get("answer", ""))],
            context="\n\n".join(paragraphs),
            metadata={"type": item.get("type", ""), "level": item.get("level", "")},
        )
