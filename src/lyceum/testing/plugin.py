"""Lyceum's pytest plugin: fixtures the test suites of several packages share.

Registered by `pytest_plugins = ["lyceum.testing.plugin"]` in the root conftest, so a
fixture lives here once instead of being copied into each package's conftest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

LabExperiment = Callable[..., Path]

_EXPERIMENT_ROWS = [
    ("fr", "Capital of France?", "Paris"),
    ("it", "Capital of Italy?", "Rome"),
    ("es", "Capital of Spain?", "Madrid"),
    ("fr2", "Largest French city?", "Paris"),
]


@pytest.fixture
def lab_experiment(tmp_path: Path) -> LabExperiment:
    """`lab_experiment(name=..., concurrency=...)` writes a four-question JSONL dataset and
    an experiment file running `naive` and `cot` on the model named `fake`; returns the
    experiment file's path."""

    def write(name: str = "lab-demo", *, concurrency: int = 1) -> Path:
        data = tmp_path / "qa.jsonl"
        data.write_text(
            "".join(
                json.dumps({"id": i, "question": q, "answers": [a]}) + "\n"
                for i, q, a in _EXPERIMENT_ROWS
            )
        )
        path = tmp_path / "exp.yaml"
        path.write_text(
            f"name: {name}\n"
            "datasets: [{name: jsonl, label: caps, options: {path: qa.jsonl}}]\n"
            "methods: [naive, cot]\n"
            "models: [fake]\n"
            f"concurrency: {concurrency}\n"
        )
        return path

    return write


SECOND_WORKSPACE_TEXT = "Zanzibar Paris is the capital city of France.\n"


@pytest.fixture
def second_workspace(workspace: Path, tmp_path: Path) -> Any:
    """Settings of a workspace other than the test's default one, whose index alone holds
    `SECOND_WORKSPACE_TEXT` (both use the hashing embedder): code given these settings and
    finding the text searched the workspace it was given, not the default."""
    from lyceum.config import load_settings
    from lyceum.retrieval import ingest

    hashing = '[retrieval]\nembedding_model = "hashing"\n'
    (workspace / "lyceum.toml").write_text(hashing)
    other = tmp_path / "other"
    other.mkdir()
    (other / "lyceum.toml").write_text(hashing)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "capitals.txt").write_text(SECOND_WORKSPACE_TEXT)
    settings = load_settings(other)
    ingest([docs], settings=settings)
    return settings
