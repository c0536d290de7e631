"""Creating a workspace: its directory and a commented default lyceum.toml."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lyceum.config import CONFIG_FILENAME, load_settings
from lyceum.errors import LyceumError
from lyceum.store.db import open_database


def default_config_text() -> str:
    return resources.files("lyceum").joinpath("templates/lyceum.toml").read_text(encoding="utf-8")


def init_workspace(workspace: Path, *, force: bool = False) -> Path:
    """Write the default config (refusing to overwrite unless `force`) and create the database."""
    workspace.mkdir(parents=True, exist_ok=True)
    path = workspace / CONFIG_FILENAME
    if path.exists() and not force:
        raise LyceumError(
            f"{path} already exists", hint="Pass --force to overwrite it with the defaults."
        )
    path.write_text(default_config_text(), encoding="utf-8")
    settings = load_settings(workspace)  # proves the template parses
    open_database(settings.database_url)
    return path
