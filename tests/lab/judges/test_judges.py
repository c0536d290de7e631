from __future__ import annotations

import pytest

from lyceum.errors import StructuredOutputError
from lyceum.lab.judges import JudgePanel, Rubric, pairwise_preference, panel_agreement, rubric_score
from lyceum.llm.backends.scripted import ScriptedBackend, json_reply


def _rubric_reply(score: int) -> str:
    return json_reply({"reasoning": "fine", "score": score})


def _prefers(answer: str):
    """A judge that always prefers the answer text `answer`, wherever it is shown."""

    def respond(messages, params):
        text = messages[-1].content
        first = text.split("Answer A:", 1)[1].split("Answer B:", 1)[0]
        return json_reply({"reasoning": "r", "winner": "A" if answer in first else "B"})

    return respond


def _always_first(messages, params):
    return json_reply({"reasoning": "r", "winner": "A"})


async def test_rubric_score_is_normalized_to_the_scale():
    judge = ScriptedBackend([_rubric_reply(4)], name="j1")
    result = await rubric_score(judge, "Q?", "ans", Rubric(scale_min=1, scale_max=5), reference="x")
    assert (result.score, result.normalized, result.judge) == (4, 0.75, "j1")
    prompt = judge.history[0].messages[-1].content
    assert "Reference answer: x" in prompt
    assert judge.history[0].params.json_schema["properties"]["score"]["maximum"] == 5


async def test_rubric_scores_outside_the_scale_are_repaired_or_refused():
    judge = ScriptedBackend([_rubric_reply(9), _rubric_reply(9)])
    with pytest.raises(StructuredOutputError):
        await rubric_score(judge, "Q?", "ans")


async def test_pairwise_swaps_positions_and_maps_back():
    judge = ScriptedBackend([_prefers("good answer")] * 2, name="fair")
    result = await pairwise_preference(judge, "Q?", "bad answer", "good answer")
    assert result.winner == "B" and result.consistent
    first, second = (c.messages[-1].content for c in judge.history)
    assert first.index("bad answer") < first.index("good answer")
    assert second.index("good answer") < second.index("bad answer")


async def test_a_position_biased_judge_yields_a_tie():
    judge = ScriptedBackend([_always_first] * 2, name="biased")
    result = await pairwise_preference(judge, "Q?", "x", "y")
    assert result.winner == "tie"
    assert not result.consistent
    assert (result.first_order, result.swapped_order) == ("A", "B")


async def test_panel_consensus_is_the_median_score_and_majority_preference():
    panel = JudgePanel(
        [
            ScriptedBackend([_rubric_reply(5), _prefers("y"), _prefers("y")], name="a"),
            ScriptedBackend([_rubric_reply(4), _prefers("y"), _prefers("y")], name="b"),
            ScriptedBackend([_rubric_reply(1), _always_first, _always_first], name="c"),
        ]
    )
    rated = await panel.rate("Q?", "answer")
    assert (rated.consensus, rated.spread) == (4.0, 4)
    preferred = await panel.prefer("Q?", "x", "y")
    assert preferred.consensus == "B"
    assert preferred.votes == {"A": 0, "B": 2, "tie": 1}


def test_panel_needs_distinct_judges():
    with pytest.raises(ValueError, match="distinct"):
        JudgePanel([ScriptedBackend(name="x"), ScriptedBackend(name="x")])


def test_panel_agreement_reports_fleiss_and_pairwise_cohen():
    agreement = panel_agreement({"a": [1, 2, 3, 3], "b": [1, 2, 3, 3], "c": [3, 2, 1, 3]})
    assert agreement.items == 4
    assert agreement.cohens_kappa["a ~ b"] == 1.0
    assert agreement.fleiss_kappa is not None and agreement.fleiss_kappa < 1.0
