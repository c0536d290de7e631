"""Each step as a file-to-file run on an executor: what the pipeline chains and what the
single-step commands (`lyceum data clean|dedup|format|stats`) call.

A run streams its input file through the step's batch function on the executor, writes the
output records (hashed as written, renamed into place only when complete), logs every drop
and unreadable source as a JSON line, and returns the output files with a `StepReport`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pydantic import BaseModel, Field

from lyceum.data.arxiv_metadata import ArxivMetadata
from lyceum.data.clean import CleanConfig, clean_batch
from lyceum.data.dedup import DedupConfig, deduplicate_file
from lyceum.data.executors import Executor, LocalExecutor
from lyceum.data.formats import SPLIT_NAMES, FormatConfig, FormattedBatch, format_batch, row_text
from lyceum.data.manifest import HashingWriter, OutputFile, file_output
from lyceum.data.readers import (
    InputUnit,
    ReadConfig,
    iter_table_records,
    list_sources,
    read_sources_batch,
)
from lyceum.data.records import Record, dump_record, parse_record_line
from lyceum.data.stats import BatchResult, SourceError, StepReport, StepStats, count_tokens

_READ_BATCH = 4


def clean_lines(lines: list[str], *, config: CleanConfig) -> BatchResult:
    """Worker function of the clean step: JSONL record lines in, cleaned records out."""
    records = [parse_record_line(line, fallback_id="?") for line in lines]
    return clean_batch(records, config)


def format_lines(lines: list[str], *, config: FormatConfig) -> FormattedBatch:
    """Worker function of the format step."""
    records = [parse_record_line(line, fallback_id="?") for line in lines]
    return format_batch(records, config)


@dataclass
class StepContext:
    """Where a run writes (`root`: output paths are recorded relative to it) and on what."""

    root: Path
    executor: Executor = field(default_factory=lambda: LocalExecutor(1))
    batch_size: int = 256
    on_advance: Callable[[int], None] | None = None

    def advance(self, n: int) -> None:
        if self.on_advance is not None and n:
            self.on_advance(n)


class _TextSink:
    """Adapts a HashingWriter to the `write(str)` interface StepReport logs to."""

    def __init__(self, writer: HashingWriter) -> None:
        self.writer = writer

    def write(self, text: str) -> int:
        self.writer.write(text)
        return len(text)


def _writers(*paths: Path | None) -> list[HashingWriter | None]:
    return [HashingWriter(p) if p is not None else None for p in paths]


def _commit(ctx: StepContext, *writers: HashingWriter | None) -> list[OutputFile]:
    return [w.commit(ctx.root) for w in writers if w is not None]


def _abort(*writers: HashingWriter | None) -> None:
    for writer in writers:
        if writer is not None:
            writer.abort()


def _write_records(writer: HashingWriter, report: StepReport, records: list[Record]) -> None:
    for record in records:
        writer.write(dump_record(record) + "\n")
        report.add_output(record)


def run_read(
    ctx: StepContext,
    config: ReadConfig,
    sources: list[InputUnit],
    out: Path,
    *,
    sources_path: Path,
    errors_path: Path | None = None,
) -> tuple[list[OutputFile], StepReport]:
    """Read `sources` into records. Files are extracted on the executor; JSONL and Parquet
    are streamed in this process. `sources_path` receives the list the executor maps over."""
    tables = [s for s in sources if s.format in ("jsonl", "parquet")]
    others = [s for s in sources if s not in tables]
    sources_path.write_text("".join(s.to_json() + "\n" for s in others), encoding="utf-8")
    records, errors = _writers(out, errors_path)
    assert records is not None
    metadata = (
        ArxivMetadata(config.arxiv_metadata, sources_path.with_suffix(".arxiv.sqlite"))
        if config.arxiv_metadata
        else None
    )

    def write(report: StepReport, batch: list[Record]) -> None:
        assert records is not None
        if metadata is not None:
            batch = [metadata.enrich(r) for r in batch]
        _write_records(records, report, batch)

    try:
        report = StepReport("read", errors_file=_TextSink(errors) if errors else None)
        fn = partial(read_sources_batch, text_field=config.text_field)
        if others:
            for result in ctx.executor.map_file(fn, sources_path, batch_size=_READ_BATCH):
                write(report, report.add_batch(result))
                ctx.advance(result.sources)
        for source in tables:
            for item in iter_table_records(source, text_field=config.text_field):
                report.add_input()
                if isinstance(item, SourceError):
                    report.add_error(item)
                else:
                    write(report, [item])
            ctx.advance(1)
    except BaseException:
        _abort(records, errors)
        raise
    finally:
        if metadata is not None:
            metadata.close()
    report.details["sources"] = len(sources)
    if metadata is not None:
        report.details["arxiv_metadata_entries"] = metadata.entries
    return _commit(ctx, records, errors), report


def run_clean(
    ctx: StepContext, config: CleanConfig, in_path: Path, out: Path, *, drops_path: Path | None
) -> tuple[list[OutputFile], StepReport]:
    """Clean and filter every record of `in_path` into `out`."""
    records, drops = _writers(out, drops_path)
    assert records is not None
    try:
        report = StepReport("clean", drops_file=_TextSink(drops) if drops else None)
        fn = partial(clean_lines, config=config)
        for result in ctx.executor.map_file(fn, in_path, batch_size=ctx.batch_size):
            _write_records(records, report, report.add_batch(result))
            ctx.advance(result.docs_in)
    except BaseException:
        _abort(records, drops)
        raise
    return _commit(ctx, records, drops), report


def run_dedup(
    ctx: StepContext,
    config: DedupConfig,
    in_path: Path,
    out: Path,
    *,
    drops_path: Path | None,
    clusters_path: Path,
    workdir: Path,
) -> tuple[list[OutputFile], StepReport]:
    """Deduplicate `in_path` into `out`, with a cluster report."""
    (drops,) = _writers(drops_path)
    partial_out = out.with_name(f".{out.name}.partial")
    try:
        report = StepReport("dedup", drops_file=_TextSink(drops) if drops else None)
        deduplicate_file(
            in_path,
            partial_out,
            config,
            executor=ctx.executor,
            workdir=workdir,
            clusters_path=clusters_path,
            report=report,
            on_batch=ctx.advance,
        )
    except BaseException:
        _abort(drops)
        partial_out.unlink(missing_ok=True)
        raise
    finally:
        with suppress(OSError):
            workdir.rmdir()  # its spill files are gone; the folder goes too unless shared
    partial_out.replace(out)
    outputs = [file_output(out, ctx.root), file_output(clusters_path, ctx.root)]
    return [*outputs, *_commit(ctx, drops)], report


def run_format(
    ctx: StepContext, config: FormatConfig, in_path: Path, out_dir: Path, *, drops_path: Path | None
) -> tuple[list[OutputFile], StepReport]:
    """Format records into `out_dir/{train,validation,test}.jsonl`."""
    splits = [s for s in SPLIT_NAMES if s in config.splits]
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = {s: HashingWriter(out_dir / f"{s}.jsonl") for s in splits}
    (drops,) = _writers(drops_path)
    counts = dict.fromkeys(splits, 0)
    try:
        report = StepReport("format", drops_file=_TextSink(drops) if drops else None)
        fn = partial(format_lines, config=config)
        for batch in ctx.executor.map_file(fn, in_path, batch_size=ctx.batch_size):
            report.add_input(batch.docs_in)
            for drop in batch.drops:
                report.add_drop(drop)
            for split, row in batch.rows:
                writers[split].write(json.dumps(row, ensure_ascii=False) + "\n")
                report.add_output_text(row_text(row))
                counts[split] += 1
            ctx.advance(batch.docs_in)
    except BaseException:
        _abort(*writers.values(), drops)
        raise
    report.details["splits"] = counts
    report.details["kind"] = config.kind
    return _commit(ctx, *writers.values(), drops), report


def read_file(
    config: ReadConfig,
    out_path: Path | str,
    *,
    executor: Executor | None = None,
    errors_path: Path | str | None = None,
) -> StepStats:
    """Read files, folders (LaTeX projects by their main file) and arXiv tarballs into one
    JSONL file of records. Unreadable inputs are counted in `errors` by kind (and logged to
    `errors_path`), never fatal; `details["sources"]` is the number of inputs found."""
    out = Path(out_path).resolve()
    errors = Path(errors_path).resolve() if errors_path else None
    for path in (out, errors):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
    # Output paths are recorded relative to the root, which must hold both files.
    root = Path(os.path.commonpath([out.parent, *([errors.parent] if errors else [])]))
    ctx = StepContext(root=root, executor=executor or LocalExecutor(1))
    sources = list_sources(config.paths, config.formats)
    # The list of sources the executor maps over; written beside the output, then removed.
    sources_path = out.with_name(f".{out.name}.sources.jsonl")
    try:
        _, report = run_read(
            ctx, config, sources, out, sources_path=sources_path, errors_path=errors
        )
    finally:
        sources_path.unlink(missing_ok=True)
        sources_path.with_suffix(".arxiv.sqlite").unlink(missing_ok=True)
    return report.stats()


def _common_root(out_dir: Path, drops: Path | None) -> Path:
    """The folder holding the output and the drops log, which output paths are recorded
    relative to (the log may be anywhere, not only beside the output)."""
    if drops is None:
        return out_dir
    drops.parent.mkdir(parents=True, exist_ok=True)
    return Path(os.path.commonpath([out_dir, drops.parent]))


def clean_file(
    in_path: Path | str,
    out_path: Path | str,
    config: CleanConfig | None = None,
    *,
    executor: Executor | None = None,
    drops_path: Path | str | None = None,
) -> StepStats:
    """Clean a JSONL file of records into another; each drop logged to `drops_path`."""
    out = Path(out_path).resolve()
    drops = Path(drops_path).resolve() if drops_path else None
    ctx = StepContext(root=_common_root(out.parent, drops), executor=executor or LocalExecutor(1))
    _, report = run_clean(ctx, config or CleanConfig(), Path(in_path), out, drops_path=drops)
    return report.stats()


def format_file(
    in_path: Path | str,
    out_dir: Path | str,
    config: FormatConfig | None = None,
    *,
    executor: Executor | None = None,
    drops_path: Path | str | None = None,
) -> StepStats:
    """Format a JSONL file of records into split files in `out_dir`."""
    out = Path(out_dir).resolve()
    drops = Path(drops_path).resolve() if drops_path else None
    ctx = StepContext(root=_common_root(out, drops), executor=executor or LocalExecutor(1))
    _, report = run_format(ctx, config or FormatConfig(), Path(in_path), out, drops_path=drops)
    return report.stats()


class CorpusStats(BaseModel):
    """Size of a JSONL corpus."""

    documents: int = 0
    characters: int = 0
    tokens: int = Field(default=0, description="Word-level tokens (words and punctuation).")
    min_tokens: int = 0
    max_tokens: int = 0
    fields: dict[str, int] = Field(
        default_factory=dict, description="How many records have each metadata key."
    )

    @property
    def mean_tokens(self) -> float:
        return self.tokens / self.documents if self.documents else 0.0


def corpus_stats(path: Path | str, *, text_field: str = "text") -> CorpusStats:
    """Count documents, characters and tokens of a JSONL file in one streaming pass."""
    path = Path(path)
    stats = CorpusStats()
    fields: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            record = parse_record_line(line, fallback_id=str(lineno), text_field=text_field)
            tokens = count_tokens(record.text)
            stats.min_tokens = tokens if stats.documents == 0 else min(stats.min_tokens, tokens)
            stats.max_tokens = max(stats.max_tokens, tokens)
            stats.documents += 1
            stats.characters += len(record.text)
            stats.tokens += tokens
            for key in record.metadata:
                fields[key] = fields.get(key, 0) + 1
    stats.fields = dict(sorted(fields.items(), key=lambda kv: -kv[1]))
    return stats
