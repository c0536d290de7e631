"""Probing a backend for `lyceum models`: the tokens/s figure is decode speed only."""

from __future__ import annotations

from lyceum.errors import BackendUnavailableError
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.probe import probe_backend

TWENTY = " ".join(f"w{i}" for i in range(20))


async def test_tokens_per_s_excludes_the_wait_before_the_first_token() -> None:
    # Two seconds before the first token (a model loading on first use), then 19 gaps of
    # 5 ms: the whole-call rate would be under 10 tokens/s, decode alone about 200.
    backend = ScriptedBackend(default_output=TWENTY, delay_s=2.0, chunk_delay_s=0.005)
    result = await probe_backend("slow-start", backend)
    assert result.reachable and result.latency_s is not None and result.latency_s >= 2.0
    assert result.first_token_s is not None and result.first_token_s >= 2.0
    whole_call_rate = 20 / result.latency_s
    assert whole_call_rate < 10
    assert result.tokens_per_s is not None and result.tokens_per_s > 5 * whole_call_rate
    assert result.prefill_tokens_per_s is not None and result.load_s is None


async def test_an_answer_in_one_chunk_has_no_decode_rate() -> None:
    result = await probe_backend("one", ScriptedBackend(default_output="single"))
    assert result.reachable and result.tokens_per_s is None and result.first_token_s is not None


async def test_an_unreachable_backend_is_reported_not_raised() -> None:
    backend = ScriptedBackend([BackendUnavailableError("down", backend="x")])
    result = await probe_backend("x", backend)
    assert not result.reachable and "down" in (result.error or "")
