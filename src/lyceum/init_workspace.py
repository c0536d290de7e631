"""Creating a workspace: its directory and a lyceum.toml holding every key with its default."""

from __future__ import annotations

from pathlib import Path

from lyceum.config import CONFIG_FILENAME, load_settings
from lyceum.config_reference import reference_toml
from lyceum.errors import LyceumError
from lyceum.store.db import open_database


def default_config_text() -> str:
    return reference_toml()


def init_workspace(workspace: Path, *, force: bool = False) -> Path:
    """Write the default config (refusing to overwrite unless `force`) and create the database."""
    if workspace.exists() and not workspace.is_dir():
        raise LyceumError(f"workspace {workspace} is a file, not a folder")
    workspace.mkdir(parents=True, exist_ok=True)
    path = workspace / CONFIG_FILENAME
    if path.exists() and not force:
        raise LyceumError(
            f"{path} already exists", hint="Pass --force to overwrite it with the defaults."
        )
    path.write_text(default_config_text(), encoding="utf-8")
    settings = load_settings(workspace)  # proves the reference parses and validates
    open_database(settings.database_url)
    return path
