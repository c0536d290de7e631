"""Reciprocal rank fusion: combine ranked lists by summing 1 / (k + rank)."""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank_fusion(
    rankings: dict[str, Sequence[str]], k: int = 60, weights: dict[str, float] | None = None
) -> list[tuple[str, float]]:
    """Fuse named rankings (ids best first) into one, best first. An id missing from a ranking
    contributes nothing from it; ties keep the order in which ids were first seen."""
    if k < 1:
        raise ValueError(f"RRF constant k must be >= 1, got {k}")
    scores: dict[str, float] = {}
    for name, ranking in rankings.items():
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
