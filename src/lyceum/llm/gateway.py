"""The gateway: one `Model` over ordered backend tiers.

Per call it walks the route's tiers in order. For each tier: skip it if its circuit is
open; serve from the exact (or, when the call opts in, semantic) cache; otherwise call the
backend under its concurrency limit and deadline, retrying retryable errors with jittered
backoff. A tier that still fails hands the call to the next one. Every attempt chain on a
tier writes one call record, success or failure, so the log shows fallbacks as they
happened; a call the caller cancels, or a stream it stops reading, is recorded too (error
"cancelled", with the output so far). A log write that fails never costs the caller its
answer: it is logged as an error and the completion comes back without a `call_id`.
All of it is plain asyncio; nothing here blocks the loop for long.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from lyceum.errors import (
    AllTiersFailedError,
    BackendTimeoutError,
    BadRequestError,
    CircuitOpenError,
    ContextLengthError,
    ModelError,
)
from lyceum.llm.breaker import CircuitBreaker
from lyceum.llm.cache import (
    ExactCache,
    SemanticCache,
    cacheable,
    exact_key,
    last_user_text,
    semantic_scope,
)
from lyceum.llm.context import current_context
from lyceum.llm.metrics import GatewayMetrics
from lyceum.llm.model import Model
from lyceum.llm.pricing import PricingTable
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk, Usage
from lyceum.store.calls import CallLog, CallLogError

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
    pricing: PricingTable
    metrics: GatewayMetrics
    call_log: CallLog | None
    exact_cache: ExactCache | None
    semantic_cache: SemanticCache | None
    rng: random.Random
    semaphores: dict[tuple[int, str], asyncio.Semaphore] = field(default_factory=dict)

    def semaphore(self, backend: str) -> asyncio.Semaphore:
        # Semaphores bind to the loop they first wait on; the CLI may run several loops.
        key = (id(asyncio.get_running_loop()), backend)
        sem = self.semaphores.get(key)
        if sem is None:
            sem = self.semaphores[key] = asyncio.Semaphore(self.policies[backend].max_concurrency)
        return sem


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


def _cancel_reason(stop: BaseException) -> str:
    if isinstance(stop, GeneratorExit):
        return "cancelled: the caller stopped reading the stream"
    return f"cancelled: {stop}" if str(stop) else "cancelled"


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
        self._shared = _shared or _Shared(
            backends=dict(backends),
            policies={n: (policies or {}).get(n, TierPolicy()) for n in backends},
            breakers={
                n: CircuitBreaker(breaker_failure_threshold, breaker_reset_s) for n in backends
            },
            retry=retry or RetryPolicy(),
            pricing=pricing or PricingTable(),
            metrics=metrics or GatewayMetrics(),
            call_log=call_log,
            exact_cache=exact_cache,
            semantic_cache=semantic_cache,
            rng=random.Random(seed),
        )
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
        return self._shared.call_log

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

    # -- generate ---------------------------------------------------------------------------

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        params = params or GenerateParams()
        errors: list[ModelError] = []
        for tier in self.tiers:
            try:
                return await self._generate_on_tier(tier, messages, params)
            except ModelError as exc:
                exc.backend = exc.backend or tier
                errors.append(exc)
                log.warning("tier %s failed: %s", tier, exc)
        if len(errors) == 1:
            raise errors[0]
        raise AllTiersFailedError(errors)

    async def _generate_on_tier(
        self, tier: str, messages: Sequence[Message], params: GenerateParams
    ) -> Completion:
        sh = self._shared
        backend = sh.backends[tier]
        model_id = _model_id(backend)
        started = time.perf_counter()

        cached = self._cache_lookup(tier, model_id, messages, params)
        if cached is not None:
            return self._finish(tier, messages, params, cached, started, attempts=0)

        breaker = sh.breakers[tier]
        if not await breaker.allow():
            err = CircuitOpenError(
                f"circuit open for {tier}; retry in {breaker.retry_in_s:.0f}s", backend=tier
            )
            self._record_failure(tier, model_id, messages, params, err, started, attempts=0)
            raise err

        attempts = 0
        try:
            while True:
                attempts += 1
                try:
                    completion = await self._call_backend(tier, backend, messages, params)
                except ModelError as exc:
                    if self._note_failure(tier, exc, attempts):
                        await asyncio.sleep(self._backoff(attempts))
                        continue
                    self._record_failure(tier, model_id, messages, params, exc, started, attempts)
                    raise
                breaker.record_success()
                sh.metrics.set_breaker(tier, breaker.state)
                self._cache_store(tier, model_id, messages, params, completion)
                return self._finish(tier, messages, params, completion, started, attempts)
        except asyncio.CancelledError as stop:
            # wait_for, task.cancel() and Ctrl-C under asyncio.run all arrive here; the
            # backend gave no verdict, so the breaker only frees a half-open probe slot.
            breaker.release_probe()
            self._record_failure(tier, model_id, messages, params, stop, started, attempts)
            raise

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

    async def _call_backend(
        self, tier: str, backend: Model, messages: Sequence[Message], params: GenerateParams
    ) -> Completion:
        sh = self._shared
        timeout = params.timeout_s or sh.policies[tier].timeout_s
        async with sh.semaphore(tier):
            sh.metrics.in_flight.labels(tier).inc()
            try:
                return await asyncio.wait_for(backend.generate(messages, params), timeout)
            except TimeoutError as exc:
                raise BackendTimeoutError(
                    f"{tier} did not answer within {timeout:.0f}s", backend=tier
                ) from exc
            finally:
                sh.metrics.in_flight.labels(tier).dec()

    def _backoff(self, attempt: int) -> float:
        from lyceum.llm.retry import backoff_delay

        r = self._shared.retry
        return backoff_delay(
            attempt, base_s=r.backoff_base_s, max_s=r.backoff_max_s, rng=self._shared.rng
        )

    # -- caches -----------------------------------------------------------------------------

    def _semantic_allowed(self, messages: Sequence[Message], params: GenerateParams) -> bool:
        return (
            self._shared.semantic_cache is not None
            and params.semantic_cache
            and not params.tools
            and not current_context().agent_step
            and not any(m.role == "tool" or m.tool_calls for m in messages)
            and bool(last_user_text(messages))
        )

    def _cache_lookup(
        self, tier: str, model_id: str, messages: Sequence[Message], params: GenerateParams
    ) -> Completion | None:
        sh = self._shared
        if sh.exact_cache is None or not cacheable(params):
            return None
        key = exact_key(model_id, messages, params)
        hit = sh.exact_cache.get(key)
        if hit is not None:
            sh.metrics.cache_hits.labels("exact").inc()
            return hit.model_copy(update={"cached": "exact", "backend": tier})
        if self._semantic_allowed(messages, params):
            assert sh.semantic_cache is not None
            scope = semantic_scope(model_id, messages, params)
            text = last_user_text(messages)
            found = sh.semantic_cache.lookup(scope, sh.semantic_cache.embed(text), text)
            if found is not None:
                near = sh.exact_cache.get(found[0])
                if near is not None:
                    sh.metrics.cache_hits.labels("semantic").inc()
                    return near.model_copy(update={"cached": "semantic", "backend": tier})
        return None

    def _cache_store(
        self,
        tier: str,
        model_id: str,
        messages: Sequence[Message],
        params: GenerateParams,
        completion: Completion,
    ) -> None:
        sh = self._shared
        if sh.exact_cache is None or not cacheable(params) or completion.finish_reason == "error":
            return
        key = exact_key(model_id, messages, params)
        scope, vector, text = "", None, ""
        if self._semantic_allowed(messages, params):
            assert sh.semantic_cache is not None
            text = last_user_text(messages)
            scope = semantic_scope(model_id, messages, params)
            vector = sh.semantic_cache.embed(text)
        sh.exact_cache.put(
            key, model_id, completion, scope=scope, prompt_text=text, embedding=vector
        )
        if vector is not None:
            assert sh.semantic_cache is not None
            sh.semantic_cache.add(scope, key, vector, text)

    # -- accounting and the call log --------------------------------------------------------

    def _finish(
        self,
        tier: str,
        messages: Sequence[Message],
        params: GenerateParams,
        completion: Completion,
        started: float,
        attempts: int,
        streamed: bool = False,
    ) -> Completion:
        sh = self._shared
        latency = time.perf_counter() - started
        backend = sh.backends[tier]
        price_key = sh.policies[tier].price_key or completion.model or _model_id(backend)
        cost = 0.0 if completion.cached else sh.pricing.cost(price_key, completion.usage)
        outcome = f"cache_{completion.cached}" if completion.cached else "ok"
        sh.metrics.requests.labels(tier, outcome).inc()
        sh.metrics.latency.labels(tier).observe(latency)
        if not completion.cached:
            sh.metrics.tokens.labels(tier, "prompt").inc(completion.usage.prompt_tokens)
            sh.metrics.tokens.labels(tier, "completion").inc(completion.usage.completion_tokens)
            sh.metrics.cost.labels(tier).inc(cost)
        call_id = self._write_record(
            tier=tier,
            model=completion.model or _model_id(backend),
            messages=messages,
            params=params,
            output=completion.text,
            tool_calls=[tc.model_dump(mode="json") for tc in completion.tool_calls],
            finish_reason=completion.finish_reason,
            usage=completion.usage,
            latency=latency,
            cost=cost,
            cache_hit=completion.cached,
            attempts=attempts,
            streamed=streamed,
        )
        return completion.model_copy(
            update={"backend": tier, "latency_s": latency, "cost_usd": cost, "call_id": call_id}
        )

    def _record_failure(
        self,
        tier: str,
        model_id: str,
        messages: Sequence[Message],
        params: GenerateParams,
        exc: ModelError | asyncio.CancelledError | GeneratorExit,
        started: float,
        attempts: int,
        output: str = "",
        streamed: bool = False,
    ) -> None:
        cancelled = not isinstance(exc, ModelError)
        self._shared.metrics.requests.labels(tier, "cancelled" if cancelled else "error").inc()
        self._write_record(
            tier=tier,
            model=model_id,
            messages=messages,
            params=params,
            output=output,
            tool_calls=[],
            finish_reason="error",
            usage=Usage(),
            latency=time.perf_counter() - started,
            cost=0.0,
            cache_hit="",
            attempts=attempts,
            streamed=streamed,
            error=_cancel_reason(exc) if cancelled else str(exc),
            error_type=type(exc).__name__,
        )

    def _write_record(
        self,
        *,
        tier: str,
        model: str,
        messages: Sequence[Message],
        params: GenerateParams,
        output: str,
        tool_calls: list[dict[str, Any]],
        finish_reason: str,
        usage: Usage,
        latency: float,
        cost: float,
        cache_hit: str,
        attempts: int,
        streamed: bool,
        error: str | None = None,
        error_type: str | None = None,
    ) -> str | None:
        call_log = self._shared.call_log
        if call_log is None:
            return None
        ctx = current_context()
        try:
            return call_log.write(
                run_id=ctx.run_id,
                caller=ctx.caller,
                backend=tier,
                model=model,
                messages=[m.model_dump(mode="json", exclude_defaults=True) for m in messages],
                params=params.model_dump(mode="json", exclude_defaults=True),
                output=output,
                tool_calls=tool_calls,
                finish_reason=finish_reason,
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                latency_s=latency,
                cost_usd=cost,
                cache_hit=cache_hit,
                attempts=attempts,
                streamed=streamed,
                error=error,
                error_type=error_type,
            )
        except CallLogError as exc:
            # The caller's answer is worth more than its log line; the loss is loud, not silent.
            log.error("call log write failed for %s (the call itself finished): %s", tier, exc)
            self._shared.metrics.errors.labels(tier, "CallLogError").inc()
            return None

    # -- stream ---------------------------------------------------------------------------

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
                async with aclosing(self._stream_on_tier(tier, messages, params)) as chunks:
                    async for chunk in chunks:
                        yield chunk
                return
            except _FallbackError as fb:
                errors.append(fb.error)
        if len(errors) == 1:
            raise errors[0]
        raise AllTiersFailedError(errors)

    async def _stream_on_tier(
        self, tier: str, messages: Sequence[Message], params: GenerateParams
    ) -> AsyncGenerator[StreamChunk, None]:
        sh = self._shared
        backend = sh.backends[tier]
        model_id = _model_id(backend)
        started = time.perf_counter()
        cached = self._cache_lookup(tier, model_id, messages, params)
        if cached is not None:
            done = self._finish(tier, messages, params, cached, started, 0, streamed=True)
            yield StreamChunk(delta=done.text, tool_calls=done.tool_calls)
            yield StreamChunk(finish_reason=done.finish_reason, usage=done.usage)
            return
        breaker = sh.breakers[tier]
        if not await breaker.allow():
            err = CircuitOpenError(f"circuit open for {tier}", backend=tier)
            self._record_failure(tier, model_id, messages, params, err, started, 0, streamed=True)
            raise _FallbackError(err)

        attempts = 0
        parts: list[str] = []
        tool_calls: list[Any] = []
        usage: Usage | None = None
        finish: str | None = None

        def completed() -> Completion:
            breaker.record_success()
            sh.metrics.set_breaker(tier, breaker.state)
            completion = Completion(
                text="".join(parts),
                tool_calls=tuple(tool_calls),
                finish_reason=finish or "stop",  # type: ignore[arg-type]
                usage=usage or Usage(),
                model=model_id,
                backend=tier,
            )
            self._cache_store(tier, model_id, messages, params, completion)
            return self._finish(
                tier, messages, params, completion, started, attempts, streamed=True
            )

        try:
            while True:
                attempts += 1
                parts, tool_calls, usage, finish = [], [], None, None
                idle = params.timeout_s or sh.policies[tier].timeout_s
                loop = asyncio.get_running_loop()
                ceiling = loop.time() + max(idle, sh.policies[tier].stream_max_s)
                try:
                    async with (
                        sh.semaphore(tier),
                        _closing(backend.stream(messages, params)) as stream,
                    ):
                        chunks = stream.__aiter__()
                        while True:
                            # The deadline covers only the wait for the backend's next
                            # chunk. Held across `yield`, it would cancel whichever task
                            # is consuming the stream at the time, at its own await (a
                            # client's slow socket), as a bare CancelledError.
                            wait = min(idle, ceiling - loop.time())
                            if wait <= 0:
                                raise TimeoutError
                            try:
                                async with asyncio.timeout(wait):
                                    chunk = await anext(chunks)
                            except StopAsyncIteration:
                                break
                            if chunk.delta:
                                parts.append(chunk.delta)
                            tool_calls.extend(chunk.tool_calls)
                            usage = chunk.usage or usage
                            finish = chunk.finish_reason or finish
                            yield chunk
                except (ModelError, TimeoutError) as raw:
                    exc = (
                        raw
                        if isinstance(raw, ModelError)
                        else BackendTimeoutError(f"{tier} stream timed out", backend=tier)
                    )
                    # Only before the first chunk: a retry after it would splice two answers.
                    if self._note_failure(tier, exc, attempts) and not parts:
                        await asyncio.sleep(self._backoff(attempts))
                        continue
                    self._record_failure(
                        tier,
                        model_id,
                        messages,
                        params,
                        exc,
                        started,
                        attempts,
                        output="".join(parts),
                        streamed=True,
                    )
                    if parts:
                        raise exc from None
                    raise _FallbackError(exc) from None
                completed()
                return
        except (asyncio.CancelledError, GeneratorExit) as stop:
            if isinstance(stop, GeneratorExit) and finish is not None:
                # The caller stopped after the finish chunk: the answer was whole.
                completed()
                raise
            breaker.release_probe()
            self._record_failure(
                tier,
                model_id,
                messages,
                params,
                stop,
                started,
                attempts,
                output="".join(parts),
                streamed=True,
            )
            raise


class _FallbackError(Exception):
    """Internal: a stream failed before its first chunk, so the next tier may take over."""

    def __init__(self, error: ModelError) -> None:
        super().__init__(str(error))
        self.error = error
