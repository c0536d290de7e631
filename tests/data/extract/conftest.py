from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


def load_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extract_samples", Path(__file__).with_name("samples.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def samples() -> ModuleType:
    return load_samples()


@pytest.fixture
def latex_project(tmp_path: Path, samples: ModuleType) -> Path:
    return samples.write_latex_project(tmp_path / "paper")
