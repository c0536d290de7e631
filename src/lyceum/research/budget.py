"""Budgets of a research run, and a model wrapper that meters what the run spends."""

from __future__ import annotations

import time
from collections.abc import Sequence

from lyceum.llm.model import Model
from lyceum.llm.types import Completion, GenerateParams, Message
from lyceum.llm.wrapper import ModelWrapper
from lyceum.research.progress import ProgressCallback, ProgressEvent
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Meter


class MeteredModel(ModelWrapper):
    """A `Model` that adds every completion's tokens and cost to a run's `Meter`.

    Cache hits count as calls but not as tokens or cost: they are free, and a resumed run
    replays finished calls from the cache. Streams pass through unmetered (the pipeline
    does not stream).
    """

    def __init__(self, model: Model, meter: Meter, progress: ProgressCallback) -> None:
        super().__init__(model)
        self.meter = meter
        self._progress = progress

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        completion = await self.inner.generate(messages, params)
        m = self.meter
        m.calls += 1
        if completion.cached:
            m.cached_calls += 1
        else:
            m.prompt_tokens += completion.usage.prompt_tokens
            m.completion_tokens += completion.usage.completion_tokens
            m.cost_usd += completion.cost_usd
        self._progress(ProgressEvent(kind="usage", data=m.model_dump()))
        return completion


class Clock:
    """Wall time of a run across resumes: time already spent plus this process's share."""

    def __init__(self, already_s: float = 0.0) -> None:
        self._already = already_s
        self._started = time.monotonic()

    @property
    def elapsed_s(self) -> float:
        return self._already + time.monotonic() - self._started


def exhausted(meter: Meter, clock: Clock, config: ResearchSettings) -> str | None:
    """The budget that is used up (a short name), or None while there is room."""
    if clock.elapsed_s >= config.max_time_s:
        return f"time ({config.max_time_s:.0f}s)"
    if meter.tokens >= config.max_tokens:
        return f"tokens ({config.max_tokens})"
    if config.max_cost_usd and meter.cost_usd >= config.max_cost_usd:
        return f"cost (${config.max_cost_usd:.2f})"
    return None
