from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from lyceum.lab.judges import AgreementError, cohens_kappa, fleiss_kappa


def _table(a, b):
    cats = sorted(set(a) | set(b))
    table = np.zeros((len(cats), len(cats)))
    for x, y in zip(a, b, strict=True):
        table[cats.index(x), cats.index(y)] += 1
    return table


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1, 2, 3, 1, 2, 3, 3, 2], [1, 2, 3, 2, 2, 3, 1, 2]),
        (["A", "B", "tie", "A", "A", "B"], ["A", "B", "A", "A", "tie", "B"]),
        ([5, 5, 4, 3, 5, 1, 2, 4, 4, 5], [4, 5, 4, 3, 5, 2, 2, 3, 4, 5]),
    ],
)
def test_cohens_kappa_equals_statsmodels(a, b):
    assert cohens_kappa(a, b) == pytest.approx(sm_cohens_kappa(_table(a, b)).kappa, abs=1e-12)


def test_cohens_kappa_known_values():
    # The textbook example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> kappa = 0.4
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohens_kappa(a, b) == pytest.approx(0.4)
    assert cohens_kappa(["x", "x"], ["x", "x"]) == 1.0
    with pytest.raises(AgreementError):
        cohens_kappa([1], [1, 2])


def test_fleiss_kappa_equals_statsmodels_on_the_fleiss_1971_table():
    # Fleiss' (1971) worked example as used in Wikipedia: 10 items, 14 raters, 5 categories;
    # kappa = 0.210.
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]  # fmt: skip
    ratings = [[cat for cat, n in enumerate(row) for _ in range(n)] for row in table]
    assert fleiss_kappa(ratings) == pytest.approx(sm_fleiss_kappa(np.array(table)), abs=1e-12)
    assert fleiss_kappa(ratings) == pytest.approx(0.2099, abs=1e-4)


def test_fleiss_kappa_on_judge_labels_matches_statsmodels():
    ratings = [[3, 3, 4], [5, 5, 5], [1, 2, 1], [4, 4, 3], [2, 2, 2], [5, 4, 5]]
    counts, _ = aggregate_raters(np.array(ratings))
    assert fleiss_kappa(ratings) == pytest.approx(sm_fleiss_kappa(counts), abs=1e-12)
    with pytest.raises(AgreementError):
        fleiss_kappa([[1, 2], [1]])
