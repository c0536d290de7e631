"""The `lyceum` command: global options, then one module per command group."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer
from rich.markup import escape

from lyceum.cli import help_types
from lyceum.cli.console import console
from lyceum.cli.state import state
from lyceum.errors import LyceumError

# Libraries' own progress bars ("Loading weights: 100%", download bars) would interleave with
# command output; Hugging Face libraries read this once, when first imported, so it is set
# before any command runs. A user who wants them can still set it to 0.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
help_types.install()

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


def _click_exceptions() -> ModuleType:
    """Click's exceptions as typer raises them: typer >= 0.2x vendors its own copy of click."""
    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:
        return importlib.import_module("click.exceptions")


def _show_usage_error(exc: Exception) -> int:
    """Click's usage error, and for an unknown command the commands there are."""
    errors = _click_exceptions()

    exc.show()  # type: ignore[attr-defined]
    ctx = getattr(exc, "ctx", None)
    usage = isinstance(exc, errors.UsageError) and not isinstance(exc, errors.NoArgsIsHelpError)
    if usage and ctx:
        group = ctx.command
        message = exc.format_message()  # type: ignore[attr-defined]
        if "No such command" in message and hasattr(group, "list_commands"):
            err = console(stderr=True)
            err.print(f"commands of {escape(ctx.command_path)}:")
            for name in group.list_commands(ctx):
                short = group.get_command(ctx, name).get_short_help_str(limit=300)
                err.print(f"  {name:<12} {escape(short)}")
    return int(getattr(exc, "exit_code", 2))


def print_error(exc: LyceumError) -> None:
    """An error as one line and a hint; the message often holds what the user typed
    (paths, YAML, keys), so nothing in it is read as console markup."""
    err = console(stderr=True)
    err.print(f"[bold red]error:[/] {escape(str(exc))}")
    if exc.hint:
        err.print(f"[dim]hint:[/] {escape(exc.hint)}")


def run() -> None:
    """Entry point: errors become one line and a hint, unless --debug."""
    click_error = _click_exceptions().ClickException
    try:
        # Without standalone mode click hands back the code of a `typer.Exit` instead of
        # exiting with it; a refusal must still exit non-zero.
        code = app(standalone_mode=False)
    except LyceumError as exc:
        if state.debug:
            raise
        print_error(exc)
        sys.exit(1)
    except KeyboardInterrupt:
        console(stderr=True).print("interrupted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        console(stderr=True).print("aborted")
        sys.exit(1)
    except click_error as exc:
        sys.exit(_show_usage_error(exc))
    except Exception as exc:  # anything unexpected
        if state.debug:
            raise
        console(stderr=True).print(
            f"[bold red]error:[/] {escape(type(exc).__name__)}: {escape(str(exc))}"
        )
        console(stderr=True).print("[dim]hint:[/] run again with --debug for the traceback")
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)
