"""`lyceum search`: hybrid, dense or keyword search over the local corpus."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from lyceum.cli.console import console, is_piped
from lyceum.cli.state import state
from lyceum.errors import LyceumError
from lyceum.retrieval.types import SearchFilters, SearchResult

RerankChoice = Literal["none", "llm", "cross-encoder"]


def _print_results(results: list[SearchResult]) -> None:
    out = console()
    cut = 10**9 if is_piped() else 300  # a terminal gets a preview; a pipe the whole chunk
    if not results:
        out.print("no results")
        return
    for r in results:
        where = r.url or r.source
        section = f" § {r.section}" if r.section else ""
        year = f" ({r.year})" if r.year else ""
        title = escape(r.title or "(untitled)")
        out.print(f"[bold]{r.rank}.[/] [cyan]{title}[/]{year}{escape(section)}")
        out.print(f"   [dim]{escape(where)} · {escape(r.collection)} · score {r.score:.4f}[/]")
        snippet = " ".join(r.text.split())
        shown = snippet[:cut] + ("…" if len(snippet) > cut else "")
        out.print(f"   {escape(shown)}", highlight=False)


async def _run(
    query: str,
    collection: list[str] | None,
    k: int,
    mode: Literal["hybrid", "dense", "bm25"],
    filters: SearchFilters,
    rerank: RerankChoice,
    reranker_model: Path | None,
    route: str | None,
) -> list[SearchResult]:
    from lyceum.retrieval.hybrid import ALL_COLLECTIONS, asearch
    from lyceum.retrieval.rerank import Reranker, make_reranker

    settings = state.settings()
    # No --collection: every collection, as `lyceum research` searches.
    target: str | list[str] = (
        ALL_COLLECTIONS if not collection else collection[0] if len(collection) == 1 else collection
    )
    reranker: Reranker | None = None
    gateway = None
    if rerank == "cross-encoder":
        reranker = make_reranker("cross-encoder", model_dir=reranker_model)
    elif rerank == "llm":
        from lyceum.lab.runner import gateway_resolver
        from lyceum.wiring import build_gateway

        gateway = build_gateway(settings)
        try:
            model = gateway_resolver(gateway)(route) if route else gateway
        except LyceumError:
            await gateway.aclose()
            raise
        reranker = make_reranker("llm", model=model)
    try:
        return await asearch(
            query,
            collection=target,
            k=k,
            mode=mode,
            filters=None if filters.empty else filters,
            rerank=reranker,
            settings=settings,
        )
    finally:
        if gateway is not None:
            await gateway.aclose()


def register(app: typer.Typer) -> None:
    @app.command()
    def search(
        query: Annotated[str, typer.Argument(help="What to look for.")],
        collection: Annotated[
            list[str] | None,
            typer.Option(
                "--collection",
                "-c",
                help="Collection(s) to search (default: all of them). Repeatable.",
            ),
        ] = None,
        k: Annotated[int, typer.Option("--k", "-k", min=1, help="Results to return.")] = 10,
        mode: Annotated[
            str, typer.Option("--mode", help="hybrid (dense + BM25 fused), dense or bm25.")
        ] = "hybrid",
        year_min: Annotated[int | None, typer.Option(help="Earliest year.")] = None,
        year_max: Annotated[int | None, typer.Option(help="Latest year.")] = None,
        source: Annotated[
            list[str] | None, typer.Option("--source", help="Only this source path/URL.")
        ] = None,
        format: Annotated[
            list[str] | None, typer.Option("--format", help="Only this format (pdf, latex...).")
        ] = None,
        rerank: Annotated[
            str,
            typer.Option(
                help="none, llm (through the gateway) or cross-encoder (the shipped "
                "faithfulness verifier, or --reranker-model)."
            ),
        ] = "none",
        reranker_model: Annotated[
            Path | None,
            typer.Option(help="Cross-encoder model directory (default: the shipped verifier)."),
        ] = None,
        route: Annotated[
            str | None, typer.Option("--model", "-m", help="Gateway role or backend for llm.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
    ) -> None:
        """Search the local corpus; prints each hit with its provenance."""
        if mode not in ("hybrid", "dense", "bm25"):
            raise LyceumError(f"unknown mode {mode!r}", hint="Use hybrid, dense or bm25.")
        if rerank not in ("none", "llm", "cross-encoder"):
            raise LyceumError(
                f"unknown reranker {rerank!r}", hint="Use none, llm or cross-encoder."
            )
        try:
            filters = SearchFilters(
                year_min=year_min,
                year_max=year_max,
                sources=tuple(source or ()),
                formats=tuple(format or ()),
            )
        except ValueError as exc:
            raise LyceumError(f"invalid filters: {exc}") from exc
        results = asyncio.run(
            _run(query, collection, k, mode, filters, rerank, reranker_model, route)  # type: ignore[arg-type]
        )
        if as_json:
            sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in results]) + "\n")
        else:
            _print_results(results)
