"""`lyceum calls`: browse, summarise and export the call log."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lyceum.cli.console import console, is_piped, plural
from lyceum.cli.state import state
from lyceum.errors import NotFoundError
from lyceum.store.calls import CallFilter, CallLog
from lyceum.store.db import open_database

calls_app = typer.Typer(help="Browse, summarise and export the call log.", no_args_is_help=False)

RunOpt = Annotated[str | None, typer.Option("--run", help="Only calls of this run id.")]
CallerOpt = Annotated[str | None, typer.Option(help="Only calls from this caller.")]
BackendOpt = Annotated[str | None, typer.Option(help="Only calls to this backend.")]
ErrorsOpt = Annotated[bool, typer.Option("--errors", help="Only failed calls.")]


def _log() -> CallLog:
    return CallLog(open_database(state.settings().database_url))


@calls_app.callback(invoke_without_command=True)
def list_calls(
    ctx: typer.Context,
    run: RunOpt = None,
    caller: CallerOpt = None,
    backend: BackendOpt = None,
    errors: ErrorsOpt = False,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List recent calls, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    f = CallFilter(run_id=run, caller=caller, backend=backend, errors_only=errors, limit=limit)
    records = _log().list(f)
    if as_json:
        for r in records:
            sys.stdout.write(json.dumps(r.model_dump(mode="json")) + "\n")
        return
    table = Table(
        "id", "when", "caller", "backend", "model", "tokens", "latency", "cost", "cache", "error"
    )
    # On a terminal, ids and names are shortened to fit (any unique id prefix works in
    # `calls show`); piped, every value is printed whole.
    full = is_piped()
    for r in records:
        table.add_row(
            r.id if full else r.id[:12],
            r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            escape(r.caller or "-"),
            escape(r.backend),
            escape(r.model if full else r.model[:30]),
            f"{r.prompt_tokens}+{r.completion_tokens}",
            f"{r.latency_s:.2f}s",
            f"${r.cost_usd:.6f}" if full else f"${r.cost_usd:.5f}",
            r.cache_hit or "-",
            escape(r.error_type or "" if full else (r.error_type or "")[:24]),
        )
    console().print(table)


@calls_app.command("show")
def show(call_id: Annotated[str, typer.Argument(help="Call id (a unique prefix works).")]) -> None:
    """Print one call in full as JSON."""
    log = _log()
    record = log.get(call_id)
    if record is None:
        matches = [r for r in log.iter_all() if r.id.startswith(call_id)]
        if len(matches) != 1:
            raise NotFoundError(
                f"no single call matches {call_id!r}", hint="Run 'lyceum calls' to list ids."
            )
        record = matches[0]
    print(json.dumps(record.model_dump(mode="json"), indent=2, ensure_ascii=False))


@calls_app.command("summary")
def summary(run: RunOpt = None, caller: CallerOpt = None, backend: BackendOpt = None) -> None:
    """Totals: calls, errors, cache hits, tokens, cost, time."""
    s = _log().summary(CallFilter(run_id=run, caller=caller, backend=backend))
    hit_rate = s.cache_hits / s.calls if s.calls else 0.0
    console().print(
        f"{plural(s.calls, 'call')}, {plural(s.errors, 'error')}, "
        f"{plural(s.cache_hits, 'cache hit')} ({hit_rate:.0%}), "
        f"{s.prompt_tokens} prompt + {s.completion_tokens} completion tokens, "
        f"${s.cost_usd:.4f}, {s.latency_s:.1f}s total latency"
    )


@calls_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="JSONL file to write ('-': stdout).")],
    run: RunOpt = None,
    caller: CallerOpt = None,
    backend: BackendOpt = None,
    errors: ErrorsOpt = False,
) -> None:
    """Export matching calls, oldest first, as JSONL."""
    f = CallFilter(run_id=run, caller=caller, backend=backend, errors_only=errors)
    if str(out) == "-":
        _log().export_jsonl(sys.stdout, f)
        return
    with out.open("w", encoding="utf-8") as handle:
        n = _log().export_jsonl(handle, f)
    console(stderr=True).print(f"wrote {plural(n, 'call')} to {escape(str(out))}")


def register(app: typer.Typer) -> None:
    app.add_typer(calls_app, name="calls")
