"""JSONL: one document per record, text from a text field, the other fields as metadata."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lyceum.data.extract.document import Document, ExtractionError, fill_identifiers, find_year
from lyceum.jsonl import parse_jsonl

TEXT_FIELDS = ("text", "content", "body", "abstract", "extract")
_KNOWN = {"title", "authors", "author", "year", "date", "url", "doi", "arxiv_id", "id", "source"}


def _authors(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(a) for a in value if str(a).strip()]
    if isinstance(value, str) and value.strip():
        return [a.strip() for a in value.split(";" if ";" in value else ",") if a.strip()]
    return []


def _year(record: dict[str, Any]) -> int | None:
    year = record.get("year")
    if isinstance(year, int):
        return year
    if isinstance(year, str) and year.strip().isdigit():
        return int(year.strip())
    date = record.get("date")
    return find_year(str(date)) if date else None


def record_to_document(
    record: dict[str, Any], source: str, key: str, text_field: str | None = None
) -> Document:
    """One JSON object as a `Document`; `text_field` defaults to the first of TEXT_FIELDS present."""
    field = text_field or next((f for f in TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if field is None or not isinstance(record.get(field), str):
        wanted = text_field or " / ".join(TEXT_FIELDS)
        raise ExtractionError(f"{source} record {key}: no string field {wanted!r}")
    metadata = {k: v for k, v in record.items() if k != field and k not in _KNOWN}
    doc = Document(
        text=record[field].strip(),
        title=str(record.get("title") or ""),
        authors=_authors(record.get("authors", record.get("author"))),
        year=_year(record),
        source=str(record.get("source") or source),
        url=str(record["url"]) if record.get("url") else None,
        doi=str(record["doi"]) if record.get("doi") else None,
        arxiv_id=str(record["arxiv_id"]) if record.get("arxiv_id") else None,
        format="jsonl",
        key=key,
        metadata=metadata,
    )
    return fill_identifiers(doc)


def iter_jsonl(text: str, source: str = "", text_field: str | None = None) -> Iterator[Document]:
    """Documents of a JSONL file; a record's key is its `id` field, else `L<line number>`.
    A malformed line stops the file with an error naming the line."""
    for row in parse_jsonl(text.splitlines(), source, error=ExtractionError):
        record, number = row.value, row.line
        key = str(record["id"]) if record.get("id") is not None else f"L{number}"
        doc = record_to_document(record, source, key, text_field)
        if doc.text:
            yield doc
