"""The method protocol, its registry, and the traced model that accounts each example.

A method turns one example into a `MethodOutput` using a `Model`. The runner hands it a
`TracedModel` wrapping the experiment's model, which adds up the tokens, cost and model
latency of every completion the method gets back and records each call in the trace.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lyceum.config import Settings
from lyceum.errors import validation_problems
from lyceum.lab.datasets.base import Example
from lyceum.lab.outputs import MethodOutput, TraceStep
from lyceum.lab.registry import NameRegistry
from lyceum.llm.model import Model
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk, Usage
from lyceum.llm.wrapper import ModelWrapper


class MethodParams(BaseModel):
    """Base of every method's parameters: unknown keys in the experiment file are errors."""

    model_config = ConfigDict(extra="forbid")

    max_tokens: int = Field(default=512, ge=1, description="Token budget of each call.")


class Method(Protocol):
    """Answers one example with a model."""

    async def solve(self, example: Example, model: Model) -> MethodOutput: ...


Retriever = Callable[..., Any]
"""`retriever(query, collection=..., k=..., mode=..., rerank=...)`, sync or async, returning
hits (strings, or objects with a `text` attribute): `lyceum.retrieval.search`'s signature."""


@dataclass
class MethodEnv:
    """What methods may need beyond the model: where relative files live, a retriever,
    agent tools, and the workspace settings that the default retriever and the agents'
    search tools read (None: the default workspace's)."""

    base_dir: Path = field(default_factory=Path.cwd)
    retriever: Retriever | None = None
    agent_tools: Sequence[Any] | None = None
    settings: Settings | None = None


@dataclass(frozen=True)
class MethodEntry:
    name: str
    params: type[MethodParams]
    build: Callable[[Any, MethodEnv], Method]
    description: str = ""


METHODS: NameRegistry[MethodEntry] = NameRegistry("method")


def method(name: str, *, params: type[MethodParams] = MethodParams) -> Callable[[type], type]:
    """Register a method class whose constructor takes `(params, env)`."""

    def decorate(cls: type) -> type:
        doc = (cls.__doc__ or "").strip().splitlines()
        METHODS.register(name)(
            MethodEntry(name=name, params=params, build=cls, description=doc[0] if doc else "")
        )
        return cls

    return decorate


def validate_params(name: str, params: dict[str, Any]) -> MethodParams:
    """The parameters of method `name`, validated; errors name the offending parameter."""
    entry = METHODS.get(name)
    try:
        return entry.params.model_validate(params)
    except ValidationError as exc:
        problems = "; ".join(validation_problems(exc, prefix="params"))
        raise ValueError(f"method {name!r}: {problems}") from None


def build_method(name: str, params: dict[str, Any], env: MethodEnv | None = None) -> Method:
    entry = METHODS.get(name)
    return entry.build(validate_params(name, params), env or MethodEnv())


class TracedModel(ModelWrapper):
    """A `Model` that adds up what its completions cost and traces each call, for one
    example of an experiment."""

    def __init__(self, inner: Model, *, record_messages: bool = True) -> None:
        super().__init__(inner)
        self.record_messages = record_messages
        self.usage = Usage()
        self.cost_usd = 0.0
        self.model_latency_s = 0.0
        self.calls = 0
        self.trace: list[TraceStep] = []

    def _account(self, completion: Completion, messages: Sequence[Message]) -> None:
        self.calls += 1
        self.usage = self.usage + completion.usage
        self.cost_usd += completion.cost_usd
        self.model_latency_s += completion.latency_s
        detail: dict[str, Any] = {
            "model": completion.model,
            "backend": completion.backend,
            "prompt_tokens": completion.usage.prompt_tokens,
            "completion_tokens": completion.usage.completion_tokens,
            "latency_s": completion.latency_s,
            "cost_usd": completion.cost_usd,
            "cached": completion.cached,
            "call_id": completion.call_id,
        }
        if completion.tool_calls:
            detail["tool_calls"] = [tc.model_dump() for tc in completion.tool_calls]
        if self.record_messages:
            detail["messages"] = [{"role": m.role, "content": m.content} for m in messages]
        self.trace.append(TraceStep(kind="call", content=completion.text, detail=detail))

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        completion = await self.inner.generate(messages, params)
        self._account(completion, messages)
        return completion

    async def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        text: list[str] = []
        usage = Usage()
        async for chunk in self.inner.stream(messages, params):
            text.append(chunk.delta)
            if chunk.usage is not None:
                usage = chunk.usage
            yield chunk
        self._account(Completion(text="".join(text), usage=usage), messages)

    def note(self, kind: str, content: str = "", **detail: Any) -> None:
        """Add a non-call step (retrieval, vote, critique verdict) to the trace."""
        self.trace.append(TraceStep(kind=kind, content=content, detail=detail))
