"""Comparison reports over one or more runs: a table per condition, paired statistics
between conditions on the same dataset, a per-example diff, Markdown/JSON and PNG plots."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

from pydantic import BaseModel, Field

from lyceum.errors import LyceumError, NotFoundError
from lyceum.lab.metrics import METRICS
from lyceum.lab.results import ExampleResult, RunInfo, get_run, load_results
from lyceum.lab.stats import PairedComparison, compare_paired
from lyceum.lab.summary import (
    ConditionSummary,
    group_results,
    pareto_front,
    primary_score,
    summarize,
)
from lyceum.store.db import Database


class ExampleDiff(BaseModel):
    """An example the conditions disagree on: who got it right, and what each said."""

    dataset: str
    example_id: str
    question: str
    gold: list[str]
    correct: dict[str, bool]
    predictions: dict[str, str]


class Report(BaseModel):
    runs: list[str]
    names: list[str]
    primary_metric: str
    metrics: list[str]
    correct_threshold: float
    alpha: float
    conditions: list[ConditionSummary]
    comparisons: list[PairedComparison]
    pareto: list[str] = Field(description="Labels on the accuracy-vs-cost Pareto front.")
    diffs: list[ExampleDiff]


def _labels(conditions: list[ConditionSummary], runs: list[str]) -> None:
    models = {c.model for c in conditions}
    datasets = {c.dataset for c in conditions}
    for c in conditions:
        label = c.method if len(models) == 1 else f"{c.method}@{c.model}"
        if len(datasets) > 1:
            label = f"{c.dataset}/{label}"
        if len(runs) > 1:
            label = f"{c.run_id[:8]}:{label}"
        c.label = label


def build_report(
    db: Database,
    run_ids: list[str],
    *,
    n_resamples: int = 10_000,
    seed: int = 0,
    max_diffs: int = 200,
) -> Report:
    """Everything `lyceum eval report` shows, computed from the stored results."""
    if not run_ids:
        raise LyceumError("name at least one run to report on")
    runs: list[RunInfo] = [get_run(db, r) for r in run_ids]
    config = runs[0].config
    metrics: list[str] = list(config.get("metrics", ["exact_match"]))
    primary = metrics[0]
    threshold = float(config.get("correct_threshold", 0.5))
    alpha = float(config.get("alpha", 0.05))
    results: list[ExampleResult] = [r for run in runs for r in load_results(db, run.id)]
    if not results:
        raise NotFoundError(
            f"no results stored for run(s) {', '.join(r.id for r in runs)}",
            hint="Run the experiment first: lyceum eval run exp.yaml",
        )
    groups = group_results(results)
    conditions = [
        summarize(g, metrics, primary=primary, correct_threshold=threshold) for g in groups.values()
    ]
    conditions.sort(key=lambda c: (c.dataset, c.run_id, c.model, c.method))
    _labels(conditions, [r.id for r in runs])
    label_of = {c.key: c.label for c in conditions}

    scores = {
        c.key: {r.example_id: primary_score(r, primary) for r in groups[c.key]} for c in conditions
    }
    comparisons = []
    for a, b in combinations(conditions, 2):
        if a.dataset != b.dataset or not set(scores[a.key]) & set(scores[b.key]):
            continue
        comparisons.append(
            compare_paired(
                scores[a.key],
                scores[b.key],
                a_name=a.label,
                b_name=b.label,
                correct_threshold=threshold,
                alpha=alpha,
                n_resamples=n_resamples,
                seed=seed,
            )
        )
    costs = [
        (
            c.cost_per_example_usd if any(x.cost_usd for x in conditions) else c.tokens_per_example,
            c.accuracy,
        )
        for c in conditions
    ]
    return Report(
        runs=[r.id for r in runs],
        names=[r.name for r in runs],
        primary_metric=primary,
        metrics=metrics,
        correct_threshold=threshold,
        alpha=alpha,
        conditions=conditions,
        comparisons=comparisons,
        pareto=[conditions[i].label for i in pareto_front(costs)],
        diffs=_diffs(groups, label_of, primary, threshold, max_diffs),
    )


def _diffs(
    groups: dict[tuple[str, str, str, str], list[ExampleResult]],
    label_of: dict[tuple[str, str, str, str], str],
    primary: str,
    threshold: float,
    limit: int,
) -> list[ExampleDiff]:
    by_example: dict[tuple[str, str], dict[str, ExampleResult]] = {}
    for key, results in groups.items():
        for r in results:
            by_example.setdefault((r.dataset, r.example_id), {})[label_of[key]] = r
    diffs = []
    for (dataset, example_id), answers in sorted(by_example.items()):
        correct = {label: primary_score(r, primary) >= threshold for label, r in answers.items()}
        if len(answers) < 2 or len(set(correct.values())) < 2:
            continue
        any_result = next(iter(answers.values()))
        diffs.append(
            ExampleDiff(
                dataset=dataset,
                example_id=example_id,
                question=any_result.question,
                gold=any_result.gold,
                correct=correct,
                predictions={label: r.prediction for label, r in answers.items()},
            )
        )
        if len(diffs) >= limit:
            break
    return diffs


def _fmt(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}" if pct else f"{value:.3g}"


def _cell(text: str, width: int = 60) -> str:
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_markdown(report: Report, plots: dict[str, str] | None = None) -> str:
    """The report as Markdown: table, comparisons, Pareto front, per-example diff, plots."""
    lines = [f"# Experiment report: {', '.join(dict.fromkeys(report.names))}", ""]
    lines.append(
        f"Runs: {', '.join(f'`{r}`' for r in report.runs)}. Primary metric: "
        f"**{report.primary_metric}** (correct when >= {report.correct_threshold:g}); "
        f"alpha = {report.alpha:g}."
    )
    lines += ["", "## Results", ""]
    fractions = {m: m not in METRICS or METRICS.get(m).fraction for m in report.metrics}
    metric_cols = [f"{m} (%)" if fractions[m] else m for m in report.metrics]
    header = [
        "condition",
        "n",
        "err",
        "accuracy (%)",
        *metric_cols,
        "p50 s",
        "p95 s",
        "p99 s",
        "ex/s",
        "cached calls",
        "tokens/ex",
        "cost $",
    ]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for c in report.conditions:
        row = [c.label, str(c.n), str(c.errors), _fmt(c.accuracy, True)]
        row += [_fmt(c.metrics.get(m), fractions[m]) for m in report.metrics]
        row += [
            f"{c.latency_p50_s:.2f}",
            f"{c.latency_p95_s:.2f}",
            f"{c.latency_p99_s:.2f}",
            f"{c.throughput_per_s:.2f}",
            f"{c.cached_calls}/{c.calls}",
            f"{c.tokens_per_example:.0f}",
            f"{c.cost_usd:.4f}",
        ]
        lines.append("| " + " | ".join(row) + " |")
    cached = [c.label for c in report.conditions if c.cached_calls]
    if cached:
        lines += [
            "",
            f"Served partly or wholly from the exact cache: {', '.join(cached)}; their "
            "latency and ex/s measure the cache, not the model.",
        ]
    if report.comparisons:
        lines += ["", "## Paired comparisons", ""]
        lines.append(
            "| A | B | n | B−A (pts) | CI | McNemar p | t-test p | Cohen's d | significant |"
        )
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for p in report.comparisons:
            lines.append(
                f"| {p.a} | {p.b} | {p.n} | {p.difference * 100:+.1f} | "
                f"[{p.ci_low * 100:+.1f}, {p.ci_high * 100:+.1f}] | {p.mcnemar_p:.3g} | "
                f"{p.t_p:.3g} | {p.cohens_d:.2f} | {'yes' if p.significant else 'no'} |"
            )
        lines.append("")
        lines += [f"- {p.statement}" for p in report.comparisons]
    lines += ["", f"Pareto front (accuracy vs cost): {', '.join(report.pareto)}."]
    if report.diffs:
        labels = [c.label for c in report.conditions]
        lines += [
            "",
            "## Per-example diff",
            "",
            "Examples the conditions disagree on (✓ correct, ✗ wrong).",
            "",
        ]
        lines.append("| example | gold | " + " | ".join(labels) + " |")
        lines.append("|" + "---|" * (len(labels) + 2))
        for d in report.diffs:
            cells = []
            for label in labels:
                if label not in d.correct:
                    cells.append("")
                    continue
                mark = "✓" if d.correct[label] else "✗"
                cells.append(f"{mark} {_cell(d.predictions[label], 30)}")
            gold = _cell(d.gold[0] if d.gold else "", 30)
            lines.append(f"| {_cell(d.example_id, 24)} | {gold} | " + " | ".join(cells) + " |")
    if plots:
        lines += ["", "## Plots", ""]
        lines += [f"![{name}]({file})" for name, file in plots.items()]
    return "\n".join(lines) + "\n"


def write_report(db: Database, run_ids: list[str], out_dir: Path, **options: object) -> Report:
    """Write report.md, report.json and the PNG plots into `out_dir`."""
    from lyceum.lab import plots

    report = build_report(db, run_ids, **options)  # type: ignore[arg-type]
    out_dir.mkdir(parents=True, exist_ok=True)
    results = [r for run in report.runs for r in load_results(db, run)]
    groups = group_results(results)
    by_label = {c.label: groups[c.key] for c in report.conditions}
    files = {
        "accuracy vs latency": plots.accuracy_latency_scatter(
            report.conditions, out_dir / "accuracy_latency.png"
        ),
        "latency histogram": plots.latency_histogram(by_label, out_dir / "latency_hist.png"),
        "accuracy vs cost": plots.cost_pareto(report.conditions, out_dir / "accuracy_cost.png"),
    }
    names = {k: v.name for k, v in files.items()}
    (out_dir / "report.md").write_text(render_markdown(report, names), encoding="utf-8")
    (out_dir / "report.json").write_text(
        json.dumps(report.model_dump(mode="json"), indent=2), encoding="utf-8"
    )
    return report


def parse_selector(selector: str) -> tuple[str, str | None, str | None]:
    """'RUN[:METHOD[@MODEL]]' -> (run, method, model)."""
    run, _, rest = selector.partition(":")
    method, _, model = rest.partition("@")
    return run, method or None, model or None


def compare_conditions(
    db: Database,
    a: str,
    b: str,
    *,
    dataset: str | None = None,
    n_resamples: int = 10_000,
    seed: int = 0,
) -> PairedComparison:
    """Paired comparison of two conditions named 'RUN[:METHOD[@MODEL]]', by example id."""
    picked = [_pick(db, s, dataset) for s in (a, b)]
    (a_run, a_results), (_, b_results) = picked
    metrics = a_run.config.get("metrics", ["exact_match"])
    primary = metrics[0]
    return compare_paired(
        {r.example_id: primary_score(r, primary) for r in a_results},
        {r.example_id: primary_score(r, primary) for r in b_results},
        a_name=a,
        b_name=b,
        correct_threshold=float(a_run.config.get("correct_threshold", 0.5)),
        alpha=float(a_run.config.get("alpha", 0.05)),
        n_resamples=n_resamples,
        seed=seed,
    )


def _pick(db: Database, selector: str, dataset: str | None) -> tuple[RunInfo, list[ExampleResult]]:
    run_id, method, model = parse_selector(selector)
    run = get_run(db, run_id)
    groups = group_results(load_results(db, run.id))
    matching = [
        (key, results)
        for key, results in groups.items()
        if (method is None or key[3] == method)
        and (model is None or key[2] == model)
        and (dataset is None or key[1] == dataset)
    ]
    if len(matching) != 1:
        available = ", ".join(f"{run.id[:8]}:{k[3]}@{k[2]} ({k[1]})" for k in groups)
        what = "matches no condition" if not matching else "is ambiguous"
        raise NotFoundError(
            f"{selector!r} {what}",
            hint=f"Use RUN:METHOD@MODEL (and --dataset); conditions: {available}",
        )
    return run, matching[0][1]
