from __future__ import annotations

import pytest

from lyceum.retrieval.fusion import reciprocal_rank_fusion


def test_an_item_ranked_well_by_both_lists_wins() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "b", "c"], "bm25": ["b", "d", "a"]}, k=60)
    assert [i for i, _ in fused] == ["b", "a", "d", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_item_in_one_list_only_scores_from_that_list() -> None:
    fused = dict(reciprocal_rank_fusion({"dense": ["x"], "bm25": []}, k=10))
    assert fused == {"x": pytest.approx(1 / 11)}


def test_ties_keep_first_seen_order() -> None:
    fused = reciprocal_rank_fusion({"a": ["p", "q"], "b": ["q", "p"]})
    assert [i for i, _ in fused] == ["p", "q"]


def test_weights_scale_a_ranking() -> None:
    fused = reciprocal_rank_fusion({"a": ["p"], "b": ["q"]}, weights={"b": 2.0})
    assert [i for i, _ in fused] == ["q", "p"]


def test_k_must_be_positive() -> None:
    with pytest.raises(ValueError, match="k must be"):
        reciprocal_rank_fusion({"a": ["p"]}, k=0)
