"""`lyceum init`: create a workspace with a commented default config."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from lyceum.cli.state import state
from lyceum.config import default_workspace
from lyceum.init_workspace import init_workspace


def register(app: typer.Typer) -> None:
    @app.command()
    def init(
        force: Annotated[bool, typer.Option(help="Overwrite an existing lyceum.toml.")] = False,
    ) -> None:
        """Create the workspace and write a commented default lyceum.toml."""
        workspace = state.workspace or default_workspace()
        path = init_workspace(workspace, force=force)
        Console().print(f"wrote [bold]{path}[/]; edit it to add models and routes")
