"""`lyceum init`: create a workspace with a lyceum.toml of every key and its default."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from lyceum.cli.console import console
from lyceum.cli.state import state
from lyceum.config import default_workspace
from lyceum.init_workspace import default_config_text, init_workspace


def register(app: typer.Typer) -> None:
    @app.command()
    def init(
        force: Annotated[bool, typer.Option(help="Overwrite an existing lyceum.toml.")] = False,
        show: Annotated[
            bool,
            typer.Option("--print", help="Print the default configuration instead of writing it."),
        ] = False,
    ) -> None:
        """Create the workspace and write lyceum.toml: every table and key, its default and
        meaning."""
        if show:
            sys.stdout.write(default_config_text())
            return
        workspace = state.workspace or default_workspace()
        path = init_workspace(workspace, force=force)
        console(stderr=True).print(f"wrote {escape(str(path))}; edit it to add models and routes")
