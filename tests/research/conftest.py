"""Fakes for research tests: an in-memory corpus as a Source, a word-overlap claim scorer,
and a scripted model that answers each pipeline step plausibly (dispatching on the schema)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import GenerateParams, Message
from lyceum.research.matching import content_words, overlap
from lyceum.sources.base import Hit

CORPUS = {
    "photosynthesis": (
        "Photosynthesis",
        "Photosynthesis is the process by which plants convert light energy into chemical "
        "energy. It takes place mainly in the chloroplasts of leaf cells. Oxygen is released "
        "as a by-product of photosynthesis.",
    ),
    "chlorophyll": (
        "Chlorophyll",
        "Chlorophyll is the green pigment that absorbs light for photosynthesis. It absorbs "
        "mostly blue and red light. Chlorophyll is found in the thylakoid membranes.",
    ),
    "calvin": (
        "Calvin cycle",
        "The Calvin cycle fixes carbon dioxide into sugars. The enzyme RuBisCO catalyses the "
        "first step of carbon fixation. The cycle uses ATP and NADPH made by the light reactions.",
    ),
    "volcano": (
        "Volcano",
        "A volcano is a rupture in the crust of a planet. Lava flows from volcanoes during "
        "eruptions.",
    ),
}


class MemorySource:
    """Word-overlap search over a dict of documents."""

    def __init__(self, docs: dict[str, tuple[str, str]], name: str = "memory") -> None:
        self.docs = docs
        self.name = name
        self.searches: list[str] = []

    async def search(self, query: str, k: int = 10) -> list[Hit]:
        self.searches.append(query)
        q = content_words(query)
        scored = sorted(
            ((len(q & content_words(t + " " + x)), key) for key, (t, x) in self.docs.items()),
            key=lambda s: (-s[0], s[1]),
        )
        return [
            Hit(
                text=self.docs[key][1],
                title=self.docs[key][0],
                path=f"/corpus/{key}.txt",
                source=self.name,
                id=key,
                score=float(score),
            )
            for score, key in scored[:k]
            if score > 0
        ]


@dataclass
class Verdict:
    verdict: str
    score: float

    def model_dump(self, **_: object) -> dict[str, object]:
        return {"verdict": self.verdict, "probabilities": {"supported": self.score}}


class OverlapScorer:
    """Supported when most of the claim's content words are in the passage."""

    def __init__(self, threshold: float = 0.75) -> None:
        self.threshold = threshold
        self.checked: list[tuple[str, str]] = []

    async def score_many(
        self, pairs: Sequence[tuple[str, str]], *, titles: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        self.checked += list(pairs)
        return [
            Verdict(
                "supported" if overlap(c, p) >= self.threshold else "not_enough_info", overlap(c, p)
            )
            for c, p in pairs
        ]


def _schema(params: GenerateParams) -> str:
    return (params.json_schema or {}).get("title", "")


def research_responder(messages: Sequence[Message], params: GenerateParams) -> str:
    """Plausible answers for every step, derived from the prompt (deterministic)."""
    user = messages[-1].content
    kind = _schema(params)
    if kind == "PlanOut":
        return json.dumps(
            {
                "summary": "Look at the light reactions and carbon fixation.",
                "sub_questions": [
                    {
                        "question": "How do plants capture light for photosynthesis?",
                        "queries": ["chlorophyll light"],
                    },
                    {
                        "question": "How do plants fix carbon dioxide in photosynthesis?",
                        "queries": ["calvin cycle carbon"],
                    },
                ],
            }
        )
    if kind == "PickOut":
        numbered = re.findall(r"^\[(\d+)\] (.+)$", user, flags=re.MULTILINE)
        return json.dumps({"sentences": [int(i) for i, _ in numbered[:2]]})
    if kind == "NotesOut":
        numbered = re.findall(r"^\[(\d+)\] (.+)$", user, flags=re.MULTILINE)
        return json.dumps({"notes": [{"sentence": int(i), "claim": s} for i, s in numbered[:2]]})
    if kind == "AnalysisOut":
        return json.dumps(
            {"follow_ups": [{"sub_question": "q1", "query": "photosynthesis oxygen"}]}
        )
    if kind == "SectionOut":
        notes = re.findall(r"^\[(\d+)\] (.+)$", user, flags=re.MULTILINE)
        sentences = [{"text": claim, "notes": [int(i)]} for i, claim in notes[:3]]
        if notes:
            # A drifted sentence the verifier must catch.
            sentences.append(
                {
                    "text": "Plants photosynthesize mostly at night using moonlight energy.",
                    "notes": [1],
                }
            )
        return json.dumps(
            {
                "sentences": sentences,
                "hypotheses": [
                    {
                        "text": "Leaf colour may track chlorophyll content closely.",
                        "confidence": "medium",
                    }
                ],
            }
        )
    if kind == "RewriteOut":
        return json.dumps(
            {"sentence": "Photosynthesis converts light energy into chemical energy."}
        )
    raise AssertionError(f"unexpected schema {kind!r}")


@pytest.fixture
def scripted() -> ScriptedBackend:
    return ScriptedBackend([], default_output=None).enqueue(*[research_responder] * 200)


@pytest.fixture
def corpus_source() -> MemorySource:
    return MemorySource(CORPUS)


@pytest.fixture
def scorer() -> OverlapScorer:
    return OverlapScorer()
