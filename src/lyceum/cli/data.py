"""`lyceum data`: run a data pipeline, or one step of it (read inputs into JSONL records;
clean, dedup, format and stats over JSONL files)."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from pydantic import BaseModel, ValidationError
from rich.markup import escape
from rich.table import Table

from lyceum.cli.console import console, is_piped, plural
from lyceum.cli.progress import BarProgress, LineProgress
from lyceum.cli.state import state
from lyceum.errors import ConfigError, LyceumError, validation_problems

data_app = typer.Typer(
    help="Turn corpora into clean, deduplicated training files.", no_args_is_help=True
)
WorkersOpt = Annotated[
    int | None, typer.Option("--workers", "-j", min=1, help="Worker processes (default: cores).")
]
TextFieldOpt = Annotated[str, typer.Option("--text-field", help="JSON field holding the text.")]


OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Records (JSONL) to write.")]


def _settings() -> Any:
    from lyceum.data.settings import data_settings

    return data_settings(state.settings())


def _executor(workers: int | None) -> Any:
    from lyceum.data.executors import make_executor

    settings = _settings()
    return make_executor(
        settings.executor, workers=workers or settings.workers, ray_address=settings.ray_address
    )


def _options(model: type[BaseModel], config_file: Path | None, **flags: Any) -> Any:
    """Step options from an optional YAML file, overridden by flags that were given."""
    data: dict[str, Any] = {}
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"options file {config_file} does not exist")
        try:
            data = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{config_file} is not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{config_file} must hold a mapping of {model.__name__} options")
    data.update({k: v for k, v in flags.items() if v is not None})
    try:
        return model(**data)
    except ValidationError as exc:
        where = f" in {config_file}" if config_file is not None else ""
        problems = "; ".join(validation_problems(exc))
        raise ConfigError(f"invalid {model.__name__} options{where}: {problems}") from None


def _require_input(path: Path) -> None:
    if not path.is_file():
        raise ConfigError(f"input file {path} does not exist")


def _require_output(stats: Any, input: Path, what: str, reasons: str) -> None:
    """A step that made nothing from input that held something did not do what was asked:
    an error (the empty output files stay, for inspection). Empty input only warns."""
    if stats.docs_in == 0:
        console(stderr=True).print(f"[yellow]warning:[/] {escape(str(input))} holds no records")
    elif stats.docs_out == 0:
        raise LyceumError(
            f"made no {what} from {plural(stats.docs_in, 'record')} of {input} "
            f"(dropped: {reasons or 'all'})",
            hint="Pass --drops FILE to log why each record was dropped; for format, check "
            "that --template names fields the records have.",
        )


def _pairs(values: list[str] | None, what: str) -> dict[str, str] | None:
    if not values:
        return None
    out = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name:
            raise ConfigError(f"--{what} expects NAME=VALUE, got {value!r}")
        out[name.strip()] = rest
    return out


def _steps_table(steps: list[Any]) -> Table:
    table = Table("step", "in", "out", "dropped", "errors", "tokens out", "seconds")
    for s in steps:
        dropped = ", ".join(f"{k} {v}" for k, v in sorted(s.dropped.items())) or "-"
        errors = ", ".join(f"{k} {v}" for k, v in sorted(s.errors.items())) or "-"
        table.add_row(
            s.step,
            str(s.docs_in),
            str(s.docs_out),
            escape(dropped),
            escape(errors),
            f"{s.tokens_out:,}",
            f"{s.seconds:.1f}",
        )
    return table


@data_app.command("run")
def run(
    pipeline: Annotated[Path, typer.Argument(help="Pipeline YAML file.")],
    force: Annotated[bool, typer.Option("--force", help="Re-run finished steps too.")] = False,
    workers: WorkersOpt = None,
    executor: Annotated[
        str | None, typer.Option("--executor", help="Override the file's executor: local or ray.")
    ] = None,
) -> None:
    """Run a pipeline end to end; finished steps with unchanged config and input are reused."""
    from lyceum.data.pipeline import run_pipeline
    from lyceum.data.pipeline_config import load_pipeline

    config = load_pipeline(pipeline)
    updates: dict[str, Any] = {}
    if workers is not None:
        updates["workers"] = workers
    elif config.workers is None and _settings().workers is not None:
        updates["workers"] = _settings().workers
    if executor is not None:
        if executor not in ("local", "ray"):
            raise ConfigError(f"unknown executor {executor!r}", hint="Use local or ray.")
        updates["executor"] = executor
    config = config.model_copy(update=updates)
    if is_piped(stderr=True):
        result = run_pipeline(config, progress=LineProgress(), force=force)
    else:
        with BarProgress() as bar:
            result = run_pipeline(config, progress=bar, force=force)
    out = console()
    out.print(_steps_table(result.steps))
    summary = result.summary
    line = f"{plural(summary['documents_read'], 'document')} read, {summary['documents_out']:,} out"
    if "duplicate_rate" in summary:
        line += f", duplicate rate {summary['duplicate_rate']:.1%}"
    if summary["unreadable_sources"]:
        line += f", {plural(summary['unreadable_sources'], 'unreadable source')}"
    out.print(line + f" -> {escape(str(result.output))}")


@data_app.command("read")
def read(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders and arXiv tarballs to read.")],
    output: OutOpt,
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", help="Only read this format (latex, pdf, archive...)."),
    ] = None,
    text_field: Annotated[
        str | None, typer.Option("--text-field", help="Text field of JSONL/Parquet inputs.")
    ] = None,
    arxiv_metadata: Annotated[
        list[str] | None, typer.Option(help="arXiv metadata JSONL joined by arxiv_id.")
    ] = None,
    errors: Annotated[
        Path | None, typer.Option(help="Log each unreadable input and why here (JSONL).")
    ] = None,
    workers: WorkersOpt = None,
) -> None:
    """Extract documents into records (id, text, metadata); unreadable inputs are counted."""
    from lyceum.data.readers import ReadConfig
    from lyceum.data.step_runs import read_file

    options = _options(
        ReadConfig,
        None,
        paths=[str(p) for p in paths],
        formats=formats or None,
        text_field=text_field,
        arxiv_metadata=arxiv_metadata or None,
    )
    with closing(_executor(workers)) as executor:
        stats = read_file(options, output, executor=executor, errors_path=errors)
    unreadable = sum(stats.errors.values())
    sources = stats.details.get("sources", 0)
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(stats.errors.items()))
    if sources and stats.docs_out == 0:
        raise LyceumError(
            f"read nothing from {plural(sources, 'source')} ({kinds or 'no text in them'})",
            hint="Pass --errors FILE to log why each input was unreadable.",
        )
    console().print(
        f"read {plural(stats.docs_out, 'record')} from {plural(sources, 'source')} "
        f"-> {escape(str(output))} ({plural(stats.tokens_out, 'token')})"
    )
    if unreadable:
        console(stderr=True).print(f"{unreadable:,} unreadable: {escape(kinds)}")
    if sources == 0:
        shown = ", ".join(escape(str(p)) for p in paths)
        console(stderr=True).print(f"[yellow]warning:[/] no readable files found in {shown}")


@data_app.command("dedup")
def dedup(
    input: Annotated[Path, typer.Argument(help="JSONL records with a text field.")],
    output: Annotated[Path, typer.Option("--out", "-o", help="Kept records (JSONL).")],
    threshold: Annotated[
        float | None, typer.Option(help="Jaccard similarity for near duplicates (0.8).")
    ] = None,
    num_perm: Annotated[int | None, typer.Option(help="MinHash permutations (128).")] = None,
    shingle_size: Annotated[int | None, typer.Option(help="Words per shingle (5).")] = None,
    exact_only: Annotated[bool, typer.Option(help="Only remove exact duplicates.")] = False,
    keep: Annotated[str | None, typer.Option(help="first or longest member of a cluster.")] = None,
    clusters: Annotated[
        Path | None, typer.Option(help="Write the cluster report (JSONL) here.")
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="YAML file of dedup options.")
    ] = None,
    text_field: TextFieldOpt = "text",
    id_field: Annotated[str, typer.Option(help="JSON field holding the id.")] = "id",
    workers: WorkersOpt = None,
) -> None:
    """Remove exact and near-duplicate records; prints how many of each were dropped."""
    from lyceum.data.dedup import DedupConfig, deduplicate_file

    _require_input(input)
    options = _options(
        DedupConfig,
        config_file,
        threshold=threshold,
        num_perm=num_perm,
        shingle_size=shingle_size,
        keep=keep,
        near=False if exact_only else None,
    )
    with closing(_executor(workers)) as executor:
        summary = deduplicate_file(
            input,
            output,
            options,
            executor=executor,
            clusters_path=clusters,
            text_field=text_field,
            id_field=id_field,
        )
    console().print(
        f"kept {summary.kept:,} of {summary.docs_in:,}; dropped {summary.exact_duplicates:,} "
        f"exact and {summary.near_duplicates:,} near duplicates "
        f"({plural(summary.clusters, 'cluster')}, duplicate rate {summary.duplicate_rate:.1%})"
    )


@data_app.command("clean")
def clean(
    input: Annotated[Path, typer.Argument(help="JSONL records.")],
    output: Annotated[Path, typer.Option("--out", "-o", help="Cleaned records (JSONL).")],
    languages: Annotated[
        list[str] | None, typer.Option("--language", "-l", help="Keep only this language.")
    ] = None,
    min_chars: Annotated[int | None, typer.Option(help="Drop shorter texts.")] = None,
    min_words: Annotated[int | None, typer.Option(help="Drop texts with fewer words.")] = None,
    drop_appendix: Annotated[
        bool | None, typer.Option("--drop-appendix/--keep-appendix", help="Remove appendices.")
    ] = None,
    drops: Annotated[
        Path | None, typer.Option(help="Log each dropped record and its reason here.")
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="YAML file of clean options.")
    ] = None,
    workers: WorkersOpt = None,
) -> None:
    """Repair, normalize and filter records; prints drops by reason."""
    from lyceum.data.clean import CleanConfig
    from lyceum.data.step_runs import clean_file

    _require_input(input)
    options = _options(
        CleanConfig,
        config_file,
        languages=languages or None,
        min_chars=min_chars,
        min_words=min_words,
        drop_appendix=drop_appendix,
    )
    with closing(_executor(workers)) as executor:
        stats = clean_file(input, output, options, executor=executor, drops_path=drops)
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(stats.dropped.items())) or "none"
    _require_output(stats, input, "records", reasons)
    console().print(f"kept {stats.docs_out:,} of {stats.docs_in:,}; dropped: {escape(reasons)}")


@data_app.command("format")
def format_(
    input: Annotated[Path, typer.Argument(help="JSONL records.")],
    output: Annotated[Path, typer.Option("--out", "-o", help="Directory for split files.")],
    kind: Annotated[str | None, typer.Option(help="cpt, sft, chat or dpo.")] = None,
    template: Annotated[
        list[str] | None,
        typer.Option(help="FIELD=TEMPLATE, e.g. output='{abstract}' (repeatable)."),
    ] = None,
    split: Annotated[
        list[str] | None, typer.Option(help="NAME=FRACTION, e.g. train=0.9 (repeatable).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the split assignment.")] = None,
    drops: Annotated[Path | None, typer.Option(help="Log records that lacked a field.")] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="YAML file of format options.")
    ] = None,
    workers: WorkersOpt = None,
) -> None:
    """Write training rows (CPT, SFT, chat or DPO) split into train/validation/test files."""
    from lyceum.data.formats import FormatConfig
    from lyceum.data.step_runs import format_file

    _require_input(input)
    fractions = _pairs(split, "split")
    try:
        splits = {k: float(v) for k, v in fractions.items()} if fractions else None
    except ValueError as exc:
        raise ConfigError(f"--split fractions must be numbers: {exc}") from exc
    options = _options(
        FormatConfig,
        config_file,
        kind=kind,
        templates=_pairs(template, "template"),
        splits=splits,
        seed=seed,
    )
    with closing(_executor(workers)) as executor:
        stats = format_file(input, output, options, executor=executor, drops_path=drops)
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(stats.dropped.items()))
    _require_output(stats, input, f"{options.kind} rows", reasons)
    counts = ", ".join(f"{k} {v}" for k, v in stats.details.get("splits", {}).items())
    rows = plural(stats.docs_out, f"{options.kind} row")
    console().print(f"wrote {rows} ({counts}) to {escape(str(output))}")
    if stats.total_dropped:
        console(stderr=True).print(
            f"skipped {plural(stats.total_dropped, 'record')} missing a template field "
            f"({escape(reasons)})"
        )


@data_app.command("stats")
def stats(
    path: Annotated[Path, typer.Argument(help="A JSONL file, or a pipeline output directory.")],
    text_field: TextFieldOpt = "text",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Size of a corpus (documents, tokens), or a finished pipeline's statistics report."""
    if path.is_dir():
        report = path / "stats.json"
        if not report.is_file():
            raise ConfigError(f"{path} has no stats.json", hint="Run 'lyceum data run' first.")
        data = json.loads(report.read_text(encoding="utf-8"))
        if as_json:
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
            return
        from lyceum.data.stats import StepStats

        out = console()
        out.print(_steps_table([StepStats(**s) for s in data["steps"]]))
        out.print(_key_value_table(data["summary"]))
        return
    from lyceum.data.step_runs import corpus_stats

    _require_input(path)
    result = corpus_stats(path, text_field=text_field)
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    rows = {
        "documents": f"{result.documents:,}",
        "characters": f"{result.characters:,}",
        "tokens": f"{result.tokens:,}",
        "tokens per document": f"mean {result.mean_tokens:,.0f}, min {result.min_tokens:,}, "
        f"max {result.max_tokens:,}",
    }
    rows.update({f"records with {k}": f"{v:,}" for k, v in result.fields.items()})
    console().print(_key_value_table(rows))


def _key_value_table(values: dict[str, Any]) -> Table:
    table = Table("", "", show_header=False)
    for key, value in values.items():
        shown = f"{value:.1%}" if isinstance(value, float) and key.endswith("rate") else value
        table.add_row(escape(str(key)), escape(str(shown)))
    return table


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
