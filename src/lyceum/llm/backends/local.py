"""The embedded backend: a GGUF model run in this process by llama.cpp (`xllamacpp`).

`xllamacpp.Server` is llama.cpp's own server, driven from Python: requests go in as
OpenAI chat-completion dicts and come back as dicts or, streamed, one callback per
chunk on a C++ thread. Every call here is streamed internally, so an abandoned or
timed-out call stops the model at the next token instead of running to the end.

The server's settings (speed knobs, and the lock-down of the HTTP listener it always
opens) live in `local_server`; the thread count in `local_threads`; the neutralising of
control tokens in untrusted text in `local_special`. Lyceum uses the listener itself for
exact token counting and for asking the tokenizer which strings are control tokens.
llama.cpp's logs are silenced (`verbosity = -1`); set `LYCEUM_LLAMA_LOG=1` to see them.

One model is loaded per process per (file, n_ctx) and shared by every backend
instance that asks for it, with at most `n_parallel` calls decoding at once. When
`n_threads` is unset the thread count follows the machine's load: between calls, when
none is in flight, the model is reloaded (about a second) if other processes have
started or stopped using the cores (see `local_threads`). `n_ctx` is the ceiling of the
context window; the window allocated grows towards it as calls need (`local_context`).

Greedy decoding is not a function of the prompt alone: llama.cpp's logits change with the
thread count and with the part of the prompt reused from the KV cache, enough to change
the text (the 0.5B planner wrote two sub-questions on 2 threads and three on 1, and two
different plans cold and after another prompt). `reproducible` fixes both — threads at
`n_threads` or every core, no prefix reuse — so a run gives the same text again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lyceum.errors import (
    BadRequestError,
    ContextLengthError,
    MissingDependencyError,
    ModelError,
)
from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.llm.backends import local_context, local_threads
from lyceum.llm.backends.local_server import server_params, without_server_env
from lyceum.llm.backends.local_special import SpecialTokenGuard
from lyceum.llm.backends.local_stats import STATS, LocalStats
from lyceum.llm.backends.openai_compat import message_to_openai, parse_tool_calls, request_body
from lyceum.llm.model import BaseBackend
from lyceum.llm.types import (
    Completion,
    FinishReason,
    GenerateParams,
    Message,
    StreamChunk,
    ToolCall,
    ToolSpec,
    Usage,
)
from lyceum.llm.weights import CATALOGUE, resolve_model

_FINISH_REASONS: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "content_filter": "content_filter",
}


def _import_xllamacpp() -> Any:
    try:
        import xllamacpp
    except ImportError as exc:
        raise MissingDependencyError("xllamacpp", "local", "The embedded local model") from exc
    return xllamacpp


# --- the shared, loaded model -------------------------------------------------------


@dataclass
class _LoadedModel:
    """One llama.cpp server in this process, and the means to use it safely."""

    server: Any
    api_key: str
    n_ctx: int  # the ceiling; `window` is what is allocated now
    executor: ThreadPoolExecutor
    path: Path
    config: LocalBackendConfig
    threads: int
    window: int
    adapters: tuple[str, ...] = ()
    refs: int = 0
    in_flight: int = 0
    lock: threading.Condition = field(default_factory=threading.Condition)
    watch: local_threads.LoadWatch | None = None
    guard: SpecialTokenGuard | None = None

    @property
    def address(self) -> str:
        return str(self.server.listening_address)

    def begin_call(self, needed: int = 0) -> Any:
        """Count a call needing a `needed`-token window in. When none other is in flight,
        first follow a change in load; a call that needs a larger window waits until the
        calls in flight are done and reloads the model with one."""
        with self.lock:
            window = local_context.window_for(needed, self.n_ctx)
            while window > self.window and self.in_flight > 0:
                self.lock.wait()
            threads = self.threads
            if self.in_flight == 0 and self.watch is not None:
                threads = self.watch.check() or self.threads
            if threads != self.threads or window > self.window:
                self._reload(threads, max(window, self.window))
            self.in_flight += 1
            return self.server

    def end_call(self) -> None:
        with self.lock:
            self.in_flight -= 1
            self.lock.notify_all()

    def _reload(self, threads: int, window: int) -> None:
        xllamacpp = _import_xllamacpp()
        self.server = None  # free the old weights and KV cache before loading again
        self.server = _start_server(
            xllamacpp, self.path, self.config, self.api_key, threads, self.adapters, window
        )
        self.threads = threads
        self.window = window
        STATS.reloads += 1


@dataclass
class _Registry:
    lock: threading.Lock = field(default_factory=threading.Lock)
    models: dict[tuple[str, int, tuple[str, ...], tuple[str, ...]], _LoadedModel] = field(
        default_factory=dict
    )


_REGISTRY = _Registry()


def default_threads() -> int:
    """Threads when `n_threads` is unset: every core other processes are not using now.

    llama.cpp's threads wait for each other at every layer, so one preempted thread
    stalls them all: with a busy-loop per core, 2 threads decoded Qwen2.5-0.5B 10x slower
    than 1, while on a quiet machine 2 threads are 1.7x faster (benchmarks/local_model.py).
    """
    return local_threads.threads_now()


def fixed_threads(config: LocalBackendConfig) -> int | None:
    """The thread count this config pins, or None when it follows the load."""
    if config.n_threads:
        return config.n_threads
    return local_threads.cores() if config.reproducible else None


def _server_params(
    xllamacpp: Any,
    path: Path,
    config: LocalBackendConfig,
    api_key: str,
    n_threads: int | None = None,
    adapters: Sequence[str] = (),
) -> Any:
    threads = n_threads or fixed_threads(config) or default_threads()
    return server_params(xllamacpp, path, config, api_key, threads, adapters)


def _start_server(
    xllamacpp: Any,
    path: Path,
    config: LocalBackendConfig,
    api_key: str,
    threads: int,
    adapters: Sequence[str] = (),
    window: int | None = None,
) -> Any:
    """A llama.cpp server with a `window`-token context (default: the configured n_ctx)."""
    if window is not None and window != config.n_ctx:
        config = config.model_copy(update={"n_ctx": window})
    try:
        with without_server_env():
            return xllamacpp.Server(
                _server_params(xllamacpp, path, config, api_key, threads, adapters)
            )
    except (RuntimeError, ValueError) as exc:
        raise ModelError(
            f"llama.cpp could not load {path}: {exc}",
            backend="local",
            hint="Check the file is a complete GGUF model and that n_ctx fits in "
            "memory; set LYCEUM_LLAMA_LOG=1 to see llama.cpp's log.",
        ) from exc


def _acquire(path: Path, config: LocalBackendConfig, adapters: Sequence[str] = ()) -> _LoadedModel:
    """Load (or reuse) the model for (path, n_ctx, adapters, speculation, pinned threads);
    blocks while loading."""
    pinned = fixed_threads(config)
    key = (str(path.resolve()), config.n_ctx, tuple(adapters), tuple(config.speculation), pinned)
    with _REGISTRY.lock:
        loaded = _REGISTRY.models.get(key)
        if loaded is None:
            xllamacpp = _import_xllamacpp()
            api_key = secrets.token_urlsafe(32)
            threads = pinned or default_threads()
            window = local_context.window_for(0, config.n_ctx)
            server = _start_server(xllamacpp, path, config, api_key, threads, adapters, window)
            loaded = _LoadedModel(
                server=server,
                api_key=api_key,
                n_ctx=config.n_ctx,
                executor=ThreadPoolExecutor(
                    max_workers=config.n_parallel, thread_name_prefix="lyceum-local"
                ),
                path=path,
                config=config,
                threads=threads,
                window=window,
                adapters=tuple(adapters),
                watch=None if pinned else local_threads.LoadWatch(),
            )
            loaded.guard = SpecialTokenGuard(lambda text, m=loaded: _is_special(m, text))
            _REGISTRY.models[key] = loaded
        loaded.refs += 1
        return loaded


def _tokenize(loaded: _LoadedModel, text: str, parse_special: bool) -> list[Any]:
    import httpx

    response = httpx.post(
        f"{loaded.address}/tokenize",
        json={"content": text, "add_special": False, "parse_special": parse_special},
        headers={"Authorization": f"Bearer {loaded.api_key}"},
        timeout=30.0,
        trust_env=False,
    )
    response.raise_for_status()
    return list(response.json()["tokens"])


def _is_special(loaded: _LoadedModel, text: str) -> bool:
    """Whether the model's tokenizer reads a control token in `text`.

    A failure raises: the call is refused rather than sent with the text unchecked."""
    import httpx

    try:
        return _tokenize(loaded, text, True) != _tokenize(loaded, text, False)
    except (httpx.HTTPError, KeyError, TypeError, ValueError) as exc:
        raise ModelError(
            f"could not ask llama.cpp's tokenizer about {text!r}: {exc}", backend="local"
        ) from exc


def _release(loaded: _LoadedModel) -> None:
    """Drop one reference; the last one frees the model (blocks until its loop exits)."""
    with _REGISTRY.lock:
        loaded.refs -= 1
        if loaded.refs > 0:
            return
        for key, value in list(_REGISTRY.models.items()):
            if value is loaded:
                del _REGISTRY.models[key]
    loaded.executor.shutdown(wait=True)
    loaded.server = None


def local_stats() -> LocalStats:
    """Totals over every embedded-model call of this process: prompt tokens evaluated
    and reused from the KV cache, decode speed, speculative drafts, reloads."""
    return STATS.model_copy()


def loaded_model_count() -> int:
    """How many models this process holds in memory (for tests and diagnostics)."""
    with _REGISTRY.lock:
        return len(_REGISTRY.models)


# --- request and response translation ------------------------------------------------


def build_request(
    messages: Sequence[Message], params: GenerateParams, *, reuse_prefix: bool = True
) -> dict[str, Any]:
    """The OpenAI-style request llama.cpp's server receives for these messages and params.

    The body is the one every OpenAI-compatible backend sends; llama.cpp ignores `model`
    (it serves one). It is always streamed, so that a call can be stopped mid-way.
    `reuse_prefix=False` evaluates the whole prompt instead of reusing a cached prefix.
    """
    if not messages:
        raise BadRequestError("no messages to send", backend="local")
    request = request_body("local", messages, params)
    request["stream"] = True
    request["stream_options"] = {"include_usage": True}
    request["cache_prompt"] = reuse_prefix
    return request


def _error_from(payload: dict[str, Any], n_ctx: int, backend: str = "local") -> ModelError:
    error = payload.get("error", payload)
    if not isinstance(error, dict):
        return ModelError(f"llama.cpp error: {error}", backend=backend)
    message = str(error.get("message", "unknown error"))
    kind = str(error.get("type", ""))
    if kind == "exceed_context_size_error" or "context size" in message:
        return ContextLengthError(
            f"prompt does not fit the local model's context: {message}",
            backend=backend,
            hint=f"Raise n_ctx for the local model (now {n_ctx}) in lyceum.toml, "
            "or send a shorter prompt.",
        )
    if error.get("code") == 400 or kind == "invalid_request_error":
        return BadRequestError(f"llama.cpp refused the request: {message}", backend=backend)
    return ModelError(f"llama.cpp error: {message}", backend=backend)


_FENCE = re.compile(r"^\s*(?:```(?:json)?|<tool_call>)\s*|\s*(?:```|</tool_call>)\s*$")


def tool_calls_from_text(text: str, tools: Sequence[ToolSpec]) -> tuple[ToolCall, ...]:
    """Tool calls written as plain JSON in the reply.

    Small models often answer a tools request with `{"name": ..., "arguments": {...}}`
    as text instead of the template's tool-call markup, so llama.cpp does not parse it
    as a call. A reply that is exactly such an object (or a list of them), naming
    offered tools, is taken as the calls it describes.
    """
    names = {t.name for t in tools}
    try:
        value = json.loads(_FENCE.sub("", text))
    except ValueError:
        return ()
    items = value if isinstance(value, list) else [value]
    calls: list[ToolCall] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or item.get("name") not in names:
            return ()
        arguments = item.get("arguments", item.get("parameters", {}))
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments)
            except ValueError:
                return ()
        if not isinstance(arguments, dict):
            return ()
        calls.append(ToolCall(id=f"call_{i}", name=item["name"], arguments=arguments))
    return tuple(calls)


@dataclass
class ChunkAssembly:
    """Accumulates streamed chunks into what a non-streamed call would have returned."""

    text: list[str] = field(default_factory=list)
    calls: dict[int, dict[str, Any]] = field(default_factory=dict)
    finish_reason: FinishReason = "stop"
    usage: Usage = field(default_factory=Usage)
    timings: dict[str, Any] = field(default_factory=dict)

    def add(self, chunk: dict[str, Any]) -> str:
        """Record one chunk; return its text delta."""
        timings = chunk.get("timings")
        if isinstance(timings, dict):
            self.timings = timings
        usage = chunk.get("usage")
        if usage:
            self.usage = Usage(
                prompt_tokens=int(usage.get("prompt_tokens", 0)),
                completion_tokens=int(usage.get("completion_tokens", 0)),
            )
        delta_text = ""
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            if delta.get("content"):
                delta_text += delta["content"]
            for part in delta.get("tool_calls") or []:
                call = self.calls.setdefault(
                    int(part.get("index", 0)),
                    {"id": "", "function": {"name": "", "arguments": ""}},
                )
                call["id"] = part.get("id") or call["id"]
                function = part.get("function") or {}
                call["function"]["name"] += function.get("name") or ""
                call["function"]["arguments"] += function.get("arguments") or ""
            reason = choice.get("finish_reason")
            if reason:
                self.finish_reason = _FINISH_REASONS.get(reason, "stop")
        self.text.append(delta_text)
        return delta_text

    def tool_calls(self, tools: Sequence[ToolSpec]) -> tuple[ToolCall, ...]:
        if self.calls:
            return parse_tool_calls([self.calls[i] for i in sorted(self.calls)])
        return tool_calls_from_text("".join(self.text), tools) if tools else ()


# --- the backend --------------------------------------------------------------------


class LocalBackend(BaseBackend):
    """A GGUF model run in-process by llama.cpp; see the module docstring for safety notes."""

    supports_tools = True
    supports_json_schema = True
    embedded = True

    def __init__(
        self,
        name: str = "local",
        config: LocalBackendConfig | None = None,
        *,
        fetch: bool = True,
        adapters: Sequence[str] = (),
    ) -> None:
        """`fetch`: download a catalogue model on first use if it is not cached yet.
        `adapters`: GGUF LoRA adapter files loaded beside the model, unapplied (a request
        applies one by its index; see local_adapters)."""
        self.name = name
        self.config = config or LocalBackendConfig()
        self.fetch = fetch
        self.adapters = tuple(adapters)
        self.model_id = self._model_label(self.config.model)
        self.context_window = self.config.n_ctx
        self._loaded: _LoadedModel | None = None
        self._load_lock = threading.Lock()

    @staticmethod
    def _model_label(model: str) -> str:
        return model if model in CATALOGUE else Path(model).stem

    # loading

    def _ensure_loaded(self) -> _LoadedModel:
        with self._load_lock:
            if self._loaded is None:
                _import_xllamacpp()
                path = resolve_model(self.config.model, fetch=self.fetch)
                self._loaded = _acquire(path, self.config, self.adapters)
            return self._loaded

    async def load(self) -> None:
        """Load the model now rather than on the first call (fetching it if needed)."""
        await asyncio.to_thread(self._ensure_loaded)

    @property
    def is_loaded(self) -> bool:
        return self._loaded is not None

    @property
    def listener_address(self) -> str | None:
        """The locked-down HTTP listener llama.cpp opened for this model, if loaded."""
        return self._loaded.address if self._loaded is not None else None

    def _close(self) -> None:
        with self._load_lock:
            loaded, self._loaded = self._loaded, None
        if loaded is not None:
            _release(loaded)

    async def aclose(self) -> None:
        """Give back this backend's hold on the model; the last holder frees its memory."""
        await asyncio.to_thread(self._close)

    # generation

    async def _chunks(
        self, request: dict[str, Any], collect: ChunkAssembly | None = None
    ) -> AsyncGenerator[dict[str, Any], None]:
        """Run one streamed request on the model's executor; yield its raw chunks.

        The llama.cpp callback runs on a C++ thread and hands each chunk to this
        coroutine's loop. Leaving the iterator early (cancelled, timed out, closed)
        sets `cancel`, and the callback's next return tells llama.cpp to stop.

        With `collect`, good chunks are added to it on the C++ thread instead and nothing
        is yielded: a caller that only wants the whole answer (`generate`) then wakes the
        event loop once per call rather than once per token; the loop's thread no longer
        competes with llama.cpp's for a core at every token.
        """
        loaded = self._loaded
        if loaded is None:
            loaded = await asyncio.to_thread(self._ensure_loaded)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        cancel = threading.Event()

        def put(kind: str, value: Any) -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody is listening
                loop.call_soon_threadsafe(queue.put_nowait, (kind, value))

        overflow: list[int] = []

        def on_chunk(chunk: Any) -> bool:
            if cancel.is_set():
                return True
            prompt_tokens = local_context.overflow_tokens(chunk)
            if prompt_tokens is not None and loaded.window < loaded.n_ctx:
                overflow.append(prompt_tokens)  # nothing was output: run again, larger
                return True
            if collect is not None and isinstance(chunk, dict) and "error" not in chunk:
                try:
                    collect.add(chunk)
                except (TypeError, ValueError, AttributeError) as exc:
                    put(
                        "error", ModelError(f"llama.cpp sent a bad chunk: {exc}", backend=self.name)
                    )
                    return True
                return False
            put("chunk", chunk)
            return False

        def work() -> None:
            if cancel.is_set():
                return
            needed = local_context.tokens_needed(request, loaded.n_ctx)
            counted = False  # whether this call is counted in `loaded.in_flight`
            try:
                server = loaded.begin_call(needed)
                counted = True
                body = loaded.guard.clean_request(request) if loaded.guard else request
                server.handle_chat_completions(body, on_chunk)
                # Each round grows the window (at the ceiling, llama.cpp's error is raised).
                while overflow and not cancel.is_set():
                    loaded.end_call()
                    counted = False
                    max_tokens = request.get("max_tokens")
                    grown = overflow.pop() + (max_tokens if isinstance(max_tokens, int) else 0)
                    server = loaded.begin_call(max(grown, loaded.window + 1))
                    counted = True
                    server.handle_chat_completions(body, on_chunk)
            except ModelError as exc:
                put("error", exc)
            except (ValueError, TypeError) as exc:
                put(
                    "error",
                    BadRequestError(f"llama.cpp refused the request: {exc}", backend=self.name),
                )
            except RuntimeError as exc:
                put("error", ModelError(f"llama.cpp failed: {exc}", backend=self.name))
            finally:
                if counted:
                    loaded.end_call()
                put("done", None)

        future = loop.run_in_executor(loaded.executor, work)
        try:
            while True:
                kind, value = await queue.get()
                if kind == "done":
                    break
                if kind == "error":
                    raise value
                if isinstance(value, dict) and "error" in value:
                    raise _error_from(value, loaded.n_ctx, self.name)
                if not isinstance(value, dict):
                    raise ModelError(
                        f"llama.cpp sent an unexpected chunk: {value!r}", backend=self.name
                    )
                yield value
        finally:
            cancel.set()
            if not future.done():
                future.cancel()

    def _request(self, messages: Sequence[Message], params: GenerateParams) -> dict[str, Any]:
        return build_request(messages, params, reuse_prefix=not self.config.reproducible)

    async def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        """Yield text as it is decoded; the last chunk carries finish reason, usage and
        any tool calls. (A tool call the model wrote as plain JSON text arrives as text
        deltas first, then as a parsed call in the last chunk.)"""
        params = params or GenerateParams()
        assembly = ChunkAssembly()
        # aclosing: a consumer that stops early stops the model now, not at GC time.
        async with contextlib.aclosing(self._chunks(self._request(messages, params))) as raws:
            async for raw in raws:
                delta = assembly.add(raw)
                if delta:
                    yield StreamChunk(delta=delta)
        STATS.record(assembly.timings)
        calls = assembly.tool_calls(params.tools)
        yield StreamChunk(
            tool_calls=calls,
            finish_reason="tool_calls" if calls else assembly.finish_reason,
            usage=assembly.usage,
        )

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        params = params or GenerateParams()
        started = time.perf_counter()
        assembly = ChunkAssembly()
        request = self._request(messages, params)
        async with contextlib.aclosing(self._chunks(request, collect=assembly)) as raws:
            async for raw in raws:  # only a chunk `collect` refused arrives here, and raises
                assembly.add(raw)
        STATS.record(assembly.timings)
        calls = assembly.tool_calls(params.tools)
        return Completion(
            text="" if calls and not assembly.calls else "".join(assembly.text),
            tool_calls=calls,
            finish_reason="tool_calls" if calls else assembly.finish_reason,
            usage=assembly.usage,
            model=self.model_id,
            backend=self.name,
            latency_s=time.perf_counter() - started,
        )

    # tokens

    def count_tokens(self, messages: Sequence[Message]) -> int:
        """Exact prompt tokens (chat template included) once the model is loaded, from
        llama.cpp's tokenizer; before that, the 4-characters-a-token estimate."""
        loaded = self._loaded
        if loaded is None or loaded.server is None:
            return super().count_tokens(messages)
        import httpx

        try:
            response = httpx.post(
                f"{loaded.address}/v1/chat/completions/input_tokens",
                json={"messages": [message_to_openai(m) for m in messages]},
                headers={"Authorization": f"Bearer {loaded.api_key}"},
                timeout=30.0,
                trust_env=False,
            )
            response.raise_for_status()
            return int(response.json()["input_tokens"])
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise ModelError(
                f"could not count tokens with llama.cpp: {exc}", backend=self.name
            ) from exc

    async def acount_tokens(self, messages: Sequence[Message]) -> int:
        """Exact prompt tokens, loading the model first if needed."""
        await self.load()
        return await asyncio.to_thread(self.count_tokens, messages)
