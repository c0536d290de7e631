"""PNG plots of a report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lyceum.errors import MissingDependencyError
from lyceum.lab.results import ExampleResult
from lyceum.lab.summary import ConditionSummary, pareto_front


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise MissingDependencyError("matplotlib", "lab", "Report plots") from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def accuracy_latency_scatter(conditions: Sequence[ConditionSummary], path: Path) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for c in conditions:
        ax.scatter(c.latency_p50_s, c.accuracy * 100, s=50)
        ax.annotate(
            c.label,
            (c.latency_p50_s, c.accuracy * 100),
            fontsize=8,
            xytext=(4, 4),
            textcoords="offset points",
        )
    ax.set_xlabel("median latency per example (s)")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(-3, 103)
    ax.set_title("Accuracy vs latency")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def latency_histogram(
    results_by_label: Mapping[str, Sequence[ExampleResult]], path: Path, bins: int = 30
) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    import numpy as np

    everything = [r.latency_s for results in results_by_label.values() for r in results]
    edges = np.histogram_bin_edges(everything or [0.0], bins=bins)  # shared, so bars compare
    for label, results in results_by_label.items():
        ax.hist([r.latency_s for r in results], bins=edges, alpha=0.5, label=label)
    ax.set_xlabel("latency per example (s)")
    ax.set_ylabel("examples")
    ax.set_title("Latency distribution")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def cost_pareto(conditions: Sequence[ConditionSummary], path: Path) -> Path:
    """Accuracy vs cost per example, with the Pareto front drawn. When every call was free
    (local models) tokens per example stand in for cost."""
    plt = _pyplot()
    use_cost = any(c.cost_per_example_usd > 0 for c in conditions)
    xs = [c.cost_per_example_usd if use_cost else c.tokens_per_example for c in conditions]
    points = [(x, c.accuracy) for x, c in zip(xs, conditions, strict=True)]
    front = pareto_front(points)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for (x, acc), c in zip(points, conditions, strict=True):
        ax.scatter(x, acc * 100, s=50, color="tab:blue")
        ax.annotate(c.label, (x, acc * 100), fontsize=8, xytext=(4, 4), textcoords="offset points")
    ax.plot(
        [points[i][0] for i in front],
        [points[i][1] * 100 for i in front],
        color="tab:red",
        linestyle="--",
        marker="o",
        label="Pareto front",
    )
    ax.set_xlabel("cost per example (USD)" if use_cost else "tokens per example")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(-3, 103)
    ax.set_title("Accuracy vs cost")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
