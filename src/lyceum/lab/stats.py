"""Paired statistics for two methods run on the same examples, aligned by example id.

McNemar's exact test asks whether the two methods' correctness differs more than chance
on the examples where they disagree; the paired bootstrap gives a confidence interval of
the accuracy difference; the paired t-test and Cohen's d describe the score difference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np
from pydantic import BaseModel

from lyceum.errors import LyceumError


class PairingError(LyceumError):
    """The two result sets cannot be paired (no shared examples, unequal lengths)."""


def mcnemar(a_correct: Sequence[bool], b_correct: Sequence[bool]) -> float:
    """Exact two-sided McNemar p-value: a binomial test on the discordant pairs.

    Same definition as statsmodels' `mcnemar(table, exact=True)`: with b and c the counts
    of pairs only A / only B got right, p = min(1, 2 * P[Binom(b + c, 1/2) <= min(b, c)]).
    Computed in exact rational arithmetic.
    """
    if len(a_correct) != len(b_correct):
        raise PairingError(
            f"McNemar needs paired outcomes; got {len(a_correct)} and {len(b_correct)}"
        )
    only_a = sum(1 for a, b in zip(a_correct, b_correct, strict=True) if a and not b)
    only_b = sum(1 for a, b in zip(a_correct, b_correct, strict=True) if b and not a)
    n = only_a + only_b
    k = min(only_a, only_b)
    tail = Fraction(sum(math.comb(n, i) for i in range(k + 1)), 2**n)
    return float(min(Fraction(1), 2 * tail))


def align(
    a: Mapping[str, float], b: Mapping[str, float]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The example ids both sides scored (sorted), and their scores in that order."""
    ids = sorted(set(a) & set(b))
    if not ids:
        raise PairingError(
            "the two result sets share no example ids",
            hint="Compare runs over the same dataset sample (same dataset, seed, sample size).",
        )
    return ids, np.array([a[i] for i in ids], float), np.array([b[i] for i in ids], float)


def bootstrap_diff_ci(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    n_resamples: int = 10_000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile CI of mean(b - a) from resampling the example pairs (seeded)."""
    diffs = np.asarray(b, float) - np.asarray(a, float)
    if diffs.size == 0:
        raise PairingError("bootstrap needs at least one pair")
    rng = np.random.default_rng(seed)
    means = np.empty(n_resamples)
    chunk = max(1, 2_000_000 // diffs.size)
    for start in range(0, n_resamples, chunk):
        stop = min(n_resamples, start + chunk)
        idx = rng.integers(0, diffs.size, size=(stop - start, diffs.size))
        means[start:stop] = diffs[idx].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def paired_t_test(
    a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray
) -> tuple[float, float, float]:
    """(t statistic, two-sided p, Cohen's d_z = mean(b - a) / sd(b - a)).

    Identical pairs everywhere give t = 0, p = 1, d = 0 rather than NaN.
    """
    from scipy import stats

    a_arr, b_arr = np.asarray(a, float), np.asarray(b, float)
    diffs = b_arr - a_arr
    if diffs.size < 2:
        raise PairingError("a paired t-test needs at least two pairs")
    sd = float(np.std(diffs, ddof=1))
    if sd == 0.0:
        mean = float(diffs.mean())
        if mean == 0.0:
            return 0.0, 1.0, 0.0
        return math.copysign(math.inf, mean), 0.0, math.copysign(math.inf, mean)
    result = stats.ttest_rel(b_arr, a_arr)
    return float(result.statistic), float(result.pvalue), float(diffs.mean()) / sd


class PairedComparison(BaseModel):
    """B compared with A on the examples both scored. Differences are B - A."""

    a: str
    b: str
    n: int
    a_accuracy: float
    b_accuracy: float
    difference: float
    ci_low: float
    ci_high: float
    confidence: float
    only_a_correct: int
    only_b_correct: int
    mcnemar_p: float
    t_statistic: float
    t_p: float
    cohens_d: float
    alpha: float
    significant: bool
    statement: str


def compare_paired(
    a_scores: Mapping[str, float],
    b_scores: Mapping[str, float],
    *,
    a_name: str = "A",
    b_name: str = "B",
    correct_threshold: float = 0.5,
    alpha: float = 0.05,
    n_resamples: int = 10_000,
    seed: int = 0,
) -> PairedComparison:
    """Full paired comparison of two methods' per-example scores, keyed by example id.

    An example counts as correct when its score is at least `correct_threshold`; McNemar
    and the bootstrap use correctness, the t-test and Cohen's d the raw scores.
    """
    ids, a, b = align(a_scores, b_scores)
    a_ok, b_ok = a >= correct_threshold, b >= correct_threshold
    p = mcnemar(a_ok.tolist(), b_ok.tolist())
    low, high = bootstrap_diff_ci(
        a_ok.astype(float),
        b_ok.astype(float),
        n_resamples=n_resamples,
        confidence=1 - alpha,
        seed=seed,
    )
    if len(ids) >= 2:
        t, t_p, d = paired_t_test(a, b)
    else:
        t, t_p, d = 0.0, 1.0, 0.0
    a_acc, b_acc = float(a_ok.mean()), float(b_ok.mean())
    diff = b_acc - a_acc
    significant = p < alpha
    return PairedComparison(
        a=a_name,
        b=b_name,
        n=len(ids),
        a_accuracy=a_acc,
        b_accuracy=b_acc,
        difference=diff,
        ci_low=low,
        ci_high=high,
        confidence=1 - alpha,
        only_a_correct=int((a_ok & ~b_ok).sum()),
        only_b_correct=int((b_ok & ~a_ok).sum()),
        mcnemar_p=p,
        t_statistic=t,
        t_p=t_p,
        cohens_d=d,
        alpha=alpha,
        significant=significant,
        statement=significance_statement(
            a_name,
            b_name,
            diff,
            low,
            high,
            p,
            alpha,
            len(ids),
            discordant=int((a_ok != b_ok).sum()),
        ),
    )


def significance_statement(
    a_name: str,
    b_name: str,
    diff: float,
    low: float,
    high: float,
    p: float,
    alpha: float,
    n: int,
    discordant: int | None = None,
) -> str:
    """The verdict in words, naming the test it follows (McNemar's exact test) and saying so
    when the bootstrap interval disagrees with it, instead of placing "no significant
    difference" next to an interval that excludes zero."""
    ci = f"{(1 - alpha) * 100:g}% bootstrap CI {low * 100:+.1f} to {high * 100:+.1f} points"
    examples = f"{n} paired example{'' if n == 1 else 's'}"
    test = f"McNemar's exact test p = {p:.3g}"
    on = (
        f" on the {discordant} example{'' if discordant == 1 else 's'} only one of them got right"
        if discordant is not None
        else ""
    )
    ci_excludes_zero = low > 0 or high < 0
    if p < alpha:
        better, worse = (b_name, a_name) if diff > 0 else (a_name, b_name)
        verdict = (
            f"{better} is more accurate than {worse} by {abs(diff) * 100:.1f} points on "
            f"{examples} ({ci}); {test}{on} < {alpha:g}: significant."
        )
        if not ci_excludes_zero:
            verdict += " The bootstrap CI includes 0, so the evidence is borderline."
        return verdict
    verdict = (
        f"Not significant by McNemar's exact test: {a_name} vs {b_name} on {examples} "
        f"(difference {diff * 100:+.1f} points, {ci}; {test}{on} >= {alpha:g})."
    )
    if ci_excludes_zero:
        verdict += (
            " The bootstrap CI excludes 0, but the verdict follows McNemar's test, which "
            "weighs only the examples the two disagree on and is the more cautious with few "
            "of them: treat the difference as suggestive and run more examples."
        )
    return verdict
