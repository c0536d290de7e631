"""The unit every pipeline step streams: a `Record` (id, text, metadata), and JSONL files of them.

Steps are functions from an iterator of records to an iterator of records, so a corpus of any
size flows through them in constant memory; files of records are JSON Lines, one object per
line with `id`, `text` and `metadata`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ConfigDict, Field

from lyceum.errors import ConfigError, LyceumError
from lyceum.jsonl import read_jsonl


class Record(BaseModel):
    """One document flowing through the pipeline."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable identity, unique within a corpus.")
    text: str = Field(description="The document's text.")
    metadata: dict[str, Any] = Field(
        default_factory=dict,
        description="Everything else: title, authors, year, arxiv_id, source, categories...",
    )


class RecordFormatError(LyceumError):
    """A line of a records file is not a JSON object with a text field."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in worker processes: keep the hint when pickled back to the driver.
        return (type(self), (str(self),), {"hint": self.hint})


def record_from_mapping(
    obj: dict[str, Any], *, fallback_id: str, text_field: str = "text", id_field: str = "id"
) -> Record:
    """Build a Record from any JSON object: `text_field` becomes the text, `id_field` the id
    (else `fallback_id`), an existing `metadata` object is kept and the other keys join it."""
    if text_field not in obj:
        raise RecordFormatError(
            f"record {fallback_id} has no {text_field!r} field (keys: {sorted(obj)[:8]})",
            hint="Pass --text-field to name the field that holds the text.",
        )
    text = obj[text_field]
    if not isinstance(text, str):
        raise RecordFormatError(f"record {fallback_id}: field {text_field!r} is not a string")
    raw_id = obj.get(id_field)
    metadata = dict(obj.get("metadata") or {}) if isinstance(obj.get("metadata"), dict) else {}
    for key, value in obj.items():
        if key not in (text_field, id_field, "metadata"):
            metadata[key] = value
    return Record(
        id=str(raw_id) if raw_id is not None else fallback_id, text=text, metadata=metadata
    )


def parse_record_line(
    line: str | bytes, *, fallback_id: str, text_field: str = "text", id_field: str = "id"
) -> Record:
    """Parse one JSONL line into a Record (see `record_from_mapping`)."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordFormatError(f"record {fallback_id} is not valid JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise RecordFormatError(f"record {fallback_id} is a JSON {type(obj).__name__}, not object")
    return record_from_mapping(
        obj, fallback_id=fallback_id, text_field=text_field, id_field=id_field
    )


def read_records(
    path: str | Path, *, text_field: str = "text", id_field: str = "id"
) -> Iterator[Record]:
    """Stream the records of a JSONL file; blank lines are skipped, a bad line is an error
    naming its line number."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"records file {path} does not exist")
    for row in read_jsonl(path, error=RecordFormatError):
        yield record_from_mapping(
            row.value,
            fallback_id=f"{path.stem}:{row.line}",
            text_field=text_field,
            id_field=id_field,
        )


def dump_record(record: Record) -> str:
    """One JSONL line (without newline); non-ASCII text is kept as is."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False)


def write_records(records: Iterable[Record], out: IO[str]) -> int:
    """Write records as JSONL to an open text file; returns how many were written."""
    count = 0
    for record in records:
        out.write(dump_record(record))
        out.write("\n")
        count += 1
    return count
