"""A Model that adds a system-prompt addendum to every call: how a prompt version runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from lyceum.llm.model import Model
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk


def with_addendum(messages: Sequence[Message], addendum: str) -> list[Message]:
    """The messages with `addendum` appended to the system message (or one added first)."""
    if not addendum.strip():
        return list(messages)
    out = list(messages)
    if out and out[0].role == "system":
        out[0] = Message.system(f"{out[0].content.rstrip()}\n\n{addendum}")
    else:
        out.insert(0, Message.system(addendum))
    return out


class PromptedModel:
    """Wraps a Model; every call carries the version's addendum in its system prompt."""

    def __init__(self, inner: Model, addendum: str, *, label: str = "") -> None:
        self.inner = inner
        self.addendum = addendum
        self.name = f"{inner.name}+{label}" if label else inner.name
        self.supports_tools = inner.supports_tools
        self.supports_json_schema = inner.supports_json_schema
        self.context_window = inner.context_window

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        return await self.inner.generate(with_addendum(messages, self.addendum), params)

    def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        return self.inner.stream(with_addendum(messages, self.addendum), params)
