"""Shared helpers for lab tests: a small JSONL dataset and a scripted model that answers it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import Completion, GenerateParams, Message, Usage
from lyceum.store.db import Database, open_database

CAPITALS = {
    "France": "Paris",
    "Italy": "Rome",
    "Spain": "Madrid",
    "Germany": "Berlin",
    "Japan": "Tokyo",
    "Egypt": "Cairo",
}


@pytest.fixture
def qa_file(tmp_path: Path) -> Path:
    path = tmp_path / "capitals.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {"id": f"q-{country}", "question": f"Capital of {country}?", "answers": [city]}
            )
            + "\n"
            for country, city in CAPITALS.items()
        )
    )
    return path


def capital_responder(wrong_for_naive: Sequence[str] = ("Spain", "Japan")):
    """A responder: CoT prompts get every capital right; naive prompts miss some countries."""

    def respond(messages: Sequence[Message], params: GenerateParams) -> Completion:
        prompt = messages[-1].content
        country = next(c for c in CAPITALS if f"Capital of {c}?" in prompt)
        cot = "step by step" in prompt
        city = CAPITALS[country] if cot or country not in wrong_for_naive else "Lyon"
        text = f"It is well known.\nAnswer: {city}" if cot else city
        return Completion(
            text=text, usage=Usage(prompt_tokens=20, completion_tokens=5), cost_usd=0.001
        )

    return respond


@pytest.fixture
def capital_model() -> ScriptedBackend:
    responder = capital_responder()
    return ScriptedBackend([], default_output=None).enqueue(*([responder] * 1000))


@pytest.fixture
def db(workspace: Path) -> Database:
    return open_database(f"sqlite:///{workspace / 'lyceum.db'}")
