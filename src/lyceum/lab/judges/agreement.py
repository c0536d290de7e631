"""Inter-rater agreement: Cohen's kappa for two judges, Fleiss' kappa for a panel."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

from lyceum.errors import LyceumError


class AgreementError(LyceumError):
    """Ratings that agreement cannot be computed on."""


def cohens_kappa(rater_a: Sequence[Hashable], rater_b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two raters' labels on the same items (unweighted).

    1.0 is perfect agreement, 0.0 what chance gives. When both raters use one single
    label throughout, agreement is perfect and 1.0 is returned.
    """
    if len(rater_a) != len(rater_b) or not rater_a:
        raise AgreementError(
            f"Cohen's kappa needs two equally long, non-empty ratings "
            f"(got {len(rater_a)} and {len(rater_b)})"
        )
    n = len(rater_a)
    observed = sum(1 for a, b in zip(rater_a, rater_b, strict=True) if a == b) / n
    count_a, count_b = Counter(rater_a), Counter(rater_b)
    expected = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1 - expected)


def fleiss_kappa(ratings: Sequence[Sequence[Hashable]]) -> float:
    """Fleiss' kappa: `ratings[i]` holds every rater's label for item i (same count each)."""
    if not ratings:
        raise AgreementError("Fleiss' kappa needs at least one rated item")
    n_raters = len(ratings[0])
    if n_raters < 2 or any(len(r) != n_raters for r in ratings):
        raise AgreementError("Fleiss' kappa needs the same number (>= 2) of ratings per item")
    categories = sorted({label for item in ratings for label in item}, key=repr)
    counts = [[Counter(item)[c] for c in categories] for item in ratings]
    n_items = len(ratings)
    p_items = [(sum(c * c for c in row) - n_raters) / (n_raters * (n_raters - 1)) for row in counts]
    p_bar = sum(p_items) / n_items
    p_cat = [sum(row[j] for row in counts) / (n_items * n_raters) for j in range(len(categories))]
    p_e = sum(p * p for p in p_cat)
    if p_e == 1.0:
        return 1.0
    return (p_bar - p_e) / (1 - p_e)
