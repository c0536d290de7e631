"""Anthropic's Messages API (optional extra `anthropic`)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from typing import Any

from lyceum.config_backends import AnthropicBackendConfig
from lyceum.errors import (
    AuthenticationError,
    BackendTimeoutError,
    BackendUnavailableError,
    BadRequestError,
    ConfigError,
    ContextLengthError,
    MissingDependencyError,
    ModelError,
    RateLimitedError,
    ServerError,
)
from lyceum.llm.model import BaseBackend
from lyceum.llm.types import (
    Completion,
    FinishReason,
    GenerateParams,
    Message,
    StreamChunk,
    ToolCall,
    Usage,
)

_STOP: dict[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
}


def to_anthropic(messages: Sequence[Message]) -> tuple[str, list[dict[str, Any]]]:
    """System text apart; tool results as user turns carrying tool_result blocks."""
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    out: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "system":
            continue
        if m.role == "tool":
            block = {"type": "tool_result", "tool_use_id": m.tool_call_id, "content": m.content}
            out.append({"role": "user", "content": [block]})
        elif m.role == "assistant" and m.tool_calls:
            content: list[dict[str, Any]] = (
                [{"type": "text", "text": m.content}] if m.content else []
            )
            content += [
                {"type": "tool_use", "id": tc.id, "name": tc.name, "input": tc.arguments}
                for tc in m.tool_calls
            ]
            out.append({"role": "assistant", "content": content})
        else:
            out.append({"role": m.role, "content": m.content})
    return system, out


class AnthropicBackend(BaseBackend):
    supports_tools = True
    supports_json_schema = False  # schema goes in the prompt; the gateway validates

    def __init__(self, name: str, config: AnthropicBackendConfig) -> None:
        self.name = name
        self.config = config
        self.model_id = config.model
        self.context_window = config.context_window
        self._client: Any = None

    def _sdk(self) -> Any:
        if self._client is None:
            try:
                import anthropic
            except ImportError as exc:
                raise MissingDependencyError(
                    "anthropic", "anthropic", "The anthropic backend"
                ) from exc
            key = os.environ.get(self.config.api_key_env)
            if not key:
                raise ConfigError(
                    f"no API key for {self.name}",
                    hint=f"Set the {self.config.api_key_env} environment variable.",
                )
            self._client = anthropic.AsyncAnthropic(
                api_key=key,
                base_url=self.config.base_url,
                max_retries=0,  # the gateway is the one retry layer
                timeout=self.config.timeout_s,
                # The SDK follows redirects by default and httpx strips only
                # `Authorization` on a cross-host redirect, not `x-api-key`: a redirecting
                # endpoint would receive the key on any host it names.
                http_client=anthropic.DefaultAsyncHttpxClient(follow_redirects=False),
            )
        return self._client

    def _kwargs(self, messages: Sequence[Message], params: GenerateParams) -> dict[str, Any]:
        system, msgs = to_anthropic(messages)
        # SDK 2.x dropped sampling arguments from `create`; the API still takes them.
        sampling: dict[str, Any] = {"temperature": params.temperature}
        if params.top_p is not None:
            sampling["top_p"] = params.top_p
        kwargs: dict[str, Any] = {
            "model": self.model_id,
            "messages": msgs,
            "max_tokens": params.max_tokens,
            "extra_body": sampling,
        }
        if system:
            kwargs["system"] = system
        if params.stop:
            kwargs["stop_sequences"] = list(params.stop)
        if params.tools:
            kwargs["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters}
                for t in params.tools
            ]
        return kwargs

    def _map_error(self, exc: Exception) -> ModelError:
        import anthropic

        # Some endpoints quote the request's credentials in their error text.
        text = str(exc)
        key = os.environ.get(self.config.api_key_env, "")
        if len(key) >= 8:
            text = text.replace(key, "*" * len(key))
        if isinstance(exc, anthropic.APITimeoutError):
            return BackendTimeoutError(f"{self.name}: timed out", backend=self.name)
        if isinstance(exc, anthropic.APIConnectionError):
            return BackendUnavailableError(f"{self.name}: cannot connect", backend=self.name)
        if isinstance(exc, anthropic.AuthenticationError | anthropic.PermissionDeniedError):
            return AuthenticationError(f"{self.name}: authentication failed", backend=self.name)
        if isinstance(exc, anthropic.RateLimitError):
            return RateLimitedError(f"{self.name}: rate limited", backend=self.name)
        if isinstance(exc, anthropic.InternalServerError):
            return ServerError(f"{self.name}: {text[:200]}", backend=self.name)
        if isinstance(exc, anthropic.BadRequestError):
            if "prompt is too long" in text or "context" in text.lower():
                return ContextLengthError(f"{self.name}: {text[:200]}", backend=self.name)
            return BadRequestError(f"{self.name}: {text[:200]}", backend=self.name)
        if isinstance(exc, anthropic.APIStatusError):
            return ServerError(f"{self.name}: {text[:200]}", backend=self.name)
        raise exc

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        import anthropic

        params = params or GenerateParams()
        try:
            resp = await self._sdk().messages.create(**self._kwargs(messages, params))
        except anthropic.AnthropicError as exc:
            raise self._map_error(exc) from exc
        text = "".join(b.text for b in resp.content if b.type == "text")
        calls = tuple(
            ToolCall(id=b.id, name=b.name, arguments=dict(b.input))
            for b in resp.content
            if b.type == "tool_use"
        )
        return Completion(
            text=text,
            tool_calls=calls,
            finish_reason=_STOP.get(resp.stop_reason or "end_turn", "stop"),
            usage=Usage(
                prompt_tokens=resp.usage.input_tokens, completion_tokens=resp.usage.output_tokens
            ),
            model=resp.model,
            backend=self.name,
        )

    async def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        import anthropic

        params = params or GenerateParams()
        try:
            async with self._sdk().messages.stream(**self._kwargs(messages, params)) as s:
                async for text in s.text_stream:
                    yield StreamChunk(delta=text)
                final = await s.get_final_message()
        except anthropic.AnthropicError as exc:
            raise self._map_error(exc) from exc
        calls = tuple(
            ToolCall(id=b.id, name=b.name, arguments=dict(b.input))
            for b in final.content
            if b.type == "tool_use"
        )
        yield StreamChunk(
            tool_calls=calls,
            finish_reason=_STOP.get(final.stop_reason or "end_turn", "stop"),
            usage=Usage(
                prompt_tokens=final.usage.input_tokens, completion_tokens=final.usage.output_tokens
            ),
        )
