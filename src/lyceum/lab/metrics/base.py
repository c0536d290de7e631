"""The per-example metric protocol and its registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from lyceum.lab.datasets.base import Example
from lyceum.lab.outputs import MethodOutput
from lyceum.lab.registry import NameRegistry


@runtime_checkable
class SupportScorer(Protocol):
    """Judges whether `passage` supports `claim`, like `lyceum.claimcheck.faithfulness`'s
    scorer: sync or async, returning a probability or a verdict with
    `probabilities.supported`."""

    def score(self, claim: str, passage: str) -> Any: ...


@dataclass(frozen=True)
class ScoringInput:
    """Everything a metric may look at for one example. `support` is the faithfulness
    scorer's probability that the evidence supports the prediction, computed beforehand
    (it may need a model), or None when not scored."""

    example: Example
    output: MethodOutput
    support: float | None = None

    @property
    def prediction(self) -> str:
        return self.output.prediction


class Metric(Protocol):
    """Scores one example; None means "not applicable" (e.g. agent metrics on a non-agent)."""

    def __call__(self, item: ScoringInput) -> float | None: ...


@dataclass(frozen=True)
class MetricEntry:
    name: str
    fn: Metric
    binary: bool
    needs_faithfulness: bool = False
    fraction: bool = True
    """Scores lie in 0-1 (shown as percentages); False for counts such as iterations."""


METRICS: NameRegistry[MetricEntry] = NameRegistry("metric")


def metric(
    name: str, *, binary: bool = False, needs_faithfulness: bool = False, fraction: bool = True
) -> Callable[[Metric], Metric]:
    """Register a per-example metric. `binary` metrics score 0 or 1 (accuracy-like)."""

    def decorate(fn: Metric) -> Metric:
        METRICS.register(name)(
            MetricEntry(
                name=name,
                fn=fn,
                binary=binary,
                needs_faithfulness=needs_faithfulness,
                fraction=fraction,
            )
        )
        return fn

    return decorate


def score_example(names: list[str], item: ScoringInput) -> dict[str, float | None]:
    return {name: METRICS.get(name).fn(item) for name in names}
