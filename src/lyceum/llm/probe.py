"""Probing a backend: is it reachable, how long is its context, how fast does it decode."""

from __future__ import annotations

import time

from pydantic import BaseModel, Field

from lyceum.errors import LyceumError
from lyceum.llm.model import Model
from lyceum.llm.types import GenerateParams, Message, Usage

PROBE_PROMPT = "Count from one to twenty in words, separated by commas."


class ProbeResult(BaseModel):
    name: str
    model: str
    reachable: bool
    context_window: int | None = None
    tokens_per_s: float | None = Field(
        default=None,
        description="Decode speed: completion tokens after the first, over the time from "
        "the first streamed chunk to the last. Excludes model load, prefill and network "
        "set-up; None when the backend delivered the answer in one chunk.",
    )
    first_token_s: float | None = Field(
        default=None, description="Time to the first streamed chunk (prefill + round trip)."
    )
    prefill_tokens_per_s: float | None = Field(
        default=None,
        description="Prompt tokens over `first_token_s`: a lower bound on prefill speed.",
    )
    load_s: float | None = Field(
        default=None, description="Time to load an in-process model before the probe."
    )
    latency_s: float | None = Field(default=None, description="The whole probe generation.")
    error: str | None = None


async def probe_backend(name: str, backend: Model, max_tokens: int = 48) -> ProbeResult:
    """Load the model if it loads in-process, then stream one short greedy generation
    and time its chunks. Errors are reported, not raised."""
    probe_context = getattr(backend, "probe_context_window", None)
    load = getattr(backend, "load", None)
    model_id = str(getattr(backend, "model_id", "") or backend.name)
    params = GenerateParams(max_tokens=max_tokens, cache="bypass")
    chunk_times: list[float] = []
    usage = Usage()
    load_s = None
    try:
        if probe_context is not None:
            await probe_context()
        if load is not None:
            loading = time.perf_counter()
            await load()
            load_s = time.perf_counter() - loading
        started = time.perf_counter()
        async for chunk in backend.stream([Message.user(PROBE_PROMPT)], params):
            if chunk.delta:
                chunk_times.append(time.perf_counter())
            if chunk.usage is not None and chunk.usage.total_tokens:
                usage = chunk.usage
    except LyceumError as exc:
        return ProbeResult(name=name, model=model_id, reachable=False, error=str(exc))
    elapsed = time.perf_counter() - started
    tokens = usage.completion_tokens or len(chunk_times)
    decode_s = chunk_times[-1] - chunk_times[0] if len(chunk_times) > 1 else 0.0
    first_s = chunk_times[0] - started if chunk_times else None
    return ProbeResult(
        name=name,
        model=model_id,
        reachable=True,
        context_window=backend.context_window,
        tokens_per_s=(tokens - 1) / decode_s if decode_s > 0 and tokens > 1 else None,
        first_token_s=first_s,
        prefill_tokens_per_s=(
            usage.prompt_tokens / first_s if first_s and usage.prompt_tokens else None
        ),
        load_s=load_s,
        latency_s=elapsed,
    )
