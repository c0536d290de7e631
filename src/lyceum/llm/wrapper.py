"""The base of models that wrap a model (metering, tracing, budgets, prompt versions).

A wrapper is itself a `Model`: it reports the inner model's name and capabilities, and
passes `generate` and `stream` through until a subclass overrides them, so a subclass
writes only what it adds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from lyceum.llm.model import Model
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk


class ModelWrapper:
    """A `Model` around `inner`; the capabilities are the inner model's at wrap time."""

    def __init__(self, inner: Model) -> None:
        self.inner = inner
        self.name: str = inner.name
        self.model_id: str = str(getattr(inner, "model_id", "") or inner.name)
        self.supports_tools: bool = inner.supports_tools
        self.supports_json_schema: bool = inner.supports_json_schema
        self.context_window: int | None = inner.context_window

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        return await self.inner.generate(messages, params)

    def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        return self.inner.stream(messages, params)
