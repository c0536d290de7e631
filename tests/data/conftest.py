from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


def _load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "data_corpus", Path(__file__).with_name("corpus.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def corpus() -> ModuleType:
    """Builders of test corpora: see tests/data/corpus.py."""
    return _load_corpus()


@pytest.fixture
def words(corpus: ModuleType):
    """A fresh source of distinct pseudo-words."""
    return corpus.WordSource(seed=7)
