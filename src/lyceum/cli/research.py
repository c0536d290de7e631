"""`lyceum research`: a question in, a cited report (Markdown, LaTeX, BibTeX, PDF) out."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.live import Live

from lyceum.cli.state import state
from lyceum.errors import LyceumError


def _run(
    question: str | None, out: Path | None, resume: str | None, overrides: dict[str, object]
) -> None:
    from lyceum.research import research_settings, run_research
    from lyceum.research.live import LiveView

    settings = state.settings()
    config = research_settings(settings)
    given = {k: v for k, v in overrides.items() if v is not None}
    console = Console(stderr=True)
    view = LiveView()
    try:
        with Live(view, console=console, refresh_per_second=4, transient=False):
            result = asyncio.run(
                run_research(
                    question,
                    out_dir=out,
                    settings=settings,
                    config=config,
                    resume=resume,
                    overrides=given,
                    progress=view,
                )
            )
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
            f"{v.dropped} dropped; {v.hypotheses} uncited left out"
        )
    console.print(result.pdf_message)
    for name in ("report", "tex", "bib", "pdf", "trajectory"):
        if name in result.files:
            print(f"{name:<10} {result.files[name]}")


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
        max_tokens: Annotated[int | None, typer.Option(min=1, help="Token budget.")] = None,
        max_cost: Annotated[
            float | None, typer.Option(min=0, help="Spending budget in USD.")
        ] = None,
        sources: Annotated[
            str | None, typer.Option(help="Comma-separated: local,wikipedia,arxiv,web.")
        ] = None,
        collection: Annotated[
            str | None, typer.Option(help="Local collection to search ('*' = all).")
        ] = None,
        pdf: Annotated[
            bool, typer.Option("--pdf/--no-pdf", help="Compile paper.pdf when TeX is installed.")
        ] = True,
        list_runs: Annotated[
            bool, typer.Option("--list", help="List recent research runs and exit.")
        ] = False,
    ) -> None:
        """Research a question over the configured sources and write a verified, cited report."""
        if list_runs:
            from lyceum.research import research_runs

            for r in research_runs(state.settings()):
                print(f"{r['run_id']}  {r['status']:<11} {r['phase']:<8} {r['question']}")
            return
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
            "max_tokens": max_tokens,
            "max_cost_usd": max_cost,
            "sources": [s.strip() for s in sources.split(",") if s.strip()] if sources else None,
            "collection": collection,
            "compile_pdf": None if pdf else False,
        }
        _run(question, out, resume, overrides)
