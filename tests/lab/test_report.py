from __future__ import annotations

import json
from pathlib import Path

import pytest

from lyceum.errors import NotFoundError
from lyceum.lab.experiment import parse_experiment
from lyceum.lab.report import build_report, compare_conditions, render_markdown, write_report
from lyceum.lab.runner import run_experiment
from lyceum.lab.summary import pareto_front, percentiles


async def _run(db, qa_file, model, **extra):
    config = parse_experiment(
        {
            "name": "capitals",
            "datasets": [{"name": "jsonl", "label": "caps", "options": {"path": str(qa_file)}}],
            "methods": ["naive", "cot"],
            "models": ["m"],
            **extra,
        }
    )
    return await run_experiment(config, db=db, resolve_model=lambda n: model)


async def test_report_compares_methods_and_lists_disagreements(db, qa_file, capital_model):
    run = await _run(db, qa_file, capital_model)
    report = build_report(db, [run.run_id], n_resamples=1000)
    by_label = {c.label: c for c in report.conditions}
    assert set(by_label) == {"naive", "cot"}
    assert by_label["cot"].accuracy == 1.0
    assert by_label["naive"].accuracy == pytest.approx(4 / 6)
    assert by_label["cot"].tokens_per_example == 25
    assert by_label["cot"].cost_usd == pytest.approx(0.006)
    (comparison,) = report.comparisons
    assert (comparison.a, comparison.b) == ("cot", "naive")
    assert comparison.only_a_correct == 2 and comparison.n == 6
    assert comparison.mcnemar_p == 0.5
    assert not comparison.significant
    assert {d.example_id for d in report.diffs} == {"q-Spain", "q-Japan"}
    assert report.diffs[0].correct == {"cot": True, "naive": False}
    assert report.pareto == ["cot"]


async def test_markdown_and_json_and_plots_are_written(db, qa_file, capital_model, tmp_path: Path):
    run = await _run(db, qa_file, capital_model)
    out = tmp_path / "report"
    write_report(db, [run.run_id], out, n_resamples=500)
    markdown = (out / "report.md").read_text()
    assert "| cot | 6 | 0 | 100.0 |" in markdown
    assert "McNemar's exact test p = 0.5" in markdown
    assert "✗ Lyon" in markdown
    data = json.loads((out / "report.json").read_text())
    assert {c["method"] for c in data["conditions"]} == {"naive", "cot"}
    for png in ("accuracy_latency.png", "latency_hist.png", "accuracy_cost.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "![accuracy vs cost](accuracy_cost.png)" in markdown


async def test_reports_across_runs_label_conditions_by_run(db, qa_file, capital_model):
    first = await _run(db, qa_file, capital_model)
    second = await _run(db, qa_file, capital_model, seed=5)
    report = build_report(db, [first.run_id, second.run_id], n_resamples=200)
    assert len(report.conditions) == 4
    assert all(c.label.startswith((first.run_id[:8], second.run_id[:8])) for c in report.conditions)
    assert len(report.comparisons) == 6
    assert "Paired comparisons" in render_markdown(report)


async def test_compare_selects_conditions_by_run_method_and_model(db, qa_file, capital_model):
    run = await _run(db, qa_file, capital_model)
    result = compare_conditions(db, f"{run.run_id}:naive", f"{run.run_id}:cot@m", n_resamples=200)
    assert result.difference == pytest.approx(2 / 6)
    with pytest.raises(NotFoundError, match="ambiguous"):
        compare_conditions(db, run.run_id, f"{run.run_id}:cot")
    with pytest.raises(NotFoundError, match="no condition"):
        compare_conditions(db, f"{run.run_id}:react", f"{run.run_id}:cot")


def test_report_without_results_says_so(db):
    with pytest.raises(NotFoundError):
        build_report(db, ["missing-run"])


def test_pareto_front_keeps_only_undominated_points():
    points = [(1.0, 0.5), (2.0, 0.7), (2.5, 0.6), (0.5, 0.5), (3.0, 0.9)]
    assert pareto_front(points) == [3, 1, 4]


def test_percentiles_interpolate_like_numpy():
    assert percentiles([1.0, 2.0, 3.0, 4.0]) == [2.5, pytest.approx(3.85), pytest.approx(3.97)]
    assert percentiles([]) == [0.0, 0.0, 0.0]
