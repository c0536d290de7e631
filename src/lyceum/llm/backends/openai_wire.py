"""OpenAI's chat-completions wire format: messages and requests out, completions, stream
events and errors in. Pure functions over JSON; no HTTP here (that is `openai_compat`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from lyceum.errors import (
    AuthenticationError,
    BackendTimeoutError,
    BadRequestError,
    ContextLengthError,
    ModelError,
    RateLimitedError,
    ServerError,
)
from lyceum.llm.types import (
    Completion,
    FinishReason,
    GenerateParams,
    Message,
    StreamChunk,
    ToolCall,
    Usage,
)

_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
}

_CONTEXT_MARKERS = (
    "context length",
    "context_length",
    "maximum context",
    "exceeds the available context",
    "too many tokens",
    "context window",
)


def message_to_openai(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.name and message.role != "tool":
        out["name"] = message.name
    if message.tool_calls:
        out["tool_calls"] = [
            {
                "id": tc.id,
                "type": "function",
                "function": {"name": tc.name, "arguments": json.dumps(tc.arguments)},
            }
            for tc in message.tool_calls
        ]
        if not message.content:
            out["content"] = None
    if message.role == "tool":
        out["tool_call_id"] = message.tool_call_id
    return out


_SUBSCHEMA_KEYS = ("items", "additionalProperties", "not", "if", "then", "else")
_SUBSCHEMA_LIST_KEYS = ("anyOf", "allOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAP_KEYS = ("properties", "$defs", "definitions", "patternProperties")


def satisfies_strict_mode(schema: dict[str, Any]) -> bool:
    """Whether OpenAI's strict structured output accepts `schema`'s object shapes.

    Strict mode rejects (HTTP 400) a root that is not an object and any object that does
    not set `additionalProperties: false` or leaves a property out of `required`; pydantic
    schemas break both rules unless the model forbids extras and has no defaults.
    """
    return schema.get("type") == "object" and _objects_are_closed(schema)


def _objects_are_closed(node: Any) -> bool:
    if isinstance(node, list):
        return all(_objects_are_closed(n) for n in node)
    if not isinstance(node, dict):
        return True
    if node.get("type") == "object" or "properties" in node:
        if node.get("additionalProperties") is not False:
            return False
        if set(node.get("required", ())) != set(node.get("properties", {})):
            return False
    children: list[Any] = [node[k] for k in _SUBSCHEMA_KEYS if k in node]
    children += [node[k] for k in _SUBSCHEMA_LIST_KEYS if k in node]
    children += [
        v for k in _SUBSCHEMA_MAP_KEYS if isinstance(node.get(k), dict) for v in node[k].values()
    ]
    return all(_objects_are_closed(c) for c in children)


def request_body(model: str, messages: Sequence[Message], params: GenerateParams) -> dict[str, Any]:
    """The JSON body of a chat-completions request (shared by the local backend too)."""
    body: dict[str, Any] = {
        "model": model,
        "messages": [message_to_openai(m) for m in messages],
        "max_tokens": params.max_tokens,
        "temperature": params.temperature,
    }
    if params.top_p is not None:
        body["top_p"] = params.top_p
    if params.stop:
        body["stop"] = list(params.stop)
    if params.seed is not None:
        body["seed"] = params.seed
    if params.json_schema is not None:
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {
                "name": "response",
                "schema": params.json_schema,
                "strict": satisfies_strict_mode(params.json_schema),
            },
        }
    if params.tools:
        body["tools"] = [
            {
                "type": "function",
                "function": {
                    "name": t.name,
                    "description": t.description,
                    "parameters": t.parameters,
                },
            }
            for t in params.tools
        ]
    return body


def parse_tool_calls(raw: Sequence[Any] | None) -> tuple[ToolCall, ...]:
    calls = []
    for i, tc in enumerate(raw or ()):
        fn = tc.get("function", {}) if isinstance(tc, dict) else {}
        args_text = fn.get("arguments") or "{}"
        try:
            args = json.loads(args_text) if isinstance(args_text, str) else dict(args_text)
        except json.JSONDecodeError:
            # Keep the model's broken arguments visible to the agent instead of dropping them.
            args = {"_raw": args_text}
        if not isinstance(args, dict):
            args = {"_raw": args}
        calls.append(
            ToolCall(id=tc.get("id") or f"call_{i}", name=fn.get("name", ""), arguments=args)
        )
    return tuple(calls)


def parse_completion(data: dict[str, Any], backend: str, fallback_model: str) -> Completion:
    """A chat-completions response body to a `Completion`; malformed bodies raise ServerError."""
    try:
        choice = data["choices"][0]
        message = choice.get("message") or {}
        usage = data.get("usage") or {}
        return Completion(
            text=message.get("content") or "",
            tool_calls=parse_tool_calls(message.get("tool_calls")),
            finish_reason=_FINISH.get(choice.get("finish_reason") or "stop", "stop"),
            usage=Usage(
                prompt_tokens=int(usage.get("prompt_tokens") or 0),
                completion_tokens=int(usage.get("completion_tokens") or 0),
            ),
            model=data.get("model") or fallback_model,
            backend=backend,
        )
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise ServerError(
            f"{backend} returned a malformed completion: {str(data)[:200]}", backend=backend
        ) from exc


def error_from_status(status: int, text: str, backend: str) -> ModelError:
    lowered = text.lower()
    if status in (400, 413, 422) and any(m in lowered for m in _CONTEXT_MARKERS):
        return ContextLengthError(
            f"{backend}: prompt exceeds the model's context window ({text[:200]})",
            backend=backend,
            hint="Shorten the input, or raise the server's context size (Ollama: num_ctx).",
        )
    if status in (401, 403):
        return AuthenticationError(
            f"{backend}: authentication failed ({status})",
            backend=backend,
            hint="Check the API key environment variable named in lyceum.toml.",
        )
    if status == 429:
        return RateLimitedError(f"{backend}: rate limited", backend=backend)
    if status == 408:
        return BackendTimeoutError(f"{backend}: request timed out", backend=backend)
    if status >= 500:
        return ServerError(f"{backend}: server error {status}: {text[:200]}", backend=backend)
    return BadRequestError(f"{backend}: request refused ({status}): {text[:300]}", backend=backend)


class StreamEvents:
    """Assembles a streamed answer from its `data:` events: text deltas as they come, and
    tool calls, usage and finish reason for the last chunk."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.finish: FinishReason | None = None
        self.usage: Usage | None = None
        self._tool_parts: dict[int, dict[str, Any]] = {}

    def feed(self, payload: str) -> list[StreamChunk]:
        """The chunks one event's JSON payload carries (its text deltas)."""
        try:
            event = json.loads(payload)
        except json.JSONDecodeError as exc:
            raise ServerError(
                f"{self.backend}: malformed stream event {payload[:100]!r}", backend=self.backend
            ) from exc
        if event.get("usage"):
            u = event["usage"]
            self.usage = Usage(
                prompt_tokens=int(u.get("prompt_tokens") or 0),
                completion_tokens=int(u.get("completion_tokens") or 0),
            )
        out: list[StreamChunk] = []
        for choice in event.get("choices") or ():
            delta = choice.get("delta") or {}
            for tc in delta.get("tool_calls") or ():
                part = self._tool_parts.setdefault(
                    tc.get("index", 0), {"id": "", "function": {"name": "", "arguments": ""}}
                )
                part["id"] = tc.get("id") or part["id"]
                fn = tc.get("function") or {}
                part["function"]["name"] += fn.get("name") or ""
                part["function"]["arguments"] += fn.get("arguments") or ""
            if choice.get("finish_reason"):
                self.finish = _FINISH.get(choice["finish_reason"], "stop")
            if delta.get("content"):
                out.append(StreamChunk(delta=delta["content"]))
        return out

    def last_chunk(self) -> StreamChunk:
        """Tool calls, finish reason and usage, once the events are over."""
        parts = self._tool_parts
        return StreamChunk(
            tool_calls=parse_tool_calls([parts[i] for i in sorted(parts)]),
            finish_reason=self.finish,
            usage=self.usage or Usage(),
        )
