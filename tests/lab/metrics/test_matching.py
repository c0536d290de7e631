from __future__ import annotations

import pytest

from lyceum.lab.datasets.base import Example
from lyceum.lab.metrics import METRICS, ScoringInput, last_number, numeric_match, substring_match
from lyceum.lab.metrics.grounding import support_probability
from lyceum.lab.outputs import AgentStats, MethodOutput


def test_substring_match_is_normalized_and_word_aligned():
    assert substring_match("I think it was the Denver Broncos.", ["denver broncos"]) == 1.0
    assert substring_match("Paris", ["Par"]) == 0.0
    assert substring_match("anything", [""]) == 0.0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The answer is 1,234.", 1234.0),
        ("so -3.5 degrees", -3.5),
        ("costs $12 then $15", 15.0),
        ("3/4 of them", 0.75),
        ("no number here", None),
    ],
)
def test_last_number_reads_common_formats(text, value):
    assert last_number(text) == value


def test_numeric_match_compares_the_final_number():
    assert numeric_match("80 + 29 = 109", ["109"]) == 1.0
    assert numeric_match("Answer: 109.0", ["109"]) == 1.0
    assert numeric_match("I get 108", ["109"]) == 0.0
    assert numeric_match("none", ["109"]) == 0.0


def _item(prediction: str, agent: AgentStats | None = None) -> ScoringInput:
    example = Example(id="1", question="q", answers=["Paris"])
    return ScoringInput(example=example, output=MethodOutput(prediction=prediction, agent=agent))


def test_agent_metrics_are_not_applicable_to_plain_methods():
    item = _item("Paris")
    for name in ("agent_success", "tool_call_success", "iterations", "stuck"):
        assert METRICS.get(name).fn(item) is None


def test_agent_metrics_read_the_episode():
    item = _item("Paris", AgentStats(status="stuck", iterations=4, tool_calls=4, tool_errors=1))
    assert METRICS.get("agent_success").fn(item) == 0.0
    assert METRICS.get("stuck").fn(item) == 1.0
    assert METRICS.get("iterations").fn(item) == 4.0
    assert METRICS.get("tool_call_success").fn(item) == 0.75


class _WordOverlap:
    """A faithfulness scorer for tests: supported iff every claim word is in the passage."""

    def score(self, claim: str, passage: str) -> float:
        return float(all(w in passage.lower().split() for w in claim.lower().split()))


class _Verdict:
    def __init__(self, supported: float) -> None:
        self.probabilities = type("P", (), {"supported": supported})()


class _AsyncVerdicts:
    """Shaped like lyceum.retrieval's scorer: async, returning a verdict object."""

    async def score(self, claim: str, passage: str) -> _Verdict:
        return _Verdict(0.9 if claim in passage else 0.2)


async def test_faithfulness_uses_retrieved_passages_and_flags_hallucinations():
    example = Example(id="1", question="q", answers=["paris"])
    grounded = MethodOutput(prediction="paris", passages=["the capital is paris", "unrelated"])
    invented = MethodOutput(prediction="lyon", passages=["the capital is paris"])
    faith, halluc = METRICS.get("faithfulness").fn, METRICS.get("hallucination").fn
    for scorer in (_WordOverlap(), _AsyncVerdicts()):
        good = await support_probability(scorer, ScoringInput(example, grounded))
        bad = await support_probability(scorer, ScoringInput(example, invented))
        assert faith(ScoringInput(example, grounded, good)) >= 0.9
        assert halluc(ScoringInput(example, grounded, good)) == 0.0
        assert halluc(ScoringInput(example, invented, bad)) == 1.0
    empty = ScoringInput(example, MethodOutput(prediction="x"))
    assert await support_probability(_WordOverlap(), empty) is None
    assert faith(empty) is None


async def test_faithfulness_falls_back_to_the_example_context():
    example = Example(id="1", question="q", answers=["a"], context="The answer is paris")
    item = ScoringInput(example, MethodOutput(prediction="paris"))
    assert await support_probability(_WordOverlap(), item) == 1.0
