"""`run_pipeline`: the configured steps end to end, resumable by step, on a chosen executor.

Layout of the output directory:

    steps/00-read.jsonl            records after each step (00-read, 01-clean, 02-dedup...)
    steps/NN-STEP.drops.jsonl      one line per removed record: id, step, reason, detail
    steps/00-read.errors.jsonl     one line per unreadable source: source, kind, message
    steps/NN-dedup.clusters.jsonl  duplicate clusters: representative and members
    train.jsonl, validation.jsonl, test.jsonl   the format step's rows
    manifest.json                  finished steps and the hashes that let a re-run skip them
    stats.json                     the statistics report
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, Field

from lyceum.data.clean import CleanConfig, clean_batch
from lyceum.data.dedup import DedupConfig, deduplicate_file
from lyceum.data.executors import Executor, make_executor
from lyceum.data.formats import SPLIT_NAMES, FormatConfig, FormattedBatch, format_batch, row_text
from lyceum.data.manifest import (
    HashingWriter,
    Manifest,
    OutputFile,
    StepEntry,
    file_output,
    sources_identity,
    step_key,
)
from lyceum.data.pipeline_config import PipelineConfig, StepSpec
from lyceum.data.readers import (
    ReadConfig,
    Source,
    iter_table_records,
    list_sources,
    read_sources_batch,
)
from lyceum.data.records import Record, dump_record, parse_record_line
from lyceum.data.stats import BatchResult, SourceError, StepReport, StepStats

_READ_BATCH = 4


class ProgressHook(Protocol):
    """What a front end (the CLI's progress bar) is told while the pipeline runs."""

    def start(self, step: str, total: int | None) -> None: ...

    def advance(self, n: int) -> None: ...

    def finish(self, stats: StepStats, skipped: bool) -> None: ...


class PipelineResult(BaseModel):
    """Per-step statistics and where the outputs are."""

    name: str
    output: Path
    steps: list[StepStats]
    skipped: list[str] = Field(description="Steps reused from a previous run.")
    summary: dict[str, Any]


def clean_lines(lines: list[str], *, config: CleanConfig) -> BatchResult:
    """Worker function of the clean step: JSONL record lines in, cleaned records out."""
    records = [parse_record_line(line, fallback_id="?") for line in lines]
    return clean_batch(records, config)


def format_lines(lines: list[str], *, config: FormatConfig) -> FormattedBatch:
    """Worker function of the format step."""
    records = [parse_record_line(line, fallback_id="?") for line in lines]
    return format_batch(records, config)


@dataclass
class _Context:
    root: Path
    steps_dir: Path
    executor: Executor
    batch_size: int
    progress: ProgressHook | None

    def advance(self, n: int) -> None:
        if self.progress is not None and n:
            self.progress.advance(n)


def _step_files(ctx: _Context, index: int, name: str) -> dict[str, Path]:
    stem = f"{index:02d}-{name}"
    return {
        "records": ctx.steps_dir / f"{stem}.jsonl",
        "drops": ctx.steps_dir / f"{stem}.drops.jsonl",
        "errors": ctx.steps_dir / f"{stem}.errors.jsonl",
        "clusters": ctx.steps_dir / f"{stem}.clusters.jsonl",
        "sources": ctx.steps_dir / f"{stem}.sources.jsonl",
    }


def _write_records(writer: HashingWriter, report: StepReport, records: list[Record]) -> None:
    for record in records:
        writer.write(dump_record(record) + "\n")
        report.add_output(record)


def _run_read(
    ctx: _Context, spec: StepSpec, files: dict[str, Path], sources: list[Source]
) -> tuple[list[OutputFile], StepReport]:
    options = spec.options
    assert isinstance(options, ReadConfig)
    tables = [s for s in sources if s.format in ("jsonl", "parquet")]
    others = [s for s in sources if s not in tables]
    files["sources"].write_text("".join(s.to_json() + "\n" for s in others), encoding="utf-8")
    out, errors = HashingWriter(files["records"]), HashingWriter(files["errors"])
    try:
        report = StepReport("read", errors_file=_TextSink(errors))
        fn = partial(read_sources_batch, text_field=options.text_field)
        if others:
            for result in ctx.executor.map_file(fn, files["sources"], batch_size=_READ_BATCH):
                _write_records(out, report, report.add_batch(result))
                ctx.advance(result.sources)
        for source in tables:
            for item in iter_table_records(source, text_field=options.text_field):
                report.add_input()
                if isinstance(item, SourceError):
                    report.add_error(item)
                else:
                    _write_records(out, report, [item])
            ctx.advance(1)
    except BaseException:
        out.abort()
        errors.abort()
        raise
    report.details["sources"] = len(sources)
    return [out.commit(ctx.root), errors.commit(ctx.root)], report


class _TextSink:
    """Adapts a HashingWriter to the `write(str)` interface StepReport writes drops to."""

    def __init__(self, writer: HashingWriter) -> None:
        self.writer = writer

    def write(self, text: str) -> int:
        self.writer.write(text)
        return len(text)


def _run_map(
    ctx: _Context,
    name: str,
    fn: Callable[[list[str]], BatchResult],
    input_path: Path,
    files: dict[str, Path],
) -> tuple[list[OutputFile], StepReport]:
    out, drops = HashingWriter(files["records"]), HashingWriter(files["drops"])
    try:
        report = StepReport(name, drops_file=_TextSink(drops))
        for result in ctx.executor.map_file(fn, input_path, batch_size=ctx.batch_size):
            _write_records(out, report, report.add_batch(result))
            ctx.advance(result.docs_in)
    except BaseException:
        out.abort()
        drops.abort()
        raise
    return [out.commit(ctx.root), drops.commit(ctx.root)], report


def _run_dedup(
    ctx: _Context, options: DedupConfig, input_path: Path, files: dict[str, Path]
) -> tuple[list[OutputFile], StepReport]:
    drops = HashingWriter(files["drops"])
    partial_out = files["records"].with_name(f".{files['records'].name}.partial")
    try:
        report = StepReport("dedup", drops_file=_TextSink(drops))
        deduplicate_file(
            input_path,
            partial_out,
            options,
            executor=ctx.executor,
            workdir=ctx.steps_dir / ".dedup-work",
            clusters_path=files["clusters"],
            report=report,
        )
    except BaseException:
        drops.abort()
        partial_out.unlink(missing_ok=True)
        raise
    ctx.advance(report.docs_in)
    partial_out.replace(files["records"])
    outputs = [file_output(files["records"], ctx.root), file_output(files["clusters"], ctx.root)]
    return [*outputs, drops.commit(ctx.root)], report


def _run_format(
    ctx: _Context, options: FormatConfig, input_path: Path, files: dict[str, Path]
) -> tuple[list[OutputFile], StepReport]:
    splits = [s for s in SPLIT_NAMES if s in options.splits]
    writers = {s: HashingWriter(ctx.root / f"{s}.jsonl") for s in splits}
    drops = HashingWriter(files["drops"])
    counts = dict.fromkeys(splits, 0)
    try:
        report = StepReport("format", drops_file=_TextSink(drops))
        fn = partial(format_lines, config=options)
        for batch in ctx.executor.map_file(fn, input_path, batch_size=ctx.batch_size):
            report.add_input(batch.docs_in)
            for drop in batch.drops:
                report.add_drop(drop)
            for split, row in batch.rows:
                writers[split].write(json.dumps(row, ensure_ascii=False) + "\n")
                report.add_output_text(row_text(row))
                counts[split] += 1
            ctx.advance(batch.docs_in)
    except BaseException:
        for writer in [*writers.values(), drops]:
            writer.abort()
        raise
    report.details["splits"] = counts
    report.details["kind"] = options.kind
    outputs = [writers[s].commit(ctx.root) for s in splits]
    return [*outputs, drops.commit(ctx.root)], report


def _summary(stats: list[StepStats]) -> dict[str, Any]:
    by_name = {s.step: s for s in stats}
    summary: dict[str, Any] = {
        "documents_read": by_name["read"].docs_out if "read" in by_name else 0,
        "documents_out": stats[-1].docs_out,
        "tokens_out": stats[-1].tokens_out,
        "unreadable_sources": sum(by_name["read"].errors.values()) if "read" in by_name else 0,
        "dropped_by_step": {s.step: s.total_dropped for s in stats},
    }
    if "dedup" in by_name:
        summary["duplicate_rate"] = by_name["dedup"].details.get("duplicate_rate", 0.0)
    if "format" in by_name:
        summary["splits"] = by_name["format"].details.get("splits", {})
    return summary


def run_pipeline(
    config: PipelineConfig,
    *,
    progress: ProgressHook | None = None,
    force: bool = False,
    executor: Executor | None = None,
) -> PipelineResult:
    """Run every step, skipping those whose config and input match a finished run (unless
    `force`). Returns per-step statistics; also written to `stats.json` in the output."""
    root = config.output.resolve()
    steps_dir = root / "steps"
    steps_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(root) if not force else Manifest()
    manifest.pipeline = config.name
    executor = executor or make_executor(
        config.executor, workers=config.workers, ray_address=config.ray_address
    )
    ctx = _Context(root, steps_dir, executor, config.batch_size, progress)
    all_stats: list[StepStats] = []
    skipped: list[str] = []
    previous: Path | None = None
    identity = ""
    for index, spec in enumerate(config.steps):
        files = _step_files(ctx, index, spec.name)
        sources: list[Source] = []
        if spec.name == "read":
            assert isinstance(spec.options, ReadConfig)
            sources = list_sources(spec.options.paths, spec.options.formats)
            identity = sources_identity([{"path": s.path, "format": s.format} for s in sources])
        key = step_key(spec.name, spec.options_json(), identity)
        done = manifest.finished(index, key, root)
        total = len(sources) if spec.name == "read" else all_stats[-1].docs_out
        if progress is not None:
            progress.start(spec.name, total)
        was_skipped = done is not None
        if done is not None:
            stats = done.stats
            skipped.append(spec.name)
        else:
            started = time.perf_counter()
            outputs, report = _run_step(ctx, spec, previous, files, sources)
            stats = report.stats(time.perf_counter() - started)
            done = StepEntry(index=index, name=spec.name, key=key, outputs=outputs, stats=stats)
            manifest.record(done)
            manifest.save(root)
        if progress is not None:
            progress.finish(stats, was_skipped)
        all_stats.append(stats)
        identity = done.output_hash
        previous = files["records"]
    summary = _summary(all_stats)
    result = PipelineResult(
        name=config.name, output=root, steps=all_stats, skipped=skipped, summary=summary
    )
    (root / "stats.json").write_text(result.model_dump_json(indent=2), encoding="utf-8")
    return result


def _run_step(
    ctx: _Context,
    spec: StepSpec,
    previous: Path | None,
    files: dict[str, Path],
    sources: list[Source],
) -> tuple[list[OutputFile], StepReport]:
    if spec.name == "read":
        return _run_read(ctx, spec, files, sources)
    assert previous is not None
    if spec.name == "clean":
        assert isinstance(spec.options, CleanConfig)
        fn = partial(clean_lines, config=spec.options)
        return _run_map(ctx, "clean", fn, previous, files)
    if spec.name == "dedup":
        assert isinstance(spec.options, DedupConfig)
        return _run_dedup(ctx, spec.options, previous, files)
    assert isinstance(spec.options, FormatConfig)
    return _run_format(ctx, spec.options, previous, files)


def iter_step_records(result: PipelineResult, step: str) -> Iterator[Record]:
    """Records a finished step wrote (e.g. to inspect what clean kept)."""
    names = [s.step for s in result.steps]
    index = names.index(step)
    path = result.output / "steps" / f"{index:02d}-{step}.jsonl"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield Record.model_validate_json(line)
