"""`lyceum models`: the configured backends, probed."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lyceum.cli.console import console
from lyceum.cli.state import state
from lyceum.llm.factory import build_backend
from lyceum.llm.probe import ProbeResult, probe_backend


async def _probe_all(names: list[str]) -> list[ProbeResult]:
    settings = state.settings()
    results = []
    for name in names:  # one at a time: a local model probe uses every core
        backend = build_backend(name, settings.models[name])
        try:
            results.append(await probe_backend(name, backend))
        finally:
            close = getattr(backend, "aclose", None)
            if close is not None:
                await close()
    return results


def register(app: typer.Typer) -> None:
    @app.command()
    def models(
        probe: Annotated[
            bool, typer.Option("--probe/--no-probe", help="Call each backend.")
        ] = True,
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON object per backend.")
        ] = False,
    ) -> None:
        """List configured backends; probe each for reachability, context window and speed."""
        settings = state.settings()
        table = Table("name", "kind", "model", "tiers", "reachable", "context", "tokens/s", "note")
        routes: dict[str, list[str]] = {n: [] for n in settings.models}
        for i, n in enumerate(settings.gateway.tiers):
            routes[n].append(f"default#{i + 1}")
        for role, names in settings.gateway.roles.items():
            for n in names:
                routes[n].append(role)
        results = (
            {r.name: r for r in asyncio.run(_probe_all(list(settings.models)))} if probe else {}
        )
        for name, cfg in settings.models.items():
            r = results.get(name)
            if as_json:
                row = {
                    "name": name,
                    "kind": cfg.kind,
                    "model": getattr(cfg, "model", None),
                    "routes": routes[name],
                    "reachable": None if r is None else r.reachable,
                    "context_window": None if r is None else r.context_window,
                    "tokens_per_s": None if r is None else r.tokens_per_s,
                    "error": None if r is None else r.error,
                }
                print(json.dumps(row))
                continue
            table.add_row(
                escape(name),
                cfg.kind,
                escape(str(getattr(cfg, "model", ""))),
                escape(",".join(routes[name]) or "-"),
                "-" if r is None else ("yes" if r.reachable else "[red]no[/]"),
                "-" if r is None or not r.context_window else str(r.context_window),
                "-" if r is None or not r.tokens_per_s else f"{r.tokens_per_s:.1f}",
                "" if r is None or not r.error else escape(r.error),
            )
        if not as_json:
            console().print(table)
