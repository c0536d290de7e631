"""What every command shares: the workspace chosen on the command line and its settings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lyceum.config import Settings, load_settings
from lyceum.errors import ConfigError


@dataclass
class CLIState:
    workspace: Path | None = None
    debug: bool = False
    _settings: Settings | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        """Settings for the chosen workspace, read once per command.

        A workspace named by `--workspace` or LYCEUM_WORKSPACE must exist: creating it
        silently would answer from a fresh, empty database as if it were the one meant.
        """
        if self._settings is None:
            require_workspace(self.workspace)
            self._settings = load_settings(self.workspace)
        return self._settings


def require_workspace(workspace: Path | None) -> None:
    """Refuse a named workspace folder that does not exist (the default ~/.lyceum is made on
    first use)."""
    env = os.environ.get("LYCEUM_WORKSPACE")
    named = workspace or (Path(env) if env else None)
    if named is None:
        return
    path = named.expanduser()
    if path.is_dir():
        return
    if path.exists():
        raise ConfigError(f"workspace {path} is a file, not a folder")
    raise ConfigError(
        f"workspace {path} does not exist",
        hint=f"Create it with: lyceum --workspace {path} init",
    )


state = CLIState()
