"""Messages, generation parameters and completions: the vocabulary every backend speaks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["system", "user", "assistant", "tool"]
FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "error"]


class ToolCall(BaseModel):
    """A function call the model asked for; `arguments` is the decoded JSON object."""

    id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class Message(BaseModel):
    """One chat turn. `tool_call_id` ties a `tool` message to the call it answers."""

    model_config = ConfigDict(frozen=True)

    role: Role
    content: str = ""
    name: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None

    @classmethod
    def system(cls, content: str) -> Message:
        return cls(role="system", content=content)

    @classmethod
    def user(cls, content: str) -> Message:
        return cls(role="user", content=content)

    @classmethod
    def assistant(cls, content: str, tool_calls: tuple[ToolCall, ...] = ()) -> Message:
        return cls(role="assistant", content=content, tool_calls=tool_calls)

    @classmethod
    def tool(cls, content: str, tool_call_id: str, name: str | None = None) -> Message:
        return cls(role="tool", content=content, tool_call_id=tool_call_id, name=name)


class ToolSpec(BaseModel):
    """A tool offered to the model, described by a JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})


class GenerateParams(BaseModel):
    """Sampling and output controls for one call. Unset fields take the backend's default."""

    model_config = ConfigDict(extra="forbid")

    max_tokens: int = Field(default=512, ge=1, description="Upper bound on generated tokens.")
    temperature: float = Field(default=0.0, ge=0.0, le=2.0, description="0 means greedy.")
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    stop: tuple[str, ...] = Field(default=(), description="Strings that end generation.")
    seed: int | None = Field(default=None, description="Sampling seed where supported.")
    json_schema: dict[str, Any] | None = Field(
        default=None,
        description="Constrain the output to this JSON schema (grammar or guided decoding).",
    )
    tools: tuple[ToolSpec, ...] = Field(default=(), description="Tools the model may call.")
    sample_index: int = Field(
        default=0,
        ge=0,
        description="Which of N independent samples this is; part of the cache key so "
        "self-consistency's samples are not all served one cached answer.",
    )
    cache: Literal["auto", "read_write", "bypass"] = Field(
        default="auto",
        description="auto: exact cache only when deterministic (temperature 0); "
        "read_write: cache even sampled outputs; bypass: never read or write.",
    )
    semantic_cache: bool = Field(
        default=False, description="Allow a semantic-cache hit for this call (opt-in)."
    )
    timeout_s: float | None = Field(default=None, gt=0, description="Per-call deadline.")


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class Completion(BaseModel):
    """What one generation produced, and what it cost."""

    text: str
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: FinishReason = "stop"
    usage: Usage = Field(default_factory=Usage)
    model: str = ""
    backend: str = ""
    latency_s: float = 0.0
    cost_usd: float = 0.0
    cached: Literal["", "exact", "semantic"] = ""
    call_id: str | None = None


class StreamChunk(BaseModel):
    """A piece of a streamed completion; the last chunk carries finish reason and usage."""

    delta: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: FinishReason | None = None
    usage: Usage | None = None
