"""Lab test fixtures: the capitals quiz (lyceum.testing.capitals) as a file and a model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.store.db import Database, open_database
from lyceum.testing.capitals import Responder, write_capitals
from lyceum.testing.capitals import capital_responder as shared_capital_responder


@pytest.fixture
def qa_file(tmp_path: Path) -> Path:
    return write_capitals(tmp_path / "capitals.jsonl")


def capital_responder(wrong_for_naive: Sequence[str] = ("Spain", "Japan")) -> Responder:
    """The capitals responder at $0.001 a call, so run costs add up to known numbers."""
    return shared_capital_responder(wrong_for_naive, cost_usd=0.001)


@pytest.fixture
def capital_model() -> ScriptedBackend:
    responder = capital_responder()
    return ScriptedBackend([], default_output=None).enqueue(*([responder] * 1000))


@pytest.fixture
def db(workspace: Path) -> Database:
    return open_database(f"sqlite:///{workspace / 'lyceum.db'}")
