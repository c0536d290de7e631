"""RAG faithfulness and hallucination rate, scored by an injected faithfulness scorer."""

from __future__ import annotations

from lyceum.errors import ConfigError
from lyceum.lab.metrics.base import FaithfulnessScorer, ScoringInput, metric

HALLUCINATION_THRESHOLD = 0.5


def _scorer(item: ScoringInput) -> FaithfulnessScorer:
    if item.faithfulness is None:
        raise ConfigError(
            "the faithfulness metrics need a faithfulness scorer",
            hint="Pass faithfulness=... to run_experiment, or install the retrieval extra.",
        )
    return item.faithfulness


def faithfulness_score(item: ScoringInput) -> float | None:
    """How well the evidence the model saw supports its answer (0-1); None with no evidence.

    The evidence is the retrieved passages, else the example's own context.
    """
    passages = item.output.passages or ([item.example.context] if item.example.context else [])
    if not passages or not item.prediction.strip():
        return None
    scorer = _scorer(item)
    return max(float(scorer.score(item.prediction, passage)) for passage in passages)


@metric("faithfulness", needs_faithfulness=True)
def _faithfulness(item: ScoringInput) -> float | None:
    return faithfulness_score(item)


@metric("hallucination", binary=True, needs_faithfulness=True)
def _hallucination(item: ScoringInput) -> float | None:
    """1.0 when no passage supports the answer (faithfulness below 0.5)."""
    score = faithfulness_score(item)
    return None if score is None else float(score < HALLUCINATION_THRESHOLD)
