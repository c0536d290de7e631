"""Evaluation helpers of the verifier trainer: temperature fit, ECE, per-class scores."""

from __future__ import annotations

import numpy as np
import pytest

from lyceum.claimcheck_training.train import (
    classification_report,
    fit_temperature,
    reliability,
    softmax,
)


def test_fit_temperature_recovers_the_temperature_that_generated_the_labels() -> None:
    rng = np.random.default_rng(0)
    true_logits = rng.normal(0, 2.0, size=(20_000, 3))
    labels = np.array([rng.choice(3, p=p) for p in softmax(true_logits)])
    overconfident = true_logits * 3.0
    assert fit_temperature(overconfident, labels) == pytest.approx(3.0, rel=0.05)


def test_reliability_is_zero_for_confidences_that_match_accuracy() -> None:
    probs = np.array([[0.75, 0.25, 0.0]] * 4)
    labels = np.array([0, 0, 0, 1])
    result = reliability(probs, labels, n_bins=10)
    assert result["ece"] == pytest.approx(0.0)
    assert result["bins"] == [
        {"lower": 0.7, "upper": 0.8, "count": 4, "accuracy": 0.75, "confidence": 0.75}
    ]


def test_reliability_measures_overconfidence() -> None:
    probs = np.array([[0.9, 0.05, 0.05]] * 10)
    labels = np.array([0] * 5 + [1] * 5)
    assert reliability(probs, labels)["ece"] == pytest.approx(0.4)


def test_classification_report_gives_per_class_f1_and_macro_average() -> None:
    gold = np.array([0, 0, 1, 1, 2, 2])
    pred = np.array([0, 1, 1, 1, 2, 0])
    report = classification_report(pred, gold)
    assert report["accuracy"] == pytest.approx(4 / 6, abs=1e-4)
    assert report["per_class"]["supported"]["f1"] == pytest.approx(0.5)
    assert report["per_class"]["contradicted"]["f1"] == pytest.approx(0.8)
    assert report["per_class"]["not_enough_info"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert report["macro_f1"] == pytest.approx((0.5 + 0.8 + 2 / 3) / 3, abs=1e-4)
    assert report["confusion_rows_gold_cols_pred"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
