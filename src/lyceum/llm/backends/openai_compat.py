"""One backend for every server that speaks OpenAI's chat-completions protocol: the transport.

vLLM, Ollama's /v1, llama.cpp's server, OpenAI, OpenRouter and Together differ only in
base URL, key and a few quirks (the `kind`s of `OpenAIBackendConfig`). It talks HTTP
through httpx directly (no SDK) and never retries on its own: a failure becomes one
`ModelError` whose `retryable` flag tells the gateway, the one retry layer. The JSON it
sends and reads is `openai_wire`; how it learns the context window and counts tokens is
`openai_context`.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

from lyceum.config_backends import OpenAIBackendConfig
from lyceum.errors import (
    BackendTimeoutError,
    BackendUnavailableError,
    ContextLengthError,
    ModelError,
    ServerError,
)
from lyceum.llm.backends.openai_context import (
    MESSAGE_OVERHEAD_TOKENS,
    TokenizerDialect,
    estimated_tokens,
    probe_context_window,
    server_token_count,
)
from lyceum.llm.backends.openai_wire import (
    StreamEvents,
    error_from_status,
    message_to_openai,
    parse_completion,
    parse_tool_calls,
    request_body,
)
from lyceum.llm.model import BaseBackend
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk

# Re-exported: the local backend builds its requests with these.
__all__ = ["OpenAICompatBackend", "message_to_openai", "parse_tool_calls", "request_body"]

log = logging.getLogger(__name__)


class OpenAICompatBackend(BaseBackend):
    """Chat completions over HTTP with httpx.

    httpx is used directly rather than the `openai` SDK so one code path parses every
    server's replies, including the non-standard context metadata of Ollama and llama.cpp,
    and so fault injection in tests sees exactly what goes over the wire.
    """

    def __init__(self, name: str, config: OpenAIBackendConfig) -> None:
        self.name = name
        self.config = config
        self.model_id = config.model
        self.supports_tools = config.supports_tools
        self.supports_json_schema = config.supports_json_schema
        self.context_window = config.context_window
        self._context_probed = config.context_window is not None
        self._tokenizer: TokenizerDialect | None = None
        self._tokenizer_probed = False
        self._client: httpx.AsyncClient | None = None

    @property
    def base_url(self) -> str:
        return self.config.base_url.rstrip("/")

    def _api_key(self) -> str | None:
        return os.environ.get(self.config.api_key_env) if self.config.api_key_env else None

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        key = self._api_key()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _error(self, status: int, text: str) -> ModelError:
        """The error for a non-200 reply. Some servers quote the request's Authorization
        header back in their error text; that text ends up in the call log and in messages
        shown to users, so the key is masked before it goes anywhere."""
        key = self._api_key()
        if key:
            text = text.replace(key, "*" * len(key))
        return error_from_status(status, text, self.name)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(
                    self.config.timeout_s, connect=min(10.0, self.config.timeout_s)
                ),
                headers=self._headers(),
                limits=httpx.Limits(max_connections=max(8, self.config.max_concurrency * 2)),
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- context window -----------------------------------------------------------------

    async def probe_context_window(self) -> int | None:
        """Ask the server how long its context is (once; a configured window is kept)."""
        if self._context_probed:
            return self.context_window
        self._context_probed = True
        window = await probe_context_window(self._http(), self.base_url, self.model_id)
        if window:
            self.context_window = window
        return window

    # -- counting tokens -------------------------------------------------------------

    async def probe_tokenizer(self) -> TokenizerDialect | None:
        """Whether the server tokenizes for us: llama.cpp's server (`POST /tokenize
        {content}`) or vLLM's (`POST /tokenize {model, prompt}`). Asked once; a server
        with neither (Ollama, hosted APIs) is counted by estimate from then on."""
        if self._tokenizer_probed:
            return self._tokenizer
        self._tokenizer_probed = True
        for dialect in ("llama.cpp", "vllm"):
            if await self._server_token_count("hello world", dialect) is not None:
                self._tokenizer = dialect
                break
        return self._tokenizer

    async def _server_token_count(self, text: str, dialect: TokenizerDialect) -> int | None:
        return await server_token_count(self._http(), self.base_url, self.model_id, text, dialect)

    async def message_tokens(self, messages: Sequence[Message]) -> tuple[list[int], bool]:
        """Tokens of each message (template overhead included) and whether the server's
        tokenizer counted them (else the 3-characters-a-token estimate did)."""
        dialect = await self.probe_tokenizer()
        if dialect is not None:
            counts = await asyncio.gather(
                *(self._server_token_count(m.content, dialect) for m in messages)
            )
            if all(c is not None for c in counts):
                return [int(c or 0) + MESSAGE_OVERHEAD_TOKENS for c in counts], True
            log.debug("%s: /tokenize failed; estimating the prompt's tokens", self.name)
        return estimated_tokens(messages), False

    async def _fit_context(
        self, messages: Sequence[Message], params: GenerateParams
    ) -> list[Message]:
        """Refuse or truncate explicitly: Ollama's small default context silently drops the
        start of long prompts, which is worse than an error. The prompt plus `max_tokens`
        must fit the window."""
        msgs = list(messages)
        if not self.context_window:
            return msgs
        budget = self.context_window - params.max_tokens
        # At most one token a character: a prompt that fits even so needs no counting.
        if sum(len(m.content) + MESSAGE_OVERHEAD_TOKENS for m in msgs) <= budget:
            return msgs
        counts, exact = await self.message_tokens(msgs)
        if sum(counts) <= budget:
            return msgs
        how = "counted by the server" if exact else "estimated"
        if self.config.on_overflow == "error":
            raise ContextLengthError(
                f"{self.name}: prompt of {sum(counts)} tokens ({how}) plus max_tokens "
                f"{params.max_tokens} exceeds the context window of {self.context_window}",
                backend=self.name,
                hint="Set on_overflow = 'truncate' for this model, raise the server's context "
                "(Ollama: num_ctx), or shorten the input.",
            )
        kept = [(m, c) for m, c in zip(msgs, counts, strict=True)]
        system = [(m, c) for m, c in kept if m.role == "system"]
        rest = [(m, c) for m, c in kept if m.role != "system"]
        while len(rest) > 1 and sum(c for _, c in system + rest) > budget:
            rest.pop(0)
        log.warning(
            "%s: dropped oldest turns to fit the %d-token context window",
            self.name,
            self.context_window,
        )
        if sum(c for _, c in system + rest) > budget:
            raise ContextLengthError(
                f"{self.name}: even the last turn does not fit the context window "
                f"of {self.context_window} ({how} tokens)",
                backend=self.name,
            )
        return [m for m, _ in system + rest]

    # -- calls ------------------------------------------------------------------------------

    def _body(self, messages: Sequence[Message], params: GenerateParams) -> dict[str, Any]:
        body = request_body(self.model_id, messages, params)
        if params.json_schema is not None and not self.supports_json_schema:
            body["response_format"] = {"type": "json_object"}
        body.update(self.config.extra_body)
        return body

    def _unreachable(self, exc: Exception) -> BackendUnavailableError:
        return BackendUnavailableError(
            f"{self.name}: cannot reach {self.base_url} ({type(exc).__name__})",
            backend=self.name,
            hint="Is the server running? Check base_url in lyceum.toml.",
        )

    async def _post(self, body: dict[str, Any]) -> httpx.Response:
        try:
            return await self._http().post(f"{self.base_url}/chat/completions", json=body)
        except httpx.TimeoutException as exc:
            raise BackendTimeoutError(f"{self.name}: timed out", backend=self.name) from exc
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from exc

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        params = params or GenerateParams()
        await self.probe_context_window()
        fitted = await self._fit_context(messages, params)
        resp = await self._post(self._body(fitted, params))
        if resp.status_code != 200:
            raise self._error(resp.status_code, resp.text)
        try:
            data = resp.json()
        except ValueError as exc:
            raise ServerError(
                f"{self.name}: response is not JSON: {resp.text[:200]!r}", backend=self.name
            ) from exc
        if not isinstance(data, dict):
            raise ServerError(f"{self.name}: response is not an object", backend=self.name)
        return parse_completion(data, self.name, self.model_id)

    async def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        params = params or GenerateParams()
        await self.probe_context_window()
        body = self._body(await self._fit_context(messages, params), params)
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
        events = StreamEvents(self.name)
        try:
            async with self._http().stream(
                "POST", f"{self.base_url}/chat/completions", json=body
            ) as resp:
                if resp.status_code != 200:
                    text = (await resp.aread()).decode(errors="replace")
                    raise self._error(resp.status_code, text)
                async for line in resp.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    payload = line[5:].strip()
                    if payload == "[DONE]":
                        break
                    for chunk in events.feed(payload):
                        yield chunk
        except httpx.TimeoutException as exc:
            raise BackendTimeoutError(f"{self.name}: stream timed out", backend=self.name) from exc
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise self._unreachable(exc) from exc
        except httpx.TransportError as exc:
            raise BackendUnavailableError(
                f"{self.name}: connection lost mid-stream ({type(exc).__name__})",
                backend=self.name,
            ) from exc
        if events.finish is None:
            # A server that closes the connection mid-answer ends the event stream
            # cleanly at the HTTP level; only the missing finish reason gives it away.
            raise BackendUnavailableError(
                f"{self.name}: stream ended before the answer finished (connection dropped)",
                backend=self.name,
            )
        yield events.last_chunk()
