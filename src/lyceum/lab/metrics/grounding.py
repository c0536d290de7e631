"""RAG faithfulness and hallucination rate, from a faithfulness scorer's verdicts.

The scorer (by default `lyceum.claimcheck.faithfulness.FaithfulnessScorer`) is injected
into the runner, which computes the support probability before the metrics run.
"""

from __future__ import annotations

import inspect
from typing import Any

from lyceum.lab.metrics.base import ScoringInput, SupportScorer, metric

HALLUCINATION_THRESHOLD = 0.5


def evidence(item: ScoringInput) -> list[str]:
    """What the model saw: the retrieved passages, else the example's own context."""
    if item.output.passages:
        return [p for p in item.output.passages if p.strip()]
    return [item.example.context] if item.example.context.strip() else []


def _probability(result: Any) -> float:
    if isinstance(result, int | float):
        return float(result)
    probabilities = getattr(result, "probabilities", None)
    if probabilities is not None and hasattr(probabilities, "supported"):
        return float(probabilities.supported)
    raise TypeError(f"a faithfulness scorer returned {result!r}; expected a probability")


async def support_probability(scorer: SupportScorer, item: ScoringInput) -> float | None:
    """Highest probability that one piece of evidence supports the prediction; None when
    there is no prediction or no evidence to check."""
    passages = evidence(item)
    if not passages or not item.prediction.strip():
        return None
    best = 0.0
    for passage in passages:
        result = scorer.score(item.prediction, passage)
        if inspect.isawaitable(result):
            result = await result
        best = max(best, _probability(result))
    return best


@metric("faithfulness", needs_faithfulness=True)
def _faithfulness(item: ScoringInput) -> float | None:
    """Probability the evidence supports the answer (0-1)."""
    return item.support


@metric("hallucination", binary=True, needs_faithfulness=True)
def _hallucination(item: ScoringInput) -> float | None:
    """1.0 when no evidence supports the answer (support below 0.5)."""
    return None if item.support is None else float(item.support < HALLUCINATION_THRESHOLD)
