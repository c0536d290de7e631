from __future__ import annotations

import numpy as np
import pytest

from lyceum.evolve.diversity import deterministic_sample, diversity, mean_pairwise_distance
from lyceum.evolve.gate import check_batch
from lyceum.evolve.settings import EvolveSettings


@pytest.fixture
def human_corpus(example_factory):
    """human_corpus(n=20): the first `n` human-written examples."""
    return lambda n=20: [example_factory(i) for i in range(n)]


def rules(decision):
    return {r.rule: r for r in decision.rules}


def test_clean_batch_is_accepted_with_every_rule_reported(embedder, example_factory, human_corpus):
    batch = [example_factory(100 + i, synthetic=True, depth=1, quality=0.9) for i in range(5)]
    decision = check_batch(batch, human_corpus(), EvolveSettings(), embedder)
    assert decision.accepted
    assert set(rules(decision)) == {"synthetic_share", "generation_depth", "diversity", "quality"}


@pytest.mark.parametrize(
    ("n_synthetic", "accepted"),
    [(13, True), (14, False)],  # 13/33 = 0.394, 14/34 = 0.412 with 20 human examples
)
def test_synthetic_share_around_the_limit(
    embedder, example_factory, human_corpus, n_synthetic, accepted
):
    batch = [example_factory(100 + i, synthetic=True, depth=1) for i in range(n_synthetic)]
    decision = check_batch(batch, human_corpus(), EvolveSettings(), embedder)
    assert rules(decision)["synthetic_share"].passed is accepted


def test_synthetic_share_exactly_at_the_limit_passes(embedder, example_factory):
    # 20 human + 4 synthetic already accepted + 6 synthetic new = 10/30... use 40 %: 8/20
    corpus = [example_factory(i) for i in range(12)]
    batch = [example_factory(100 + i, synthetic=True, depth=1) for i in range(8)]
    share = rules(check_batch(batch, corpus, EvolveSettings(), embedder))["synthetic_share"]
    assert share.value == pytest.approx(0.40) and share.passed
    batch.append(example_factory(200, synthetic=True, depth=1))
    assert not rules(check_batch(batch, corpus, EvolveSettings(), embedder))[
        "synthetic_share"
    ].passed


def test_synthetic_examples_already_in_the_corpus_count(embedder, example_factory, human_corpus):
    corpus = [
        *human_corpus(12),
        *(example_factory(50 + i, synthetic=True, depth=1) for i in range(8)),
    ]
    batch = [example_factory(100, synthetic=True, depth=1)]  # 9/21 = 0.43
    decision = check_batch(batch, corpus, EvolveSettings(), embedder)
    assert not rules(decision)["synthetic_share"].passed


@pytest.mark.parametrize(("depth", "accepted"), [(1, True), (2, True), (3, False)])
def test_generation_depth_at_and_around_the_limit(
    embedder, example_factory, human_corpus, depth, accepted
):
    batch = [example_factory(100, synthetic=True, depth=depth)]
    decision = check_batch(batch, human_corpus(), EvolveSettings(), embedder)
    assert rules(decision)["generation_depth"].passed is accepted
    if not accepted:
        assert "ex100" in rules(decision)["generation_depth"].message


@pytest.mark.parametrize(
    ("qualities", "accepted"),
    [([0.8, 0.8], True), ([0.9, 0.7], True), ([0.79, 0.8], False), ([1.0, 0.55], False)],
)
def test_mean_quality_at_and_around_the_limit(
    embedder, example_factory, human_corpus, qualities, accepted
):
    batch = [
        example_factory(100 + i, synthetic=True, depth=1, quality=q)
        for i, q in enumerate(qualities)
    ]
    decision = check_batch(batch, human_corpus(), EvolveSettings(), embedder)
    assert rules(decision)["quality"].passed is accepted


def test_diversity_at_and_around_the_threshold(embedder, example_factory, human_corpus):
    corpus = human_corpus()
    # Ten near-copies of one topic pull the mean pairwise distance down.
    batch = [
        example_factory(100 + i, synthetic=True, depth=1, topic="baroque music") for i in range(10)
    ]
    measured = rules(check_batch(batch, corpus, EvolveSettings(), embedder))["diversity"].value
    assert measured is not None and measured < 1.0
    at = EvolveSettings(min_diversity_ratio=measured)
    above = EvolveSettings(min_diversity_ratio=measured + 0.001)
    below = EvolveSettings(min_diversity_ratio=measured - 0.001)
    assert rules(check_batch(batch, corpus, at, embedder))["diversity"].passed
    assert rules(check_batch(batch, corpus, below, embedder))["diversity"].passed
    assert not rules(check_batch(batch, corpus, above, embedder))["diversity"].passed


def test_duplicating_a_corpus_text_many_times_fails_the_default_diversity_rule(
    embedder, example_factory, human_corpus
):
    batch = [example_factory(3, synthetic=False, depth=0) for _ in range(60)]
    decision = check_batch(batch, human_corpus(), EvolveSettings(max_synthetic_share=1), embedder)
    assert not rules(decision)["diversity"].passed
    assert "below 0.85" in rules(decision)["diversity"].message


def test_every_violated_rule_is_named(embedder, example_factory, human_corpus):
    batch = [example_factory(3, synthetic=True, depth=3, quality=0.1) for _ in range(60)]
    decision = check_batch(batch, human_corpus(), EvolveSettings(), embedder)
    assert not decision.accepted
    assert {r.rule for r in decision.violations} == {
        "synthetic_share", "generation_depth", "diversity", "quality"
    }  # fmt: skip


def test_diversity_rule_passes_without_a_corpus(embedder, example_factory):
    decision = check_batch([example_factory(1)], [], EvolveSettings(), embedder)
    assert rules(decision)["diversity"].passed and rules(decision)["diversity"].value is None


def test_mean_pairwise_distance_matches_the_pairwise_definition():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(7, 5))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    sims = [v[i] @ v[j] for i in range(7) for j in range(7) if i != j]
    assert mean_pairwise_distance(v) == pytest.approx(1 - np.mean(sims))


def test_identical_texts_have_zero_diversity(embedder):
    assert diversity(["same text here"] * 4, embedder) == pytest.approx(0.0, abs=1e-6)


def test_diversity_sample_is_deterministic_and_bounded():
    texts = [f"text {i}" for i in range(100)]
    a = deterministic_sample(texts, 10, seed=1)
    assert a == deterministic_sample(texts, 10, seed=1) and len(a) == 10
    assert a != deterministic_sample(texts, 10, seed=2)
