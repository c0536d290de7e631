"""Probing a backend: is it reachable, how long is its context, how fast does it decode."""

from __future__ import annotations

import time

from pydantic import BaseModel

from lyceum.errors import LyceumError
from lyceum.llm.model import Model
from lyceum.llm.types import GenerateParams, Message

PROBE_PROMPT = "Count from one to twenty in words, separated by commas."


class ProbeResult(BaseModel):
    name: str
    model: str
    reachable: bool
    context_window: int | None = None
    tokens_per_s: float | None = None
    latency_s: float | None = None
    error: str | None = None


async def probe_backend(name: str, backend: Model, max_tokens: int = 48) -> ProbeResult:
    """One short greedy generation, timed. Errors are reported, not raised."""
    probe_context = getattr(backend, "probe_context_window", None)
    model_id = str(getattr(backend, "model_id", "") or backend.name)
    started = time.perf_counter()
    try:
        if probe_context is not None:
            await probe_context()
        completion = await backend.generate(
            [Message.user(PROBE_PROMPT)], GenerateParams(max_tokens=max_tokens, cache="bypass")
        )
    except LyceumError as exc:
        return ProbeResult(name=name, model=model_id, reachable=False, error=str(exc))
    elapsed = time.perf_counter() - started
    tokens = completion.usage.completion_tokens
    return ProbeResult(
        name=name,
        model=completion.model or model_id,
        reachable=True,
        context_window=backend.context_window,
        tokens_per_s=tokens / elapsed if elapsed > 0 and tokens else None,
        latency_s=elapsed,
    )
