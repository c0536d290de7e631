"""The `lyceum` command: global options, then one module per command group."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from lyceum.cli.state import state
from lyceum.errors import LyceumError

app = typer.Typer(
    name="lyceum",
    help="Local-first research with language models, and research on them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Each module exposes `register(app)`; imported lazily so `lyceum --help` stays fast
# and a command's heavy dependencies load only when that command runs.
COMMAND_MODULES: tuple[str, ...] = (
    "lyceum.cli.init",
    "lyceum.cli.ask",
    "lyceum.cli.models",
    "lyceum.cli.calls",
    "lyceum.cli.ingest",
    "lyceum.cli.search",
    "lyceum.cli.check",
    "lyceum.cli.research",
    "lyceum.cli.eval",
    "lyceum.cli.data",
    "lyceum.cli.serve",
    "lyceum.cli.evolve",
)

err_console = Console(stderr=True)


@app.callback()
def main(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace directory (config, database, indexes). "
            "Default: $LYCEUM_WORKSPACE or ~/.lyceum.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    state.workspace = workspace
    state.debug = debug
    state._settings = None


def _register_all() -> None:
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(app)


_register_all()


def run() -> None:
    """Entry point: errors become one line and a hint, unless --debug."""
    try:
        app(standalone_mode=False)
    except LyceumError as exc:
        if state.debug:
            raise
        err_console.print(f"[bold red]error:[/] {exc}")
        if exc.hint:
            err_console.print(f"[dim]hint:[/] {exc.hint}")
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # click's usage errors and anything unexpected
        import click

        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            err_console.print("aborted")
            sys.exit(1)
        if state.debug:
            raise
        err_console.print(f"[bold red]error:[/] {type(exc).__name__}: {exc}")
        err_console.print("[dim]hint:[/] run again with --debug for the traceback")
        sys.exit(1)
