"""benchmarks/openmp_team.py: its ratios are medians of in-rep ratios, and its table says so."""

from __future__ import annotations

from .benchmark_loader import load_benchmark

load_benchmark("provenance")
load_benchmark("local_rounds")
omp = load_benchmark("openmp_team")


def _rep(alone: float, inline: float, own: float, one: float) -> dict:
    def row(decode: float, embed: float | None) -> dict:
        return {"decode": decode, "prefill": decode * 3, "embed_per_s": embed}

    return {
        "alone": row(alone, None),
        "inline": row(inline, 100.0),
        "own team": row(own, 110.0),
        "own team, 1 thread": row(one, 110.0),
    }


def test_ratios_are_medians_of_ratios_within_each_rep() -> None:
    # Rep 2 ran on a slower machine throughout: its ratios, not its speeds, count.
    reps = [_rep(40, 30, 40, 20), _rep(20, 10, 20, 10), _rep(36, 27, 36, 24)]
    s = omp.summary(reps)
    assert s["own team vs inline"] == 4 / 3
    assert s["own team 2 threads vs 1"] == 2.0
    assert s["inline vs alone"] == 0.75
    assert s["embed own team vs inline"] == 1.1


def test_the_table_names_the_run_and_every_configuration() -> None:
    doc = {
        "date": "2026-12-03T21:35:33+00:00",
        "machine": {"cpus": 2},
        "git_commit": "40b058c",
        "load_average_before": [1.0],
        "load_average_after": [1.3],
        "reps": [_rep(40, 30, 40, 20)],
        "summary": omp.summary([_rep(40, 30, 40, 20)]),
    }
    table = omp.markdown(doc)
    assert "commit 40b058c" in table and "1 reps" in table
    assert "| 30.0 | 0.75x of alone |" in table
    assert "2 threads: 2.00x decode" in table
