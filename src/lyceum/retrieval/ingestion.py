"""Ingest files and folders into a collection, incrementally by content hash."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from lyceum.config import Settings, load_settings
from lyceum.data.extract import Document, SourceFile, discover_files, extract_file
from lyceum.progress import ProgressCallback, advance, finish, ignore_progress, start
from lyceum.retrieval.index import CorpusIndex, open_index
from lyceum.retrieval.settings import retrieval_settings
from lyceum.retrieval.types import FileProblem, IngestReport


def _under(path: str, roots: Sequence[Path]) -> bool:
    return any(path == str(r) or path.startswith(str(r).rstrip("/") + "/") for r in roots)


def ingest(
    paths: Iterable[Path | str],
    *,
    collection: str | None = None,
    settings: Settings | None = None,
    prune: bool = False,
    progress: ProgressCallback | None = None,
    text_field: str | None = None,
) -> IngestReport:
    """Add files and folders to `collection`. Unchanged files are skipped, changed files
    re-chunked, unreadable ones reported in `failed`; files previously ingested from these
    paths that have disappeared are listed in `missing`, and removed when `prune` is set."""
    settings = settings or load_settings()
    name = collection or retrieval_settings(settings).default_collection
    started = time.perf_counter()
    roots = [Path(p).expanduser().resolve() for p in paths]
    units = discover_files(roots)
    index = open_index(settings, name)
    index.repair()
    report = IngestReport(collection=name, chunks_repaired=index.take_repair_count())
    known = index.files()
    task = f"ingest {name}"
    emit = progress or ignore_progress
    emit(start(task, len(units)))
    # Files done so far stay done when a later one raises or the user interrupts; a killed
    # process leaves the index marked for `repair` instead.
    try:
        for unit in units:
            _ingest_unit(index, unit, known, report, text_field)
            emit(advance(task, 1, unit.path.name))
        emit(finish(task))
        present = {str(u.path) for u in units}
        for path in sorted(known):
            if path not in present and _under(path, roots) and not Path(path).exists():
                if prune:
                    report.chunks_removed += index.remove_file(path)
                    report.pruned.append(path)
                else:
                    report.missing.append(path)
    finally:
        index.commit()
    report.seconds = time.perf_counter() - started
    return report


def _ingest_unit(
    index: CorpusIndex,
    unit: SourceFile,
    known: Mapping[str, object],
    report: IngestReport,
    text_field: str | None,
) -> None:
    path = str(unit.path)
    if unit.format == "unknown":
        report.failed.append(
            FileProblem(path=path, error=f"unsupported file type {unit.path.suffix!r}")
        )
        return
    try:
        digest = unit.content_hash()
    except OSError as exc:
        report.failed.append(FileProblem(path=path, error=f"cannot read: {exc.strerror or exc}"))
        return
    previous = index.files().get(path) if path in known else None
    if previous is not None and previous.content_hash == digest:
        report.unchanged.append(path)
        return
    try:
        docs = extract_file(unit.path, text_field=text_field)
    # A broken file must not stop the other files: whatever the extractor raised (pypdf and
    # pylatexenc raise a wide variety on malformed input) is reported against this file.
    except Exception as exc:
        report.failed.append(FileProblem(path=path, error=str(exc) or type(exc).__name__))
        return
    added, removed = index.replace_file(path, digest, unit.format, docs)
    report.documents += len(docs)
    report.chunks_added += added
    report.chunks_removed += removed
    (report.updated if previous is not None else report.added).append(path)


def ingest_documents(
    documents: Sequence[Document],
    *,
    source: str,
    content_hash: str,
    collection: str,
    settings: Settings,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest documents that do not come from one local file (a downloaded corpus, an API),
    tracked as one unit named `source`: re-ingesting with the same `content_hash` is a no-op."""
    started = time.perf_counter()
    index = open_index(settings, collection)
    index.repair()
    report = IngestReport(collection=collection, chunks_repaired=index.take_repair_count())
    previous = index.files().get(source)
    if previous is not None and previous.content_hash == content_hash:
        report.unchanged.append(source)
        return report
    task = f"embed {collection}"
    emit = progress or ignore_progress
    emit(start(task, None))
    try:
        added, removed = index.replace_file(
            source, content_hash, "jsonl", documents, progress=emit, task=task
        )
        emit(finish(task))
    finally:
        index.commit()
    report.documents = len(documents)
    report.chunks_added, report.chunks_removed = added, removed
    (report.updated if previous is not None else report.added).append(source)
    report.seconds = time.perf_counter() - started
    return report
