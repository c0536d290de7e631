"""Accounting for the gateway: the metrics and the one call record each finished attempt chain
writes, success or failure.

A log write that fails never costs the caller its answer: it is logged as an error, counted
as a `CallLogError`, and the completion comes back without a `call_id`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from lyceum.errors import ModelError
from lyceum.llm.context import current_context
from lyceum.llm.metrics import GatewayMetrics
from lyceum.llm.pricing import PricingTable
from lyceum.llm.types import Completion, GenerateParams, Message, Usage
from lyceum.store.calls import CallLog, CallLogError

log = logging.getLogger(__name__)

Stop = ModelError | asyncio.CancelledError | GeneratorExit
"""Why an attempt chain ended without an answer: the backend failed, or the caller stopped."""


def cancel_reason(stop: BaseException) -> str:
    if isinstance(stop, GeneratorExit):
        return "cancelled: the caller stopped reading the stream"
    return f"cancelled: {stop}" if str(stop) else "cancelled"


class CallRecorder:
    """Turns one finished attempt chain on a tier into metrics and a call record.

    `price_key(tier)` names the pricing entry a tier is billed under (None: the model's).
    """

    def __init__(
        self,
        metrics: GatewayMetrics,
        pricing: PricingTable,
        call_log: CallLog | None,
        price_key: Callable[[str], str | None],
    ) -> None:
        self.metrics = metrics
        self.pricing = pricing
        self.call_log = call_log
        self._price_key = price_key

    def success(
        self,
        tier: str,
        model_id: str,
        messages: Sequence[Message],
        params: GenerateParams,
        completion: Completion,
        started: float,
        attempts: int,
        streamed: bool,
    ) -> Completion:
        """Account and record an answer (fresh or cached); the completion the caller gets."""
        m = self.metrics
        latency = time.perf_counter() - started
        model = completion.model or model_id
        price_key = self._price_key(tier) or model
        cost = 0.0 if completion.cached else self.pricing.cost(price_key, completion.usage)
        outcome = f"cache_{completion.cached}" if completion.cached else "ok"
        m.requests.labels(tier, outcome).inc()
        m.latency.labels(tier).observe(latency)
        if not completion.cached:
            m.tokens.labels(tier, "prompt").inc(completion.usage.prompt_tokens)
            m.tokens.labels(tier, "completion").inc(completion.usage.completion_tokens)
            m.cost.labels(tier).inc(cost)
        call_id = self._write(
            tier=tier,
            model=model,
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

    def failure(
        self,
        tier: str,
        model_id: str,
        messages: Sequence[Message],
        params: GenerateParams,
        stop: Stop,
        started: float,
        attempts: int,
        streamed: bool,
        output: str = "",
    ) -> None:
        """Account and record a chain that ended in an error or was cancelled by the caller."""
        cancelled = not isinstance(stop, ModelError)
        self.metrics.requests.labels(tier, "cancelled" if cancelled else "error").inc()
        self._write(
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
            error=cancel_reason(stop) if cancelled else str(stop),
            error_type=type(stop).__name__,
        )

    def _write(
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
        if self.call_log is None:
            return None
        ctx = current_context()
        try:
            return self.call_log.write(
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
            self.metrics.errors.labels(tier, "CallLogError").inc()
            return None
