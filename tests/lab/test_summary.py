"""Per-condition throughput, cached calls, and the significance sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lyceum.lab.results import ExampleResult
from lyceum.lab.stats import compare_paired, significance_statement
from lyceum.lab.summary import busy_seconds, summarize

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _result(method: str, i: int, start_s: float, seconds: float, cached: bool = False):
    start = T0 + timedelta(seconds=start_s)
    call = {"kind": "call", "content": "x", "detail": {"cached": "exact" if cached else None}}
    return ExampleResult(
        run_id="r", dataset="d", model="m", method=method, example_id=str(i), status="done",
        scores={"exact_match": 1.0}, calls=1, latency_s=seconds, trace=[call],
        started_at=start, finished_at=start + timedelta(seconds=seconds),
    )  # fmt: skip


def test_busy_seconds_is_the_union_of_intervals():
    def at(a: float, b: float) -> tuple[datetime, datetime]:
        return T0 + timedelta(seconds=a), T0 + timedelta(seconds=b)

    assert busy_seconds([at(0, 2), at(1, 3), at(5, 6)]) == 4.0
    assert busy_seconds([]) == 0.0


def test_throughput_of_interleaved_methods_is_measured_on_each_ones_own_time():
    """Two methods run one example at a time, alternating: naive takes 0.5 s an example and
    cot 4 s. Over the whole run's window naive would show 10 examples in 45 s (0.22 ex/s)."""
    results, clock = {"naive": [], "cot": []}, 0.0
    for i in range(10):
        results["naive"].append(_result("naive", i, clock, 0.5))
        clock += 0.5
        results["cot"].append(_result("cot", i, clock, 4.0))
        clock += 4.0
    naive = summarize(results["naive"], ["exact_match"])
    cot = summarize(results["cot"], ["exact_match"])
    assert round(naive.throughput_per_s, 3) == 2.0
    assert round(cot.throughput_per_s, 3) == 0.25


def test_cached_calls_are_counted_per_condition():
    rows = [_result("naive", i, i, 0.01, cached=i < 3) for i in range(5)]
    summary = summarize(rows, ["exact_match"])
    assert (summary.cached_calls, summary.calls) == (3, 5)


def test_a_verdict_names_its_test_and_explains_a_ci_that_excludes_zero():
    statement = significance_statement(
        "naive", "cot", 0.125, 0.05, 0.2, 0.0625, 0.05, 40, discordant=5
    )
    assert statement.startswith("Not significant by McNemar's exact test")
    assert "on the 5 examples only one of them got right" in statement
    assert "The bootstrap CI excludes 0, but the verdict follows McNemar's test" in statement
    plain = significance_statement("a", "b", 0.0, -0.1, 0.1, 1.0, 0.05, 1, discordant=0)
    assert "excludes 0" not in plain and "1 paired example " in plain


def test_compare_paired_passes_the_discordant_count_to_the_sentence():
    a = {str(i): 1.0 for i in range(40)}
    b = dict(a)
    for i in range(5):
        a[str(i)] = 0.0
    result = compare_paired(a, b, a_name="naive", b_name="cot", n_resamples=2000)
    assert not result.significant and result.ci_low > 0
    assert "only one of them got right" in result.statement and "excludes 0" in result.statement
