"""Lyceum's pytest plugin: fixtures the test suites of several packages share.

Registered by `pytest_plugins = ["lyceum.testing.plugin"]` in the root conftest, so a
fixture lives here once instead of being copied into each package's conftest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

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
