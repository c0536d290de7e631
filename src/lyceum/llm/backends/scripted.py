"""The scripted backend: a deterministic fake that replays outputs, for tests and demos.

Selected by name (`kind = "scripted"`) like any backend, so every unit test of agents,
lab, server and CLI uses this one fake rather than a fake of its own.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

from lyceum.errors import ModelError
from lyceum.llm.model import BaseBackend
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk, ToolCall, Usage

Responder = Callable[[Sequence[Message], GenerateParams], "str | Completion"]
ScriptItem = str | Completion | BaseException | Responder


@dataclass
class ScriptedCall:
    """What the scripted backend was asked, for tests to inspect."""

    messages: list[Message]
    params: GenerateParams
    reply: Completion | None = None
    error: BaseException | None = None


@dataclass
class _Script:
    items: deque[ScriptItem] = field(default_factory=deque)


class ScriptedBackend(BaseBackend):
    """Replays queued items in order: a string or `Completion` is returned, an exception
    is raised, a callable is called with (messages, params) and its result returned.

    When the queue is empty, `default_output` is returned (or, if None, a `ModelError`).
    `delay_s` passes before each reply (like load and prefill), `chunk_delay_s` between
    streamed words (like decoding).
    """

    def __init__(
        self,
        outputs: Sequence[ScriptItem] = (),
        *,
        name: str = "scripted",
        model_id: str = "scripted",
        default_output: str | None = "ok",
        supports_tools: bool = True,
        supports_json_schema: bool = True,
        context_window: int | None = 32_768,
        delay_s: float = 0.0,
        chunk_delay_s: float = 0.0,
    ) -> None:
        self.name = name
        self.model_id = model_id
        self.default_output = default_output
        self.supports_tools = supports_tools
        self.supports_json_schema = supports_json_schema
        self.context_window = context_window
        self.delay_s = delay_s
        self.chunk_delay_s = chunk_delay_s
        self._script = _Script(deque(outputs))
        self.history: list[ScriptedCall] = []

    def enqueue(self, *items: ScriptItem) -> ScriptedBackend:
        self._script.items.extend(items)
        return self

    @property
    def pending(self) -> int:
        return len(self._script.items)

    def _next_item(self) -> ScriptItem:
        if self._script.items:
            return self._script.items.popleft()
        if self.default_output is None:
            return ModelError("scripted backend ran out of outputs", backend=self.name)
        return self.default_output

    def _to_completion(self, value: str | Completion, messages: Sequence[Message]) -> Completion:
        completion = value if isinstance(value, Completion) else Completion(text=value)
        usage = completion.usage
        if usage.total_tokens == 0:
            usage = Usage(
                prompt_tokens=self.count_tokens(messages),
                completion_tokens=max(1, len(completion.text.split())),
            )
        finish = "tool_calls" if completion.tool_calls else completion.finish_reason
        return completion.model_copy(
            update={
                "usage": usage,
                "model": completion.model or self.model_id,
                "backend": self.name,
                "finish_reason": finish,
            }
        )

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        params = params or GenerateParams()
        call = ScriptedCall(messages=list(messages), params=params)
        self.history.append(call)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        item = self._next_item()
        if callable(item) and not isinstance(item, BaseException):
            item = item(messages, params)
        if isinstance(item, BaseException):
            call.error = item
            raise item
        call.reply = self._to_completion(item, messages)
        return call.reply

    async def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        completion = await self.generate(messages, params)
        words = completion.text.split(" ")
        for i, word in enumerate(words):
            if i and self.chunk_delay_s:
                await asyncio.sleep(self.chunk_delay_s)
            yield StreamChunk(delta=word if i == 0 else " " + word)
        yield StreamChunk(
            tool_calls=completion.tool_calls,
            finish_reason=completion.finish_reason,
            usage=completion.usage,
        )


def tool_call(name: str, arguments: dict[str, object], call_id: str = "call_1") -> Completion:
    """A scripted reply that asks for a tool call."""
    return Completion(text="", tool_calls=(ToolCall(id=call_id, name=name, arguments=arguments),))


def json_reply(payload: object) -> str:
    """A scripted reply carrying JSON, for structured-output callers."""
    return json.dumps(payload)
