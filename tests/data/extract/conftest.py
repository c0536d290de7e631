from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture
def latex_project(tmp_path: Path, samples: ModuleType) -> Path:
    return samples.write_latex_project(tmp_path / "paper")
