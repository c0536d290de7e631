"""Training pairs for the verifier: prose restored, negation rule, page-disjoint splits."""

from __future__ import annotations

import random

from lyceum.claimcheck_training.data import (
    VerifierPair,
    _augment,
    detokenize,
    negate,
    split_by_page,
    to_pair,
)
from lyceum.lab.datasets.bigbench import ClaimExample


def test_detokenize_restores_prose_from_fever_tokens() -> None:
    text = "Brie Larson -LRB- born October 1 , 1989 -RRB- is an actress ; she earned $ 5 million ."
    assert (
        detokenize(text)
        == "Brie Larson (born October 1, 1989) is an actress; she earned $5 million."
    )
    assert (
        detokenize("Dragon-COLON- The Hidden World 's sequel")
        == "Dragon: The Hidden World's sequel"
    )


def test_negate_inserts_not_after_the_first_copula_or_modal() -> None:
    assert negate("Paris is the capital of France.") == "Paris is not the capital of France."
    assert negate("The film has been released on DVD.") == "The film has not been released on DVD."
    assert negate("They won the cup.") is None
    assert negate("Paris is not in Spain.") is None


def test_to_pair_maps_refuted_to_contradicted_and_splits_off_the_page() -> None:
    example = ClaimExample(
        id="vitaminc-3",
        claim="Oslo is in Norway .",
        evidence="Oslo: Oslo is the capital of Norway .",
        label="refuted",
    )
    pair = to_pair(example)
    assert pair.label == "contradicted"
    assert pair.page == "Oslo"
    assert pair.claim == "Oslo is in Norway."
    assert pair.evidence in {
        "Oslo is the capital of Norway.",
        "Oslo: Oslo is the capital of Norway.",
    }


def _pair(page: str, label: str = "supported", claim: str = "X is Y.") -> VerifierPair:
    return VerifierPair(
        claim=claim, evidence=f"{page} text.", label=label, origin="vitaminc", page=page
    )  # type: ignore[arg-type]


def test_split_by_page_never_shares_a_page_between_splits() -> None:
    pairs = [_pair(f"page{i % 50}") for i in range(500)]
    train, val, test = split_by_page(pairs, seed=1, validation=0.1, test=0.2)
    pages = [{p.page for p in part} for part in (train, val, test)]
    assert len(train) + len(val) + len(test) == 500
    assert not (pages[0] & pages[1]) and not (pages[0] & pages[2]) and not (pages[1] & pages[2])
    assert (len(pages[1]), len(pages[2])) == (5, 10)


def test_augment_adds_mismatched_nei_and_negated_contradictions() -> None:
    pairs = [_pair(f"page{i}", claim=f"Thing {i} is big.") for i in range(100)]
    extra = _augment(pairs, random.Random(0), fraction=0.1)
    mismatched = [p for p in extra if p.origin == "mismatched"]
    negated = [p for p in extra if p.origin == "negated"]
    assert len(mismatched) == len(negated) == 10
    assert all(p.label == "not_enough_info" and p.page not in p.evidence for p in mismatched)
    assert all(p.label == "contradicted" and " is not big" in p.claim for p in negated)
