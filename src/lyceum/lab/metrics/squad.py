"""Exact match and token F1 with the official SQuAD v1.1 semantics.

`normalize_answer`, `f1_score` and `exact_match_score` reproduce the official
`evaluate-v1.1.py` line for line (lower-case, drop punctuation, drop the articles a/an/the,
collapse whitespace; F1 over the multiset of tokens), so `mean(...) * 100` over a dataset
equals the official script's numbers to the last digit.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Sequence

_PUNCTUATION = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize_answer(s: str) -> str:
    """Lower text and remove punctuation, articles and extra whitespace (official order)."""
    text = s.lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def f1_score(prediction: str, ground_truth: str) -> float:
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0.0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    return (2 * precision * recall) / (precision + recall)


def exact_match_score(prediction: str, ground_truth: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(ground_truth))


def _max_over(fn: Callable[[str, str], float], prediction: str, answers: Sequence[str]) -> float:
    if isinstance(answers, str):
        answers = [answers]
    return max((fn(prediction, gold) for gold in answers), default=0.0)


def exact_match(prediction: str, answers: Sequence[str]) -> float:
    """1.0 if the normalized prediction equals any normalized gold answer, else 0.0."""
    return _max_over(exact_match_score, prediction, answers)


def token_f1(prediction: str, answers: Sequence[str]) -> float:
    """Token-overlap F1 against the best-matching gold answer, 0.0-1.0."""
    return _max_over(f1_score, prediction, answers)
