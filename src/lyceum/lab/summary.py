"""Per-condition summaries of stored results: metric means, accuracy, latency percentiles,
throughput, tokens and cost. A condition is one (run, dataset, model, method)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from pydantic import BaseModel

from lyceum.lab.results import ExampleResult


class ConditionSummary(BaseModel):
    run_id: str
    dataset: str
    model: str
    method: str
    label: str = ""
    n: int
    errors: int
    metrics: dict[str, float | None]
    """Mean of each metric over the examples where it applies."""
    accuracy: float
    """Share of examples whose primary metric reaches the correct threshold."""
    latency_mean_s: float
    latency_p50_s: float
    latency_p95_s: float
    latency_p99_s: float
    throughput_per_s: float
    """Examples finished per second this condition had an example in flight (the union of
    its examples' intervals), so methods interleaved in one run are each measured on their
    own time, not on the whole run's."""
    calls: int
    cached_calls: int = 0
    """Calls served from the gateway's cache: their latency is not the model's."""
    prompt_tokens: int
    completion_tokens: int
    tokens_per_example: float
    cost_usd: float
    cost_per_example_usd: float

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.run_id, self.dataset, self.model, self.method)


def percentiles(values: Sequence[float], qs: Sequence[float] = (50, 95, 99)) -> list[float]:
    """Percentiles by linear interpolation (numpy's default); zeros for no values."""
    if not values:
        return [0.0 for _ in qs]
    return [float(v) for v in np.percentile(np.asarray(values, float), list(qs))]


def busy_seconds(intervals: Sequence[tuple[datetime, datetime]]) -> float:
    """Length of the union of time intervals: the time at least one of them was open."""
    total, end = 0.0, None
    for start, finish in sorted(intervals):
        if end is None or start > end:
            total += (finish - start).total_seconds()
            end = finish
        elif finish > end:
            total += (finish - end).total_seconds()
            end = finish
    return total


def cached_calls(trace: Sequence[dict[str, Any]]) -> int:
    """Model calls of a stored trace that the gateway served from its cache."""
    return sum(
        1 for step in trace if step.get("kind") == "call" and step.get("detail", {}).get("cached")
    )


def group_results(
    results: Sequence[ExampleResult],
) -> dict[tuple[str, str, str, str], list[ExampleResult]]:
    groups: dict[tuple[str, str, str, str], list[ExampleResult]] = defaultdict(list)
    for r in results:
        groups[(r.run_id, r.dataset, r.model, r.method)].append(r)
    return dict(groups)


def primary_score(result: ExampleResult, metric: str) -> float:
    """The primary metric of a result; missing or not-applicable counts as 0."""
    value = result.scores.get(metric)
    return float(value) if value is not None else 0.0


def summarize(
    results: Sequence[ExampleResult],
    metrics: Sequence[str],
    *,
    primary: str | None = None,
    correct_threshold: float = 0.5,
) -> ConditionSummary:
    """Summary of one condition's results (all from the same run, dataset, model, method)."""
    if not results:
        raise ValueError("cannot summarize an empty condition")
    first = results[0]
    primary = primary or metrics[0]
    means: dict[str, float | None] = {}
    for name in metrics:
        values = [v for r in results if (v := r.scores.get(name)) is not None]
        means[name] = float(np.mean(values)) if values else None
    latencies = [r.latency_s for r in results]
    p50, p95, p99 = percentiles(latencies)
    window = busy_seconds([(r.started_at, r.finished_at) for r in results])
    n = len(results)
    prompt_tokens = sum(r.prompt_tokens for r in results)
    completion_tokens = sum(r.completion_tokens for r in results)
    cost = sum(r.cost_usd for r in results)
    return ConditionSummary(
        run_id=first.run_id,
        dataset=first.dataset,
        model=first.model,
        method=first.method,
        n=n,
        errors=sum(1 for r in results if r.status == "error"),
        metrics=means,
        accuracy=sum(1 for r in results if primary_score(r, primary) >= correct_threshold) / n,
        latency_mean_s=float(np.mean(latencies)),
        latency_p50_s=p50,
        latency_p95_s=p95,
        latency_p99_s=p99,
        throughput_per_s=n / window if window > 0 else 0.0,
        calls=sum(r.calls for r in results),
        cached_calls=sum(cached_calls(r.trace) for r in results),
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        tokens_per_example=(prompt_tokens + completion_tokens) / n,
        cost_usd=cost,
        cost_per_example_usd=cost / n,
    )


def pareto_front(points: Sequence[tuple[float, float]]) -> list[int]:
    """Indices of the (cost, accuracy) points no other point beats: cheaper-or-equal and
    at-least-as-accurate with one strictly better. Sorted by cost."""
    front = []
    for i, (cost, acc) in enumerate(points):
        dominated = any(
            (c <= cost and a >= acc) and (c < cost or a > acc)
            for j, (c, a) in enumerate(points)
            if j != i
        )
        if not dominated:
            front.append(i)
    return sorted(front, key=lambda i: (points[i][0], -points[i][1]))
