"""Answer-matching metrics: SQuAD EM/F1, substring containment and numeric equality."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from lyceum.lab.metrics.base import ScoringInput, metric
from lyceum.lab.metrics.squad import exact_match, normalize_answer, token_f1

_NUMBER = re.compile(r"[-−]?\$?\d[\d,]*(?:\.\d+)?(?:/\d+)?|[-−]?\.\d+")


def substring_match(prediction: str, answers: Sequence[str]) -> float:
    """1.0 if any normalized gold answer occurs in the normalized prediction."""
    pred = f" {normalize_answer(prediction)} "
    return float(any((norm := normalize_answer(gold)) and f" {norm} " in pred for gold in answers))


def parse_number(text: str) -> float | None:
    """A number written as '1,234', '-3.5', '$12', '3/4' or '.5'; None if not a number."""
    cleaned = text.strip().replace("−", "-").replace("$", "").replace(",", "")
    try:
        if "/" in cleaned:
            num, den = cleaned.split("/", 1)
            return float(num) / float(den)
        return float(cleaned)
    except (ValueError, ZeroDivisionError):
        return None


def last_number(text: str) -> float | None:
    """The last number mentioned in `text` (how math answers are usually stated)."""
    for match in reversed(_NUMBER.findall(text)):
        value = parse_number(match)
        if value is not None:
            return value
    return None


def numeric_match(prediction: str, answers: Sequence[str], rel_tol: float = 1e-6) -> float:
    """1.0 if the last number in the prediction equals a gold number (relative tolerance)."""
    value = last_number(prediction)
    if value is None:
        return 0.0
    for gold in answers:
        expected = parse_number(gold)
        if expected is None:
            expected = last_number(gold)
        if expected is not None and math.isclose(value, expected, rel_tol=rel_tol, abs_tol=1e-9):
            return 1.0
    return 0.0


@metric("exact_match", binary=True)
def _exact_match(item: ScoringInput) -> float:
    return exact_match(item.prediction, item.example.answers)


@metric("token_f1")
def _token_f1(item: ScoringInput) -> float:
    return token_f1(item.prediction, item.example.answers)


@metric("substring", binary=True)
def _substring(item: ScoringInput) -> float:
    return substring_match(item.prediction, item.example.answers)


@metric("numeric", binary=True)
def _numeric(item: ScoringInput) -> float:
    return numeric_match(item.prediction, item.example.answers)
