"""Per-example metrics (registered by name) and the SQuAD v1.1 scoring functions."""

from lyceum.lab.metrics import agent, grounding, matching  # noqa: F401 - registers metrics
from lyceum.lab.metrics.base import (
    METRICS,
    Metric,
    MetricEntry,
    ScoringInput,
    SupportScorer,
    metric,
    score_example,
)
from lyceum.lab.metrics.matching import last_number, numeric_match, substring_match
from lyceum.lab.metrics.squad import exact_match, normalize_answer, token_f1

__all__ = [
    "METRICS",
    "Metric",
    "MetricEntry",
    "ScoringInput",
    "SupportScorer",
    "exact_match",
    "last_number",
    "metric",
    "normalize_answer",
    "numeric_match",
    "score_example",
    "substring_match",
    "token_f1",
]
