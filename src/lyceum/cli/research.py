"""`lyceum research`: a question in, a cited report (Markdown, LaTeX, BibTeX, PDF) out."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from lyceum.cli.console import console as make_console
from lyceum.cli.console import is_piped
from lyceum.cli.state import state
from lyceum.errors import LyceumError

if TYPE_CHECKING:
    from lyceum.research import ResearchResult
    from lyceum.research.progress import ProgressEvent


def _run(
    question: str | None, out: Path | None, resume: str | None, overrides: dict[str, object]
) -> None:
    from lyceum.evolve import with_production_prompt
    from lyceum.research import research_settings, run_research
    from lyceum.research.live import LiveView

    settings = state.settings()
    config = research_settings(settings)
    given = {k: v for k, v in overrides.items() if v is not None}
    console = make_console(stderr=True)
    view = LiveView()

    def go(progress: Callable[[ProgressEvent], None]) -> ResearchResult:
        return asyncio.run(
            run_research(
                question,
                out_dir=out,
                settings=settings,
                config=config,
                resume=resume,
                overrides=given,
                progress=progress,
                role_wrapper=lambda role: with_production_prompt(role, settings),
            )
        )

    try:
        if is_piped(stderr=True):
            result = go(_LineProgress(view, console))
        else:
            with Live(view, console=console, refresh_per_second=4, transient=False):
                result = go(view)
    except KeyboardInterrupt:
        if view.run_id:
            console.print(f"interrupted; continue with: lyceum research --resume {view.run_id}")
        raise
    if resume and given:
        applied = ", ".join(f"{k}={v}" for k, v in sorted(given.items()))
        console.print(f"resumed with {applied}")
    console.print()
    v = result.state.verification
    console.print(f"run {result.run_id} done in {result.state.elapsed_s:.0f}s")
    if v is not None:
        console.print(
            f"claims: {v.checked} checked, {v.supported} supported, {v.rewritten} rewritten, "
            f"{v.dropped} dropped ({v.off_topic} off the question); "
            f"{v.hypotheses} uncited left out"
        )
    console.print(result.pdf_message)
    for name in ("report", "tex", "bib", "pdf", "trajectory"):
        if name in result.files:
            print(f"{name:<10} {result.files[name]}")


class _LineProgress:
    """The live view's events as lines, when stderr is piped: each phase, and each finished
    sub-question as done/total."""

    def __init__(self, view: Any, console: Any) -> None:
        self.view, self.console = view, console

    def __call__(self, event: ProgressEvent) -> None:
        self.view(event)
        if event.kind == "phase":
            self.console.print(f"phase {event.data['phase']} (round {event.data['round']})")
        elif event.kind == "worker" and event.data.get("status") == "done":
            rows = self.view.sub_questions.values()
            done = sum(1 for r in rows if r.get("status") == "done")
            self.console.print(f"sub-questions: {done}/{len(rows)} done")
        elif event.kind == "problem":
            self.console.print(f"problem: {escape(event.message)}")


def _list_runs(as_json: bool) -> None:
    from lyceum.research import research_runs

    runs = research_runs(state.settings())
    if as_json:
        for r in runs:
            sys.stdout.write(json.dumps(r, default=str) + "\n")
        return
    if not runs:
        make_console(stderr=True).print(
            'no research runs yet; start one with: lyceum research "..."'
        )
        return
    table = Table("run", "status", "phase", "started", "question")
    for r in runs:
        table.add_row(
            r["run_id"],
            r["status"],
            r["phase"],
            r["created_at"].strftime("%Y-%m-%d %H:%M"),
            escape(r["question"] or ""),
        )
    make_console().print(table)


def register(app: typer.Typer) -> None:
    @app.command()
    def research(
        question: Annotated[str | None, typer.Argument(help="The research question.")] = None,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                "-o",
                help="Folder for the report files (default ./research-out; when resuming, "
                "the run's own folder).",
            ),
        ] = None,
        resume: Annotated[
            str | None,
            typer.Option(
                help="Continue the run with this id; budget flags given with it raise the "
                "run's budgets (breadth, depth, sources and collection cannot change)."
            ),
        ] = None,
        max_rounds: Annotated[
            int | None, typer.Option(min=1, help="Gather rounds (first + follow-ups).")
        ] = None,
        breadth: Annotated[int | None, typer.Option(min=1, help="Sub-questions planned.")] = None,
        depth: Annotated[
            int | None, typer.Option(min=1, help="Passages read per sub-question.")
        ] = None,
        max_time: Annotated[
            float | None, typer.Option(min=1, help="Wall-time budget in seconds.")
        ] = None,
        budget_tokens: Annotated[
            int | None,
            typer.Option(
                "--budget-tokens",
                min=1,
                help="Token budget of the whole run (prompt + completion, cache misses).",
            ),
        ] = None,
        max_tokens: Annotated[
            int | None,
            typer.Option("--max-tokens", min=1, hidden=True, help="Deprecated: --budget-tokens."),
        ] = None,
        max_cost: Annotated[
            float | None, typer.Option(min=0, help="Spending budget in USD.")
        ] = None,
        sources: Annotated[
            str | None, typer.Option(help="Comma-separated: local,wikipedia,arxiv,web.")
        ] = None,
        collection: Annotated[
            list[str] | None,
            typer.Option(
                "--collection",
                "-c",
                help="Collection(s) the local source searches, as for 'lyceum search': "
                "repeatable, '*' = all (default: all of them).",
            ),
        ] = None,
        pdf: Annotated[
            bool, typer.Option("--pdf/--no-pdf", help="Compile paper.pdf when TeX is installed.")
        ] = True,
        list_runs: Annotated[
            bool, typer.Option("--list", help="List recent research runs and exit.")
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help="With --list: one JSON object per run.")
        ] = False,
    ) -> None:
        """Research a question over the configured sources and write a verified, cited report."""
        if list_runs:
            _list_runs(as_json)
            return
        if max_tokens is not None:
            make_console(stderr=True).print(
                "[yellow]warning:[/] --max-tokens is deprecated for research (it is the run's "
                "token budget); use --budget-tokens"
            )
            budget_tokens = budget_tokens or max_tokens
        if question is None and resume is None:
            raise LyceumError(
                "give a question, or --resume RUN_ID",
                hint='lyceum research "your question" --out DIR',
            )
        overrides: dict[str, object] = {
            "max_rounds": max_rounds,
            "breadth": breadth,
            "depth": depth,
            "max_time_s": max_time,
            "max_tokens": budget_tokens,
            "max_cost_usd": max_cost,
            "sources": [s.strip() for s in sources.split(",") if s.strip()] if sources else None,
            # One name stays a string, as a [research] collection in lyceum.toml is written.
            "collection": (collection[0] if len(collection) == 1 else collection)
            if collection
            else None,
            "compile_pdf": None if pdf else False,
        }
        _run(question, out, resume, overrides)
