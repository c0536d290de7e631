"""EM/F1 must agree with the official SQuAD v1.1 evaluation script to the last digit.

`_official_*` below is the scoring core of `evaluate-v1.1.py`, copied verbatim as the
reference oracle; the expected literals were computed by hand from the official algorithm.
"""

from __future__ import annotations

import re
import string
from collections import Counter

import pytest

from lyceum.lab.metrics import exact_match, normalize_answer, token_f1


def _official_normalize_answer(s):
    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_articles(remove_punc(lower(s))))


def _official_f1_score(prediction, ground_truth):
    prediction_tokens = _official_normalize_answer(prediction).split()
    ground_truth_tokens = _official_normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    f1 = (2 * precision * recall) / (precision + recall)
    return f1


def _official_exact_match_score(prediction, ground_truth):
    return _official_normalize_answer(prediction) == _official_normalize_answer(ground_truth)


def _official_max(metric_fn, prediction, ground_truths):
    return max(metric_fn(prediction, gt) for gt in ground_truths)


def _official_evaluate(dataset, predictions):
    f1 = exact = total = 0
    for qid, golds in dataset.items():
        total += 1
        exact += _official_max(_official_exact_match_score, predictions[qid], golds)
        f1 += _official_max(_official_f1_score, predictions[qid], golds)
    return {"exact_match": 100.0 * exact / total, "f1": 100.0 * f1 / total}


TRICKY = [
    ("The Eiffel Tower", ["Eiffel Tower"]),
    ("an apple a day", ["apple day"]),
    ("theatre", ["the atre"]),  # article removal needs word boundaries
    ("U.S.A.", ["USA"]),
    ("Denver Broncos!!", ["denver   broncos"]),
    ("Santa Clara, California", ["Levi's Stadium", "Santa Clara"]),
    ("the the the", ["the"]),  # all tokens vanish: F1 0, EM 1
    ("", ["something"]),
    ("1,000 people", ["1000"]),
    ("cat cat dog", ["cat dog dog"]),  # multiset overlap
    ("Ångström's  café—naïve", ["angström’s café naïve"]),  # unicode punctuation is kept
    ("Tab\tand\nnewline", ["tab and newline"]),
    ("A", ["an"]),
    ("Beyoncé Giselle Knowles-Carter", ["Beyoncé Knowles", "Knowles-Carter"]),
    ("in the late 1990s", ["late 1990s", "1990s"]),
]


@pytest.mark.parametrize(("prediction", "golds"), TRICKY)
def test_scores_match_the_official_script_on_tricky_cases(prediction, golds):
    assert exact_match(prediction, golds) == float(
        _official_max(_official_exact_match_score, prediction, golds)
    )
    assert token_f1(prediction, golds) == _official_max(_official_f1_score, prediction, golds)


def test_normalization_matches_the_official_function():
    for prediction, golds in TRICKY:
        for text in [prediction, *golds]:
            assert normalize_answer(text) == _official_normalize_answer(text)


def test_known_values_computed_by_hand():
    assert exact_match("The Eiffel Tower.", ["eiffel tower"]) == 1.0
    # pred {cat, cat, dog}, gold {cat, dog, dog}: 2 shared of 3 -> P = R = 2/3
    assert token_f1("cat cat dog", ["cat dog dog"]) == pytest.approx(2 / 3, abs=0)
    # pred "santa clara california" vs gold "santa clara": P = 2/3, R = 1 -> F1 = 0.8
    assert token_f1("Santa Clara, California", ["Levi's Stadium", "Santa Clara"]) == 0.8
    assert token_f1("the the the", ["the"]) == 0.0
    assert exact_match("the the the", ["the"]) == 1.0


def test_aggregate_equals_official_evaluate_to_the_last_digit():
    dataset = {f"q{i}": golds for i, (_, golds) in enumerate(TRICKY)}
    predictions = {f"q{i}": pred for i, (pred, _) in enumerate(TRICKY)}
    official = _official_evaluate(dataset, predictions)
    ours_em = 100.0 * sum(exact_match(predictions[q], g) for q, g in dataset.items()) / len(dataset)
    ours_f1 = 100.0 * sum(token_f1(predictions[q], g) for q, g in dataset.items()) / len(dataset)
    assert ours_em == official["exact_match"]
    assert ours_f1 == official["f1"]


def test_no_gold_answers_scores_zero():
    assert exact_match("anything", []) == 0.0
    assert token_f1("anything", []) == 0.0


def test_a_single_string_gold_is_one_answer_not_characters():
    assert exact_match("Paris", "Paris") == 1.0
