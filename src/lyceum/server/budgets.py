"""Server-side ceilings on what one request may spend (`[server]` research_max_*, lab_max_*).

Budgets a request asks for above a ceiling are refused at submission (422); budgets it
leaves unset take the configured default, bounded by the ceiling. Over the API no budget
is unlimited: a `[research] max_cost_usd = 0` (no limit, for the CLI) becomes the ceiling.
Job handlers apply the same bounds again, so a job queued before a ceiling was lowered
runs under the new one. Lab runs have no budget of their own; a `BudgetedModel` counts
their tokens and cost and stops the run at the ceiling.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from lyceum.errors import ConfigError, LyceumError
from lyceum.llm.model import Model
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk
from lyceum.llm.wrapper import ModelWrapper
from lyceum.server.errors import ApiError
from lyceum.server.settings import ServerSettings

# Research budget -> the [server] field bounding it.
RESEARCH_CEILINGS = {
    "max_time_s": "research_max_time_s",
    "max_tokens": "research_max_tokens",
    "max_cost_usd": "research_max_cost_usd",
}


def research_budgets(
    requested: dict[str, Any], defaults: dict[str, Any], config: ServerSettings, *, strict: bool
) -> dict[str, Any]:
    """`requested` with every ceilinged budget set: the request's value, else the default,
    never above the ceiling. `strict`: a requested value over the ceiling is an error
    (at submission) rather than lowered (in the handler)."""
    out = dict(requested)
    for budget, field in RESEARCH_CEILINGS.items():
        ceiling = getattr(config, field)
        asked = requested.get(budget)
        if asked is not None and asked > ceiling and strict:
            raise ApiError(
                422,
                f"budgets.{budget}: at most {ceiling:g} on this server, got {asked:g}",
                param=f"budgets.{budget}",
                hint=f"Ask for less, or raise [server] {field} in lyceum.toml.",
            )
        value = asked if asked is not None else defaults.get(budget)
        # 0 or unset means "no limit" to the CLI; over the API it means the ceiling.
        out[budget] = ceiling if not value or value > ceiling else value
    return out


class LabBudgetExceededError(LyceumError):
    """A lab job spent its server-side token or cost ceiling."""


@dataclass
class Spend:
    """Tokens and cost of one lab job so far, against the ceilings."""

    max_tokens: int
    max_cost_usd: float
    tokens: int = 0
    cost_usd: float = 0.0

    def check(self) -> None:
        if self.tokens >= self.max_tokens or self.cost_usd >= self.max_cost_usd:
            raise LabBudgetExceededError(
                f"lab job stopped at its ceiling: {self.tokens:,} tokens "
                f"(at most {self.max_tokens:,}), ${self.cost_usd:.4f} "
                f"(at most ${self.max_cost_usd:g})",
                hint="Run fewer examples, or raise [server] lab_max_tokens / lab_max_cost_usd; "
                "a resumed run keeps the results it has.",
            )

    def add(self, tokens: int, cost_usd: float) -> None:
        self.tokens += tokens
        self.cost_usd += cost_usd


class BudgetedModel(ModelWrapper):
    """A `Model` that refuses calls once `spend` is used up, and counts every call."""

    def __init__(self, model: Model, spend: Spend) -> None:
        super().__init__(model)
        self._spend = spend

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        self._spend.check()
        completion: Completion = await self.inner.generate(messages, params)
        self._spend.add(completion.usage.total_tokens, completion.cost_usd)
        return completion

    async def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        self._spend.check()
        async for chunk in self.inner.stream(messages, params):
            if chunk.usage is not None:
                self._spend.add(chunk.usage.total_tokens, 0.0)
            yield chunk


def check_lab_concurrency(concurrency: int, config: ServerSettings) -> None:
    if concurrency > config.lab_max_concurrency:
        raise ConfigError(
            f"concurrency: at most {config.lab_max_concurrency} on this server, got {concurrency}",
            hint="Lower it, or raise [server] lab_max_concurrency in lyceum.toml.",
        )
