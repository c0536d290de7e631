"""One backend for every server that speaks OpenAI's chat-completions protocol.

vLLM, Ollama's /v1, llama.cpp's server, OpenAI, OpenRouter and Together differ only in
base URL, key and a few quirks; the thin subclasses at the bottom set those defaults.
It talks HTTP through httpx directly (no SDK) and never retries on its own: a failure
becomes one `ModelError` whose `retryable` flag tells the gateway, the one retry layer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal

import httpx

from lyceum.config_backends import OpenAIBackendConfig
from lyceum.errors import (
    AuthenticationError,
    BackendTimeoutError,
    BackendUnavailableError,
    BadRequestError,
    ContextLengthError,
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

log = logging.getLogger(__name__)

_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
}

# Without the server's tokenizer, a prompt is counted at 3 characters a token rather than
# the usual 4: code, numbers and non-English text take more tokens than English prose, and
# an undercount here is what lets Ollama truncate silently. Each message also pays for the
# chat template's role markers (Qwen's `<|im_start|>role\n ... <|im_end|>\n` is 5 tokens).
ESTIMATE_CHARS_PER_TOKEN = 3
MESSAGE_OVERHEAD_TOKENS = 8

TokenizerDialect = Literal["llama.cpp", "vllm"]

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
        """Ask the server how long its context is; servers disagree on where they say it."""
        if self._context_probed:
            return self.context_window
        self._context_probed = True
        root = self._root
        http = self._http()
        probes = (
            ("GET", f"{self.base_url}/models", None),
            ("GET", f"{root}/props", None),
            ("POST", f"{root}/api/show", {"model": self.model_id}),
        )
        for method, url, body in probes:
            try:
                resp = await http.request(method, url, json=body, timeout=5.0)
            except httpx.HTTPError:
                continue
            if resp.status_code != 200:
                continue
            try:
                window = _context_from_metadata(resp.json(), self.model_id)
            except ValueError:
                continue
            if window:
                self.context_window = window
                return window
        return None

    # -- counting tokens -------------------------------------------------------------

    @property
    def _root(self) -> str:
        return self.base_url.removesuffix("/v1")

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
        body: dict[str, Any] = (
            {"content": text}
            if dialect == "llama.cpp"
            else {"model": self.model_id, "prompt": text}
        )
        try:
            resp = await self._http().post(f"{self._root}/tokenize", json=body, timeout=10.0)
            data = resp.json() if resp.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        if isinstance(data.get("count"), int):
            return int(data["count"])
        tokens = data.get("tokens")
        return len(tokens) if isinstance(tokens, list) else None

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
        return [
            math.ceil(len(m.content) / ESTIMATE_CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS
            for m in messages
        ], False

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
        tool_parts: dict[int, dict[str, Any]] = {}
        finish: FinishReason | None = None
        usage: Usage | None = None
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
                    try:
                        event = json.loads(payload)
                    except json.JSONDecodeError as exc:
                        raise ServerError(
                            f"{self.name}: malformed stream event {payload[:100]!r}",
                            backend=self.name,
                        ) from exc
                    if event.get("usage"):
                        u = event["usage"]
                        usage = Usage(
                            prompt_tokens=int(u.get("prompt_tokens") or 0),
                            completion_tokens=int(u.get("completion_tokens") or 0),
                        )
                    for choice in event.get("choices") or ():
                        delta = choice.get("delta") or {}
                        for tc in delta.get("tool_calls") or ():
                            part = tool_parts.setdefault(
                                tc.get("index", 0),
                                {"id": "", "function": {"name": "", "arguments": ""}},
                            )
                            part["id"] = tc.get("id") or part["id"]
                            fn = tc.get("function") or {}
                            part["function"]["name"] += fn.get("name") or ""
                            part["function"]["arguments"] += fn.get("arguments") or ""
                        if choice.get("finish_reason"):
                            finish = _FINISH.get(choice["finish_reason"], "stop")
                        if delta.get("content"):
                            yield StreamChunk(delta=delta["content"])
        except httpx.TimeoutException as exc:
            raise BackendTimeoutError(f"{self.name}: stream timed out", backend=self.name) from exc
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise self._unreachable(exc) from exc
        except httpx.TransportError as exc:
            raise BackendUnavailableError(
                f"{self.name}: connection lost mid-stream ({type(exc).__name__})",
                backend=self.name,
            ) from exc
        if finish is None:
            # A server that closes the connection mid-answer ends the event stream
            # cleanly at the HTTP level; only the missing finish reason gives it away.
            raise BackendUnavailableError(
                f"{self.name}: stream ended before the answer finished (connection dropped)",
                backend=self.name,
            )
        yield StreamChunk(
            tool_calls=parse_tool_calls([tool_parts[i] for i in sorted(tool_parts)]),
            finish_reason=finish,
            usage=usage or Usage(),
        )


def _context_from_metadata(data: Any, model: str) -> int | None:
    """Find a context length in /v1/models (vLLM: max_model_len), /props (llama.cpp:
    default_generation_settings.n_ctx) or /api/show (Ollama: model_info.*.context_length
    and an explicit num_ctx parameter, which is what actually bounds the prompt)."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("data"), list):
        for entry in data["data"]:
            if (isinstance(entry, dict) and entry.get("id") in (model, None)) or len(
                data["data"]
            ) == 1:
                for key in ("max_model_len", "context_length", "context_window", "n_ctx"):
                    if isinstance(entry, dict) and isinstance(entry.get(key), int):
                        return int(entry[key])
                meta = entry.get("meta") if isinstance(entry, dict) else None
                if isinstance(meta, dict) and isinstance(meta.get("n_ctx_train"), int):
                    return None  # training context, not the server's: wait for /props
        return None
    settings = data.get("default_generation_settings")
    if isinstance(settings, dict) and isinstance(settings.get("n_ctx"), int):
        return int(settings["n_ctx"])
    if isinstance(data.get("n_ctx"), int):
        return int(data["n_ctx"])
    params = data.get("parameters")
    if isinstance(params, str):
        for line in params.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "num_ctx" and parts[1].isdigit():
                return int(parts[1])
    info = data.get("model_info")
    if isinstance(info, dict):
        lengths = [
            v for k, v in info.items() if k.endswith(".context_length") and isinstance(v, int)
        ]
        if lengths:
            # Ollama serves with num_ctx (default 2048-4096), not the trained length,
            # unless num_ctx was set above: assume its default to be safe.
            return min(lengths[0], 2048)
    return None
