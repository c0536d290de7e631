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

import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from lyceum.data.clean import CleanConfig
from lyceum.data.dedup import DedupConfig
from lyceum.data.executors import Executor, make_executor
from lyceum.data.formats import FormatConfig
from lyceum.data.manifest import Manifest, OutputFile, StepEntry, sources_identity, step_key
from lyceum.data.pipeline_config import PipelineConfig, StepSpec
from lyceum.data.readers import InputUnit, ReadConfig, list_sources
from lyceum.data.stats import StepReport, StepStats
from lyceum.data.step_runs import StepContext, run_clean, run_dedup, run_format, run_read
from lyceum.progress import ProgressCallback, advance, finish, start


class PipelineResult(BaseModel):
    """Per-step statistics and where the outputs are."""

    name: str
    output: Path
    steps: list[StepStats]
    skipped: list[str] = Field(description="Steps reused from a previous run.")
    summary: dict[str, Any]


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
    progress: ProgressCallback | None = None,
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
    own_executor = executor is None
    executor = executor or make_executor(
        config.executor, workers=config.workers, ray_address=config.ray_address
    )
    try:
        return _run_steps(config, root, manifest, executor, progress)
    finally:
        if own_executor:
            executor.close()


def _run_steps(
    config: PipelineConfig,
    root: Path,
    manifest: Manifest,
    executor: Executor,
    progress: ProgressCallback | None,
) -> PipelineResult:
    steps_dir = root / "steps"
    step_name = ""

    def advanced(n: int) -> None:
        if progress is not None:
            progress(advance(step_name, n))

    ctx = StepContext(root, executor, config.batch_size, advanced)
    all_stats: list[StepStats] = []
    skipped: list[str] = []
    previous: Path | None = None
    identity = ""
    for index, spec in enumerate(config.steps):
        sources: list[InputUnit] = []
        if spec.name == "read":
            assert isinstance(spec.options, ReadConfig)
            sources = list_sources(spec.options.paths, spec.options.formats)
            listing = [{"path": s.path, "format": s.format} for s in sources]
            listing += [
                {"path": p, "format": "arxiv_metadata"} for p in spec.options.arxiv_metadata
            ]
            identity = sources_identity(listing)
        key = step_key(spec.name, spec.options_json(), identity)
        done = manifest.finished(index, key, root)
        total = len(sources) if spec.name == "read" else all_stats[-1].docs_out
        step_name = spec.name
        if progress is not None:
            progress(start(spec.name, total))
        was_skipped = done is not None
        if done is not None:
            stats = done.stats
            skipped.append(spec.name)
        else:
            started = time.perf_counter()
            outputs, report = _run_step(ctx, index, spec, previous, sources)
            stats = report.stats(time.perf_counter() - started)
            done = StepEntry(index=index, name=spec.name, key=key, outputs=outputs, stats=stats)
            manifest.record(done)
            manifest.save(root)
        if progress is not None:
            progress(finish(spec.name, "reused" if was_skipped else "", total=stats.docs_in))
        all_stats.append(stats)
        identity = done.output_hash
        previous = steps_dir / f"{index:02d}-{spec.name}.jsonl"
    summary = _summary(all_stats)
    result = PipelineResult(
        name=config.name, output=root, steps=all_stats, skipped=skipped, summary=summary
    )
    (root / "stats.json").write_text(result.model_dump_json(indent=2), encoding="utf-8")
    return result


def _run_step(
    ctx: StepContext,
    index: int,
    spec: StepSpec,
    previous: Path | None,
    sources: list[InputUnit],
) -> tuple[list[OutputFile], StepReport]:
    steps_dir = ctx.root / "steps"
    stem = steps_dir / f"{index:02d}-{spec.name}"
    records, drops = stem.with_suffix(".jsonl"), stem.with_suffix(".drops.jsonl")
    options = spec.options
    if isinstance(options, ReadConfig):
        return run_read(
            ctx,
            options,
            sources,
            records,
            sources_path=stem.with_suffix(".sources.jsonl"),
            errors_path=stem.with_suffix(".errors.jsonl"),
        )
    assert previous is not None
    if isinstance(options, CleanConfig):
        return run_clean(ctx, options, previous, records, drops_path=drops)
    if isinstance(options, DedupConfig):
        return run_dedup(
            ctx,
            options,
            previous,
            records,
            drops_path=drops,
            clusters_path=stem.with_suffix(".clusters.jsonl"),
            workdir=steps_dir / ".dedup-work",
        )
    assert isinstance(options, FormatConfig)
    return run_format(ctx, options, previous, ctx.root, drops_path=drops)
