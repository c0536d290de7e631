from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

from lyceum.lab.stats import (
    PairingError,
    bootstrap_diff_ci,
    compare_paired,
    mcnemar,
    paired_t_test,
)


def _outcomes(both: int, only_a: int, only_b: int, neither: int) -> tuple[list[bool], list[bool]]:
    a = [True] * both + [True] * only_a + [False] * only_b + [False] * neither
    b = [True] * both + [False] * only_a + [True] * only_b + [False] * neither
    return a, b


@pytest.mark.parametrize(
    "cells",
    [(10, 0, 0, 5), (10, 1, 9, 3), (5, 7, 3, 5), (0, 25, 30, 0), (40, 2, 14, 1), (3, 0, 6, 0)],
)
def test_mcnemar_equals_statsmodels_exact(cells):
    both, only_a, only_b, neither = cells
    a, b = _outcomes(*cells)
    table = [[both, only_a], [only_b, neither]]
    expected = sm_mcnemar(table, exact=True).pvalue
    assert mcnemar(a, b) == pytest.approx(expected, rel=1e-12, abs=0)


def test_mcnemar_known_value():
    # 1 vs 9 discordant pairs: p = 2 * (1 + 10) / 1024
    a, b = _outcomes(10, 1, 9, 3)
    assert mcnemar(a, b) == 22 / 1024


def test_mcnemar_rejects_unpaired_input():
    with pytest.raises(PairingError):
        mcnemar([True], [True, False])


def test_bootstrap_of_identical_methods_is_zero_width():
    assert bootstrap_diff_ci([1, 0, 1, 1], [1, 0, 1, 1], seed=3) == (0.0, 0.0)


def test_bootstrap_of_a_constant_difference_is_that_difference():
    low, high = bootstrap_diff_ci([0.0] * 20, [1.0] * 20, seed=1)
    assert (low, high) == (1.0, 1.0)


def test_bootstrap_is_seeded_and_brackets_the_observed_difference():
    rng = np.random.default_rng(0)
    a = (rng.random(200) < 0.5).astype(float)
    b = (rng.random(200) < 0.7).astype(float)
    first = bootstrap_diff_ci(a, b, seed=7)
    assert first == bootstrap_diff_ci(a, b, seed=7)
    observed = float((b - a).mean())
    assert first[0] < observed < first[1]
    # The normal-approximation interval of a mean of 200 paired differences.
    se = float(np.std(b - a, ddof=1) / np.sqrt(200))
    assert first[0] == pytest.approx(observed - 1.96 * se, abs=0.015)
    assert first[1] == pytest.approx(observed + 1.96 * se, abs=0.015)


def test_paired_t_test_matches_scipy_and_reports_cohens_dz():
    from scipy import stats

    a = [0.2, 0.4, 0.5, 0.9, 0.1, 0.3]
    b = [0.3, 0.6, 0.4, 1.0, 0.5, 0.35]
    t, p, d = paired_t_test(a, b)
    ref = stats.ttest_rel(b, a)
    diffs = np.array(b) - np.array(a)
    assert (t, p) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue))
    assert d == pytest.approx(diffs.mean() / diffs.std(ddof=1))


def test_compare_paired_aligns_by_example_id_and_states_significance():
    a = {f"q{i}": 0.0 for i in range(30)} | {"only_in_a": 1.0}
    b = {f"q{i}": 1.0 for i in range(30)} | {"only_in_b": 0.0}
    result = compare_paired(a, b, a_name="naive", b_name="cot", n_resamples=2000)
    assert result.n == 30
    assert result.only_b_correct == 30
    assert result.difference == 1.0
    assert result.significant
    assert "cot is more accurate than naive" in result.statement


def test_compare_paired_without_difference_is_not_significant():
    scores = {f"q{i}": float(i % 2) for i in range(10)}
    result = compare_paired(scores, dict(scores))
    assert not result.significant
    assert result.mcnemar_p == 1.0
    assert "Not significant by McNemar" in result.statement


def test_compare_paired_needs_shared_examples():
    with pytest.raises(PairingError):
        compare_paired({"a": 1.0}, {"b": 1.0})
