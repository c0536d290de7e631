"""Every test gets its own empty workspace; nothing touches ~/.lyceum."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    ws = tmp_path / "workspace"
    ws.mkdir()
    monkeypatch.setenv("LYCEUM_WORKSPACE", str(ws))
    yield ws
    from lyceum.store.db import close_all

    close_all()
