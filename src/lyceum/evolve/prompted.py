"""A Model that adds a system-prompt addendum to every call: how a prompt version runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from lyceum.llm.model import Model
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk
from lyceum.llm.wrapper import ModelWrapper


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


class PromptedModel(ModelWrapper):
    """Wraps a Model; every call carries the version's addendum in its system prompt.

    With a `label` the name is `inner+label`, and so is `model_id` (the id a gateway caches
    and records a backend's calls under), so a version is never taken for its base model."""

    def __init__(self, inner: Model, addendum: str, *, label: str = "") -> None:
        super().__init__(inner)
        self.addendum = addendum
        self.name = f"{inner.name}+{label}" if label else inner.name
        self.model_id = self.name

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        return await self.inner.generate(with_addendum(messages, self.addendum), params)

    def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        return self.inner.stream(with_addendum(messages, self.addendum), params)
