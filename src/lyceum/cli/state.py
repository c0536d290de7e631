"""What every command shares: the workspace chosen on the command line and its settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lyceum.config import Settings, load_settings


@dataclass
class CLIState:
    workspace: Path | None = None
    debug: bool = False
    _settings: Settings | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        """Settings for the chosen workspace, read once per command."""
        if self._settings is None:
            self._settings = load_settings(self.workspace)
        return self._settings


state = CLIState()
