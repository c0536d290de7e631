"""The capitals quiz: a six-question dataset and a scripted responder that answers it, for the
tests and demos of the lab, the server and the CLI (one copy instead of one per conftest).

Chain-of-thought prompts get every capital right; naive prompts miss Spain and Japan, so
a comparison of the two methods has a known answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from lyceum.llm.types import Completion, GenerateParams, Message, Usage

CAPITALS = {
    "France": "Paris",
    "Italy": "Rome",
    "Spain": "Madrid",
    "Germany": "Berlin",
    "Japan": "Tokyo",
    "Egypt": "Cairo",
}

Responder = Callable[[Sequence[Message], GenerateParams], "str | Completion"]


def capital_responder(
    wrong_for_naive: Sequence[str] = ("Spain", "Japan"),
    *,
    cost_usd: float = 0.0,
    otherwise: Responder | None = None,
) -> Callable[[Sequence[Message], GenerateParams], str | Completion]:
    """A `ScriptedBackend` responder for the quiz. A prompt that asks no capital goes to
    `otherwise` (an error without it)."""

    def respond(messages: Sequence[Message], params: GenerateParams) -> str | Completion:
        prompt = messages[-1].content
        country = next((c for c in CAPITALS if f"Capital of {c}?" in prompt), None)
        if country is None:
            if otherwise is None:
                raise AssertionError(
                    f"the capitals responder got a prompt it cannot answer: {prompt[:80]!r}"
                )
            return otherwise(messages, params)
        cot = "step by step" in prompt
        city = CAPITALS[country] if cot or country not in wrong_for_naive else "Lyon"
        text = f"It is well known.\nAnswer: {city}" if cot else city
        return Completion(
            text=text, usage=Usage(prompt_tokens=20, completion_tokens=5), cost_usd=cost_usd
        )

    return respond


def write_capitals(path: Path) -> Path:
    """The quiz as a JSONL dataset at `path` (ids `q-<country>`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(
            json.dumps({"id": f"q-{c}", "question": f"Capital of {c}?", "answers": [city]}) + "\n"
            for c, city in CAPITALS.items()
        )
    )
    return path
