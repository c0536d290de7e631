from __future__ import annotations

import pytest
from typer.testing import CliRunner

from lyceum.cli.main import app
from lyceum.cli.state import state


@pytest.fixture
def cli(workspace):
    """Invoke `lyceum ...` in-process against the test workspace."""
    runner = CliRunner()

    def invoke(*args: str):
        state._settings = None
        return runner.invoke(app, ["--workspace", str(workspace), *args])

    return invoke


@pytest.fixture
def scripted_workspace(workspace):
    """A workspace whose only model is the scripted fake, selected by name in config."""
    (workspace / "lyceum.toml").write_text(
        """
[models.fake]
kind = "scripted"
outputs = ["Paris is the capital of France."]
default_output = "ok"
[gateway]
tiers = ["fake"]
"""
    )
    return workspace
