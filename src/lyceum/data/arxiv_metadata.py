"""arXiv metadata joined onto records: categories, and title/abstract/authors where missing.

Source archives carry no categories, and sometimes no usable title. arXiv publishes metadata
as JSON Lines (e.g. the OAI snapshot: `id`, `title`, `abstract`, `authors` or
`authors_parsed`, `categories`, `doi`, `journal-ref`). The read step indexes such files by id
in an SQLite file on disk — millions of entries, constant memory — and fills each record
whose `arxiv_id` matches.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lyceum.data.extract.special_tokens import neutralize_specials
from lyceum.data.records import Record
from lyceum.errors import ConfigError
from lyceum.jsonl import read_jsonl

_VERSION_RE = re.compile(r"v\d+$")


def _normalize_id(raw: Any) -> str:
    return _VERSION_RE.sub("", str(raw).strip())


def _authors(entry: dict[str, Any]) -> list[str] | None:
    parsed = entry.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for parts in parsed:
            if isinstance(parts, list) and parts:
                last, first = str(parts[0]), str(parts[1]) if len(parts) > 1 else ""
                names.append(f"{first} {last}".strip())
        return names or None
    raw = entry.get("authors")
    if isinstance(raw, list):
        return [str(a) for a in raw]
    if isinstance(raw, str) and raw.strip():
        return [a.strip() for a in re.split(r",\s*|\s+and\s+", raw) if a.strip()]
    return None


def _text(value: Any) -> str:
    """A metadata string, whitespace folded and chat-template tokens defused: the snapshot is
    outside text, and its titles and abstracts end up in training rows and prompts."""
    return neutralize_specials(" ".join(str(value).split()))


def _fields(entry: dict[str, Any]) -> dict[str, Any]:
    categories = entry.get("categories")
    if isinstance(categories, str):
        categories = categories.split()
    authors = _authors(entry)
    out = {
        "title": _text(entry["title"]) if entry.get("title") else None,
        "abstract": _text(entry["abstract"]) if entry.get("abstract") else None,
        "authors": [_text(a) for a in authors] if authors else None,
        "categories": categories or None,
        "doi": entry.get("doi") or None,
        "journal_ref": entry.get("journal-ref") or entry.get("journal_ref") or None,
    }
    return {k: v for k, v in out.items() if v is not None}


class ArxivMetadata:
    """An on-disk index of arXiv metadata by id, built from JSONL files."""

    def __init__(self, paths: Iterable[Path | str], db_path: Path) -> None:
        self.db_path = db_path
        db_path.unlink(missing_ok=True)
        self._db = sqlite3.connect(db_path)
        self._db.execute("CREATE TABLE meta (id TEXT PRIMARY KEY, fields TEXT NOT NULL)")
        self.entries = 0
        for path in map(Path, paths):
            self._load(path)
        self._db.commit()

    def _load(self, path: Path) -> None:
        if not path.is_file():
            raise ConfigError(f"arXiv metadata file {path} does not exist")
        rows: list[tuple[str, str]] = []
        for row in read_jsonl(path, error=ConfigError, errors="replace"):
            entry = row.value
            if "id" not in entry:
                raise ConfigError(f"{path}:{row.line}: an arXiv metadata entry needs an `id`")
            rows.append((_normalize_id(entry["id"]), json.dumps(_fields(entry))))
            if len(rows) >= 10_000:
                self._insert(rows)
        self._insert(rows)

    def _insert(self, rows: list[tuple[str, str]]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", rows)
        self.entries += len(rows)
        rows.clear()

    def lookup(self, arxiv_id: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT fields FROM meta WHERE id = ?", (_normalize_id(arxiv_id),)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def enrich(self, record: Record) -> Record:
        """The record with the entry's categories, DOI and journal reference, and its title,
        abstract and authors where the record has none."""
        arxiv_id = record.metadata.get("arxiv_id")
        found = self.lookup(str(arxiv_id)) if arxiv_id else None
        if not found:
            return record
        metadata = dict(record.metadata)
        for key, value in found.items():
            if key in ("categories", "doi", "journal_ref") or not metadata.get(key):
                metadata[key] = value
        return Record(id=record.id, text=record.text, metadata=metadata)

    def close(self) -> None:
        self._db.close()
        self.db_path.unlink(missing_ok=True)
