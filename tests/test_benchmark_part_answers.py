"""benchmarks/part_answers.py: the bar's cost counts a hidden gap twice (three times for an
unanswerable part), ties go higher."""

from __future__ import annotations

from .benchmark_loader import load_benchmark

load_benchmark("provenance")
pa = load_benchmark("part_answers")


def _row(score: float | None, answered: bool, answerable: bool = True) -> dict:
    return {"best_score": score, "answered": answered, "answerable": answerable}


def test_a_hidden_gap_costs_more_than_an_understated_part() -> None:
    # Over 0.45 one answered part (0.4) is declared and nothing is hidden: cost 1. Under it
    # the unanswered 0.45 is taken as answered: cost 2 or more. The bar sits midway between
    # two scores (0.45 and 0.9).
    rows = [_row(0.9, True), _row(0.4, True), _row(0.45, False), _row(0.2, False, False)]
    assert pa.choose(rows) == 0.68
    assert pa.errors(rows, 0.68) == {
        "answered_declared": 1,
        "unanswered_taken": 0,
        "unanswerable_taken": 0,
    }
    assert pa.errors(rows, 0.3) == {
        "answered_declared": 0,
        "unanswered_taken": 1,
        "unanswerable_taken": 0,
    }


def test_a_part_with_no_sentence_of_its_kind_is_never_taken_as_answered() -> None:
    rows = [_row(None, False, False), _row(0.8, True)]
    assert pa.errors(rows, -1.0)["unanswerable_taken"] == 0


def test_hiding_an_unanswerable_part_costs_more_than_hiding_an_unanswered_one() -> None:
    # Under 0.3 two answered parts are taken and the unanswerable 0.3 is hidden: cost
    # 2 + 1; over it the two are declared: cost 2. Without the extra cost it would be a tie,
    # which goes to the higher bar as well; with a third answered part under 0.3 it would not.
    rows = [_row(0.25, True), _row(0.27, True), _row(0.3, False, False)]
    assert pa.choose(rows) == 0.31
    rows.append(_row(0.26, True))
    assert pa.choose(rows) == 0.31  # cost 3 against 2 + 1
