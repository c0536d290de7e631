"""The gateway: one `Model` over ordered backend tiers.

Per call it walks the route's tiers in order. On each tier `generate` and `stream` run one
attempt loop: serve from the caches when `CachePolicy` allows; skip the tier if its
circuit is open; otherwise call the backend under its concurrency limit and deadline,
retrying retryable errors with jittered backoff. A tier that still fails hands the call to
the next one (a stream only before its first chunk). Every attempt chain on a tier writes
one call record through `CallRecorder`, success or failure, so the log shows fallbacks as
they happened; a call the caller cancels, or a stream it stops reading, is recorded too
(error "cancelled", with the output so far). All of it is plain asyncio; nothing here
blocks the loop for long.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterator, Mapping, Sequence
from contextlib import aclosing, asynccontextmanager, contextmanager
from dataclasses import dataclass, field

from lyceum.errors import (
    AllTiersFailedError,
    BackendTimeoutError,
    BadRequestError,
    CircuitOpenError,
    ContextLengthError,
    ModelError,
)
from lyceum.llm.breaker import CircuitBreaker
from lyceum.llm.cache import ExactCache, SemanticCache
from lyceum.llm.cache_policy import CachePolicy
from lyceum.llm.metrics import GatewayMetrics
from lyceum.llm.model import Model
from lyceum.llm.pricing import PricingTable
from lyceum.llm.recording import CallRecorder
from lyceum.llm.retry import backoff_delay
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk, ToolCall, Usage
from lyceum.store.calls import CallLog

log = logging.getLogger(__name__)


@dataclass
class TierPolicy:
    """Per-backend limits: calls in flight and the deadline for one call. A stream is cut
    only when it stops producing for `timeout_s`, or when it has run `stream_max_s` in all:
    a long answer that keeps coming is not cut at the one-call deadline."""

    max_concurrency: int = 4
    timeout_s: float = 120.0
    stream_max_s: float = 1800.0
    price_key: str | None = None


@dataclass
class RetryPolicy:
    max_retries: int = 2
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0


@dataclass
class _Shared:
    """State every route view of one gateway shares: backends, breakers, caches, log."""

    backends: dict[str, Model]
    policies: dict[str, TierPolicy]
    breakers: dict[str, CircuitBreaker]
    retry: RetryPolicy
    metrics: GatewayMetrics
    caches: CachePolicy
    recorder: CallRecorder
    rng: random.Random
    semaphores: dict[tuple[int, str], asyncio.Semaphore] = field(default_factory=dict)

    def semaphore(self, backend: str) -> asyncio.Semaphore:
        # Semaphores bind to the loop they first wait on; the CLI may run several loops.
        key = (id(asyncio.get_running_loop()), backend)
        sem = self.semaphores.get(key)
        if sem is None:
            sem = self.semaphores[key] = asyncio.Semaphore(self.policies[backend].max_concurrency)
        return sem

    @contextmanager
    def in_flight(self, backend: str) -> Iterator[None]:
        gauge = self.metrics.in_flight.labels(backend)
        gauge.inc()
        try:
            yield
        finally:
            gauge.dec()


@dataclass
class _Partial:
    """What the current attempt has streamed so far."""

    parts: list[str] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage | None = None
    finish: str | None = None

    def add(self, chunk: StreamChunk) -> None:
        if chunk.delta:
            self.parts.append(chunk.delta)
        self.tool_calls.extend(chunk.tool_calls)
        self.usage = chunk.usage or self.usage
        self.finish = chunk.finish_reason or self.finish

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def completion(self, model_id: str, tier: str) -> Completion:
        return Completion(
            text=self.text,
            tool_calls=tuple(self.tool_calls),
            finish_reason=self.finish or "stop",  # type: ignore[arg-type]
            usage=self.usage or Usage(),
            model=model_id,
            backend=tier,
        )


class _FallbackError(Exception):
    """Internal: a tier failed before anything reached the caller; the next may take over."""

    def __init__(self, error: ModelError) -> None:
        super().__init__(str(error))
        self.error = error


def _model_id(backend: Model) -> str:
    return str(getattr(backend, "model_id", "") or backend.name)


@asynccontextmanager
async def _closing(chunks: AsyncIterator[StreamChunk]) -> AsyncIterator[AsyncIterator[StreamChunk]]:
    """Close a backend's stream on the way out (the protocol only promises an iterator)."""
    try:
        yield chunks
    finally:
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()


def _all_failed(errors: list[ModelError]) -> ModelError:
    return errors[0] if len(errors) == 1 else AllTiersFailedError(errors)


class Gateway:
    """A `Model` that routes over tiers with fallback, retries, breakers, caches and a log."""

    def __init__(
        self,
        backends: Mapping[str, Model],
        tiers: Sequence[str],
        *,
        roles: Mapping[str, Sequence[str]] | None = None,
        policies: Mapping[str, TierPolicy] | None = None,
        retry: RetryPolicy | None = None,
        breaker_failure_threshold: int = 5,
        breaker_reset_s: float = 30.0,
        pricing: PricingTable | None = None,
        metrics: GatewayMetrics | None = None,
        call_log: CallLog | None = None,
        exact_cache: ExactCache | None = None,
        semantic_cache: SemanticCache | None = None,
        seed: int | None = None,
        _shared: _Shared | None = None,
    ) -> None:
        unknown = [t for t in tiers if t not in backends]
        if unknown:
            raise ValueError(f"tiers name unknown backends: {unknown}")
        if not tiers:
            raise ValueError("a gateway needs at least one tier")
        self.tiers = list(tiers)
        self.roles = {k: list(v) for k, v in (roles or {}).items()}
        if _shared is None:
            tier_policies = {n: (policies or {}).get(n, TierPolicy()) for n in backends}
            metrics = metrics or GatewayMetrics()
            _shared = _Shared(
                backends=dict(backends),
                policies=tier_policies,
                breakers={
                    n: CircuitBreaker(breaker_failure_threshold, breaker_reset_s) for n in backends
                },
                retry=retry or RetryPolicy(),
                metrics=metrics,
                caches=CachePolicy(exact_cache, semantic_cache, metrics),
                recorder=CallRecorder(
                    metrics,
                    pricing or PricingTable(),
                    call_log,
                    price_key=lambda tier: tier_policies[tier].price_key,
                ),
                rng=random.Random(seed),
            )
        self._shared = _shared
        self.name = "gateway:" + ",".join(self.tiers)
        self.model_id = self.name

    # -- Model capabilities -------------------------------------------------------------

    @property
    def _tier_models(self) -> list[Model]:
        return [self._shared.backends[t] for t in self.tiers]

    @property
    def supports_tools(self) -> bool:
        return all(m.supports_tools for m in self._tier_models)

    @property
    def supports_json_schema(self) -> bool:
        return all(m.supports_json_schema for m in self._tier_models)

    @property
    def embedded(self) -> bool:
        """Every tier is an embedded backend (see `BaseBackend.embedded`)."""
        return all(getattr(m, "embedded", False) for m in self._tier_models)

    @property
    def context_window(self) -> int | None:
        windows = [m.context_window for m in self._tier_models if m.context_window]
        return min(windows) if windows else None

    # -- routing views --------------------------------------------------------------------

    @property
    def backend_names(self) -> list[str]:
        return list(self._shared.backends)

    @property
    def metrics(self) -> GatewayMetrics:
        return self._shared.metrics

    @property
    def call_log(self) -> CallLog | None:
        return self._shared.recorder.call_log

    def for_role(self, role: str) -> Gateway:
        """A view routing over the tiers configured for `role` (a backend name also works)."""
        if role in self.roles:
            tiers = self.roles[role]
        elif role in self._shared.backends:
            tiers = [role]
        else:
            tiers = self.tiers
        return Gateway(self._shared.backends, tiers, roles=self.roles, _shared=self._shared)

    def breaker_state(self, backend: str) -> str:
        return self._shared.breakers[backend].state.value

    async def aclose(self) -> None:
        for backend in self._shared.backends.values():
            close = getattr(backend, "aclose", None)
            if close is not None:
                await close()

    # -- the Model interface ----------------------------------------------------------------

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        params = params or GenerateParams()
        errors: list[ModelError] = []
        for tier in self.tiers:
            try:
                async with aclosing(self._on_tier(tier, messages, params, streamed=False)) as steps:
                    async for step in steps:
                        if isinstance(step, Completion):
                            return step
            except _FallbackError as fb:
                errors.append(fb.error)
                log.warning("tier %s failed: %s", tier, fb.error)
        raise _all_failed(errors)

    async def stream(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> AsyncIterator[StreamChunk]:
        """Stream from the first tier that starts answering.

        Fallback and retries happen only before the first chunk: once text has reached the
        caller, switching backends would splice two different answers together, so a
        stream that breaks mid-way raises (and is recorded with its partial output).
        A caller that stops reading should `aclose()` the stream (or let it be collected);
        the call is then recorded as cancelled with what had been streamed.
        """
        params = params or GenerateParams()
        errors: list[ModelError] = []
        for tier in self.tiers:
            try:
                # aclosing: closing this stream closes the tier's stream now, so the
                # abandoned call is recorded at once rather than whenever GC finalizes it.
                async with aclosing(self._on_tier(tier, messages, params, streamed=True)) as steps:
                    async for step in steps:
                        if isinstance(step, StreamChunk):
                            yield step
                return
            except _FallbackError as fb:
                errors.append(fb.error)
                log.warning("tier %s failed: %s", tier, fb.error)
        raise _all_failed(errors)

    # -- the attempt loop -------------------------------------------------------------------

    async def _on_tier(
        self, tier: str, messages: Sequence[Message], params: GenerateParams, *, streamed: bool
    ) -> AsyncGenerator[StreamChunk | Completion, None]:
        """One tier's attempt chain: cache, breaker, retries, record.

        Yields a stream's chunks as they arrive, then the recorded `Completion` last.
        Raises `_FallbackError` when nothing reached the caller, so the next tier may try.
        """
        sh = self._shared
        backend = sh.backends[tier]
        model_id = _model_id(backend)
        started = time.perf_counter()

        cached = sh.caches.lookup(tier, model_id, messages, params)
        if cached is not None:
            done = sh.recorder.success(
                tier, model_id, messages, params, cached, started, 0, streamed
            )
            if streamed:
                yield StreamChunk(delta=done.text, tool_calls=done.tool_calls)
                yield StreamChunk(finish_reason=done.finish_reason, usage=done.usage)
            yield done
            return

        breaker = sh.breakers[tier]
        if not await breaker.allow():
            err = CircuitOpenError(
                f"circuit open for {tier}; retry in {breaker.retry_in_s:.0f}s", backend=tier
            )
            sh.recorder.failure(tier, model_id, messages, params, err, started, 0, streamed)
            raise _FallbackError(err)

        attempts = 0
        partial = _Partial()

        def succeeded(completion: Completion) -> Completion:
            breaker.record_success()
            sh.metrics.set_breaker(tier, breaker.state)
            sh.caches.store(model_id, messages, params, completion)
            return sh.recorder.success(
                tier, model_id, messages, params, completion, started, attempts, streamed
            )

        try:
            while True:
                attempts += 1
                partial = _Partial()
                try:
                    if streamed:
                        attempt = self._stream_backend(tier, backend, messages, params, partial)
                        async with aclosing(attempt) as chunks:
                            async for chunk in chunks:
                                yield chunk
                        completion = partial.completion(model_id, tier)
                    else:
                        completion = await self._call_backend(tier, backend, messages, params)
                except ModelError as exc:
                    # Only before the first chunk: a retry after it would splice two answers.
                    if self._note_failure(tier, exc, attempts) and not partial.parts:
                        await asyncio.sleep(self._backoff(attempts))
                        continue
                    sh.recorder.failure(
                        tier,
                        model_id,
                        messages,
                        params,
                        exc,
                        started,
                        attempts,
                        streamed,
                        output=partial.text,
                    )
                    if partial.parts:
                        raise exc from None
                    raise _FallbackError(exc) from None
                break
        except (asyncio.CancelledError, GeneratorExit) as stop:
            if isinstance(stop, GeneratorExit) and partial.finish is not None:
                # The caller stopped after the finish chunk: the answer was whole.
                succeeded(partial.completion(model_id, tier))
                raise
            # wait_for, task.cancel() and Ctrl-C under asyncio.run arrive here as a
            # CancelledError, a stream the caller stopped reading as GeneratorExit; the
            # backend gave no verdict, so the breaker only frees a half-open probe slot.
            breaker.release_probe()
            sh.recorder.failure(
                tier,
                model_id,
                messages,
                params,
                stop,
                started,
                attempts,
                streamed,
                output=partial.text,
            )
            raise
        yield succeeded(completion)

    async def _call_backend(
        self, tier: str, backend: Model, messages: Sequence[Message], params: GenerateParams
    ) -> Completion:
        """One whole-answer attempt, under the tier's concurrency limit and deadline."""
        sh = self._shared
        timeout = params.timeout_s or sh.policies[tier].timeout_s
        async with sh.semaphore(tier):
            with sh.in_flight(tier):
                try:
                    return await asyncio.wait_for(backend.generate(messages, params), timeout)
                except TimeoutError as exc:
                    raise BackendTimeoutError(
                        f"{tier} did not answer within {timeout:.0f}s", backend=tier
                    ) from exc

    async def _stream_backend(
        self,
        tier: str,
        backend: Model,
        messages: Sequence[Message],
        params: GenerateParams,
        partial: _Partial,
    ) -> AsyncGenerator[StreamChunk, None]:
        """One streamed attempt, each chunk also kept in `partial`, under the tier's
        concurrency limit; cut when the backend stalls for the deadline or passes its
        ceiling (`TierPolicy`)."""
        sh = self._shared
        idle = params.timeout_s or sh.policies[tier].timeout_s
        loop = asyncio.get_running_loop()
        ceiling = loop.time() + max(idle, sh.policies[tier].stream_max_s)
        try:
            async with sh.semaphore(tier), _closing(backend.stream(messages, params)) as stream:
                with sh.in_flight(tier):
                    chunks = stream.__aiter__()
                    while True:
                        # The deadline covers only the wait for the backend's next chunk.
                        # Held across `yield`, it would cancel whichever task is consuming
                        # the stream at the time, at its own await (a client's slow
                        # socket), as a bare CancelledError.
                        wait = min(idle, ceiling - loop.time())
                        if wait <= 0:
                            raise TimeoutError
                        try:
                            async with asyncio.timeout(wait):
                                chunk = await anext(chunks)
                        except StopAsyncIteration:
                            return
                        partial.add(chunk)
                        yield chunk
        except TimeoutError:
            raise BackendTimeoutError(f"{tier} stream timed out", backend=tier) from None

    def _note_failure(self, tier: str, exc: ModelError, attempts: int) -> bool:
        """Counts a tier's failure in the metrics and its breaker; whether to retry it."""
        sh = self._shared
        breaker = sh.breakers[tier]
        exc.backend = exc.backend or tier
        sh.metrics.errors.labels(tier, type(exc).__name__).inc()
        if isinstance(exc, BadRequestError | ContextLengthError):
            # The request is at fault, not the backend: no breaker strike, no retry.
            breaker.release_probe()
        else:
            breaker.record_failure()
        sh.metrics.set_breaker(tier, breaker.state)
        return (
            exc.retryable and attempts <= sh.retry.max_retries and breaker.state.value == "closed"
        )

    def _backoff(self, attempt: int) -> float:
        r = self._shared.retry
        return backoff_delay(
            attempt, base_s=r.backoff_base_s, max_s=r.backoff_max_s, rng=self._shared.rng
        )
