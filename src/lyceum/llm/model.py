"""The `Model` protocol: the only thing features ever see of a language model."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from typing import Protocol, runtime_checkable

from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk


@runtime_checkable
class Model(Protocol):
    """Anything that turns messages into a completion.

    Backends implement it and so does the gateway that wraps them, so a feature handed
    the scripted backend in a test runs unchanged against a real model. Capabilities are
    attributes with defaults; `generate` is the one method a backend must write.
    """

    name: str
    supports_tools: bool
    supports_json_schema: bool
    context_window: int | None

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion: ...

    def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]: ...


class BaseBackend(ABC):
    """Defaults for backends: capability flags, and `stream` as one chunk from `generate`."""

    name: str = "backend"
    model_id: str = ""
    supports_tools: bool = False
    supports_json_schema: bool = False
    context_window: int | None = None
    embedded: bool = False
    """Runs in this process on the CPU (llama.cpp): the small model a fresh install ships
    with, for which features may do in code what a larger model would be asked to do."""

    @abstractmethod
    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        """Run one generation; raise a `ModelError` subclass on failure."""

    async def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        completion = await self.generate(messages, params)
        yield StreamChunk(
            delta=completion.text,
            tool_calls=completion.tool_calls,
            finish_reason=completion.finish_reason,
            usage=completion.usage,
        )

    async def aclose(self) -> None:  # noqa: B027 - optional hook, not abstract
        """Release connections or model memory; safe to call twice."""

    def count_tokens(self, messages: Sequence[Message]) -> int:
        """A rough count (4 characters a token) for backends with no tokenizer at hand."""
        return sum(len(m.content) // 4 + 4 for m in messages)
