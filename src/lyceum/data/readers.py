"""Read step: sources (folders, LaTeX projects, arXiv archives, PDF, HTML, Markdown, text,
JSONL, Parquet) to records.

`list_sources` enumerates the units to read; `read_sources` turns a batch of them into records
through `lyceum.data.extract` (and `archives` for tarballs). JSONL and Parquet are streamed
record by record (`iter_table_records`) instead of being loaded whole. A source that cannot be
read becomes a `SourceError` (corrupt archive, undecodable, no text...), never an exception.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lyceum.data.archives import CorruptArchiveError, extract_archive, is_archive
from lyceum.data.extract import Document, ExtractionError, discover_files, extract_file
from lyceum.data.extract.deadline import ExtractionTimeout
from lyceum.data.extract.files import inside_files
from lyceum.data.extract.jsonl import record_to_document
from lyceum.data.records import Record
from lyceum.data.stats import BatchResult, SourceError
from lyceum.errors import ConfigError, MissingDependencyError
from lyceum.jsonl import BadLine, scan_jsonl

TABLE_FORMATS = ("jsonl", "parquet")
_MAX_REPLACEMENT_RATIO = 0.01


class ReadConfig(BaseModel):
    """Options of the read step."""

    model_config = ConfigDict(extra="forbid")

    paths: list[str] = Field(
        min_length=1, description="Files and folders to read (folders recursively)."
    )
    text_field: str | None = Field(
        default=None,
        description="Field holding the text in JSONL/Parquet (default: text, content, body...).",
    )
    formats: list[str] | None = Field(
        default=None,
        description="Only read these formats (latex, pdf, html, markdown, text, jsonl, "
        "parquet, archive); None reads all.",
    )
    arxiv_metadata: list[str] = Field(
        default_factory=list,
        description="JSONL files of arXiv metadata (id, title, abstract, authors, categories, "
        "e.g. the OAI snapshot) joined onto records by arxiv_id.",
    )


@dataclass(frozen=True)
class InputUnit:
    """One unit to read: a file, a LaTeX project (by its main file), or an archive.
    `name` is its path relative to the input root (e.g. `corpus/widgets/main.tex`), which
    names its records independently of where the corpus sits on disk."""

    path: str
    format: str
    name: str = ""

    def to_json(self) -> str:
        row = {"path": self.path, "format": self.format, "name": self.name}
        return json.dumps(row, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> InputUnit:
        obj = json.loads(line)
        return cls(path=obj["path"], format=obj["format"], name=obj.get("name", ""))


def _relative_name(path: Path, root: Path) -> str:
    base = root.resolve()
    if base.is_file():
        return base.name
    try:
        return str(Path(base.name) / path.resolve().relative_to(base))
    except ValueError:
        return path.name


def _special_format(path: Path) -> str | None:
    if is_archive(path):
        return "archive"
    if path.suffix.lower() == ".parquet":
        return "parquet"
    return None


def list_sources(paths: Iterable[str | Path], formats: list[str] | None = None) -> list[InputUnit]:
    """Every unit under `paths`, sorted by path. Unknown file types named explicitly are
    listed as format "unknown" so that reading reports them."""
    sources: dict[str, InputUnit] = {}
    for raw in paths:
        root = Path(raw).expanduser()
        if not root.exists():
            raise ConfigError(f"input path {root} does not exist")
        for path in [root] if root.is_file() else inside_files(root):
            fmt = _special_format(path)
            if fmt:
                resolved = str(path.resolve())
                sources[resolved] = InputUnit(resolved, fmt, _relative_name(path, root))
        if root.is_file() and _special_format(root):
            continue
        for unit in discover_files([root]):
            name = _relative_name(unit.path, root)
            sources.setdefault(str(unit.path), InputUnit(str(unit.path), unit.format, name))
    listed = sorted(sources.values(), key=lambda s: s.path)
    if formats is not None:
        listed = [s for s in listed if s.format in formats]
    return listed


def _document_id(doc: Document, source: InputUnit) -> str:
    if doc.key:
        return doc.key
    if doc.arxiv_id:
        return doc.arxiv_id
    name = source.name or source.path
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{Path(source.path).stem}-{digest}"


def _abstract(doc: Document) -> str | None:
    for section in doc.sections:
        if section.title.strip().lower() == "abstract":
            body = doc.text[section.start : section.end]
            return body.split("\n\n", 1)[1].strip() if "\n\n" in body else body.strip()
    return None


def _categories(doc: Document) -> list[str] | None:
    raw = doc.metadata.get("categories")
    if isinstance(raw, list):
        return [str(c) for c in raw]
    if isinstance(raw, str) and raw.strip():
        return raw.split()
    if doc.arxiv_id and "/" in doc.arxiv_id:
        return [doc.arxiv_id.split("/", 1)[0]]  # old-style ids name their archive
    return None


def document_to_record(doc: Document, source: InputUnit, *, record_id: str | None = None) -> Record:
    """A Record carrying the document's text and provenance (sections as offsets, for clean)."""
    metadata: dict[str, Any] = {
        **doc.metadata,
        "title": doc.title or None,
        "authors": doc.authors or None,
        "year": doc.year,
        "arxiv_id": doc.arxiv_id,
        "doi": doc.doi,
        "url": doc.url,
        "abstract": _abstract(doc),
        "categories": _categories(doc),
        "source": doc.source or source.path,
        "format": doc.format,
        "sections": [s.model_dump() for s in doc.sections] or None,
    }
    metadata = {k: v for k, v in metadata.items() if v is not None}
    return Record(id=record_id or _document_id(doc, source), text=doc.text, metadata=metadata)


def _error_kind(exc: ExtractionError) -> str:
    if isinstance(exc, CorruptArchiveError):
        return "corrupt_archive"
    if isinstance(exc, ExtractionTimeout):
        return "timeout"
    message = str(exc).lower()
    if "unsupported" in message:
        return "unsupported"
    if "binary" in message or "decode" in message:
        return "undecodable"
    return "extraction_failed"


def read_source(
    source: InputUnit, *, text_field: str | None = None
) -> tuple[list[Record], list[SourceError]]:
    """Records of one non-table source, or the error that prevented reading it."""
    path = Path(source.path)
    try:
        if source.format == "archive":
            docs = [extract_archive(path)]
        else:
            docs = extract_file(path, text_field=text_field)
    except MissingDependencyError:
        raise
    except ExtractionError as exc:
        return [], [SourceError(source.path, _error_kind(exc), str(exc))]
    except (OSError, UnicodeError, ValueError, RecursionError) as exc:
        return [], [SourceError(source.path, "extraction_failed", f"{type(exc).__name__}: {exc}")]
    records, errors = [], []
    for doc in docs:
        if doc.text and doc.text.count("\ufffd") > _MAX_REPLACEMENT_RATIO * len(doc.text):
            errors.append(
                SourceError(source.path, "undecodable", "text is not valid UTF-8 (mostly replaced)")
            )
            continue
        records.append(document_to_record(doc, source))
    return records, errors


def read_sources_batch(lines: list[str], *, text_field: str | None = None) -> BatchResult:
    """Batch function of the read step: JSON lines naming sources to records (in a worker)."""
    result = BatchResult(sources=len(lines))
    for line in lines:
        records, errors = read_source(InputUnit.from_json(line), text_field=text_field)
        result.records.extend(records)
        result.errors.extend(errors)
    # The read step's input is the documents found, readable or not.
    result.docs_in = len(result.records) + len(result.errors)
    return result


def _parquet_rows(path: Path) -> Iterator[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingDependencyError("pyarrow", "data", "Reading Parquet") from exc
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        yield from batch.to_pylist()


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    with path.open("rb") as fh:
        for item in scan_jsonl(fh):
            if isinstance(item, BadLine):
                yield item.line, None, f"line {item.line}: {item.problem}"
            else:
                yield item.line, item.value, ""


def iter_table_records(
    source: InputUnit, *, text_field: str | None = None
) -> Iterator[Record | SourceError]:
    """Stream a JSONL or Parquet source: a Record per row, a SourceError per unreadable row
    (or for the whole file if it cannot be opened)."""
    path = Path(source.path)
    stem = path.stem
    try:
        if source.format == "parquet":
            rows: Iterable[tuple[int, dict[str, Any] | None, str]] = (
                (n, row, "") for n, row in enumerate(_parquet_rows(path), start=1)
            )
        else:
            rows = _jsonl_rows(path)
        for number, obj, problem in rows:
            if obj is None:
                yield SourceError(source.path, "undecodable", problem)
                continue
            key = str(obj["id"]) if obj.get("id") is not None else f"{stem}:{number}"
            try:
                doc = record_to_document(obj, source.path, key, text_field)
            except ExtractionError as exc:
                yield SourceError(source.path, "extraction_failed", str(exc))
                continue
            if doc.text:
                yield document_to_record(doc, source, record_id=key)
    except MissingDependencyError:
        raise
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) for junk
        yield SourceError(source.path, "undecodable", f"{type(exc).__name__}: {exc}")


def read(
    paths: Iterable[str | Path],
    *,
    text_field: str | None = None,
    formats: list[str] | None = None,
    on_error: Callable[[SourceError], None] | None = None,
) -> Iterator[Record]:
    """Stream API of the read step (single process): the records under `paths`; each
    unreadable source or row goes to `on_error` instead of stopping the stream."""
    for source in list_sources(paths, formats):
        if source.format in TABLE_FORMATS:
            items: Iterable[Record | SourceError] = iter_table_records(
                source, text_field=text_field
            )
        else:
            records, errors = read_source(source, text_field=text_field)
            items = [*records, *errors]
        for item in items:
            if isinstance(item, SourceError):
                if on_error is not None:
                    on_error(item)
            else:
                yield item
