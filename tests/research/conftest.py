"""Fakes for research tests: an in-memory corpus as a Source and a word-overlap claim scorer
(both from lyceum.testing.research), and a scripted model that answers each pipeline step plausibly (dispatching on the schema)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import pytest

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import GenerateParams, Message
from lyceum.research.state import Plan, ResearchState, SubQuestion
from lyceum.testing.research import MemorySource, OverlapScorer

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


def planned_state(question: str, parts: Sequence[str]) -> ResearchState:
    """A run planned with one sub-question per part of `question` (q1, q2, ...)."""
    state = ResearchState(run_id="r", question=question)
    state.parts = list(parts)
    state.plan = Plan(
        sub_questions=[
            SubQuestion(id=f"q{i + 1}", question=part, origin="part", part=i)
            for i, part in enumerate(state.parts)
        ]
    )
    return state
