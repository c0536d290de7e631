from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from sqlalchemy import text

from lyceum.errors import (
    AllTiersFailedError,
    BackendTimeoutError,
    BackendUnavailableError,
    BadRequestError,
    CircuitOpenError,
    ServerError,
)
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.cache import ExactCache
from lyceum.llm.context import call_context
from lyceum.llm.gateway import Gateway, RetryPolicy, TierPolicy
from lyceum.llm.pricing import PricingTable
from lyceum.llm.types import Completion, GenerateParams, Message, Usage
from lyceum.store.calls import CallFilter

Q = [Message.user("What is the capital of France?")]
NO_WAIT = RetryPolicy(max_retries=2, backoff_base_s=0.0, backoff_max_s=0.0)


def make(backends, tiers=None, **kw):
    return Gateway(backends, tiers or list(backends), retry=kw.pop("retry", NO_WAIT), **kw)


async def test_gateway_answers_from_first_tier_and_records_the_call(call_log):
    local = ScriptedBackend(["Paris"], name="local")
    api = ScriptedBackend(["Paris (api)"], name="api")
    gw = make({"local": local, "api": api}, call_log=call_log)
    with call_context(run_id=None, caller="test.ask"):
        out = await gw.generate(Q)
    assert out.text == "Paris" and out.backend == "local"
    assert api.history == []
    [record] = call_log.list()
    assert record.backend == "local" and record.caller == "test.ask" and record.output == "Paris"
    assert record.prompt_tokens > 0 and record.error is None and out.call_id == record.id


async def test_gateway_falls_back_to_next_tier_on_non_retryable_error(call_log):
    local = ScriptedBackend([BadRequestError("nope")], name="local")
    api = ScriptedBackend(["from api"], name="api")
    gw = make({"local": local, "api": api}, call_log=call_log)
    out = await gw.generate(Q)
    assert out.text == "from api" and out.backend == "api"
    records = call_log.list()
    assert {r.backend for r in records} == {"local", "api"}
    assert [r.error_type for r in records if r.backend == "local"] == ["BadRequestError"]


async def test_gateway_retries_retryable_errors_then_succeeds(call_log):
    local = ScriptedBackend(
        [ServerError("500"), BackendUnavailableError("reset"), "ok"], name="local"
    )
    gw = make({"local": local}, call_log=call_log)
    out = await gw.generate(Q)
    assert out.text == "ok"
    assert len(local.history) == 3
    [record] = call_log.list()
    assert record.attempts == 3 and record.error is None


async def test_gateway_does_not_retry_bad_requests():
    local = ScriptedBackend([BadRequestError("bad"), "never"], name="local")
    gw = make({"local": local})
    with pytest.raises(BadRequestError):
        await gw.generate(Q)
    assert len(local.history) == 1


async def test_gateway_gives_up_after_max_retries_and_reports_every_tier():
    a = ScriptedBackend([ServerError("a")] * 5, name="a")
    b = ScriptedBackend([ServerError("b")] * 5, name="b")
    gw = make({"a": a, "b": b}, retry=RetryPolicy(max_retries=1, backoff_base_s=0, backoff_max_s=0))
    with pytest.raises(AllTiersFailedError) as info:
        await gw.generate(Q)
    assert [e.backend for e in info.value.errors] == ["a", "b"]
    assert len(a.history) == 2 and len(b.history) == 2


async def test_gateway_falls_back_when_breaker_opens(call_log):
    local = ScriptedBackend([ServerError("down")] * 10, name="local", default_output="recovered")
    api = ScriptedBackend([], name="api", default_output="api answer")
    gw = make(
        {"local": local, "api": api},
        retry=RetryPolicy(max_retries=0, backoff_base_s=0, backoff_max_s=0),
        breaker_failure_threshold=2,
        breaker_reset_s=3600,
        call_log=call_log,
    )
    for _ in range(2):
        assert (await gw.generate(Q, GenerateParams(cache="bypass"))).backend == "api"
    assert gw.breaker_state("local") == "open"
    calls_before = len(local.history)
    out = await gw.generate(Q, GenerateParams(cache="bypass"))
    assert out.backend == "api"
    assert len(local.history) == calls_before  # the open circuit kept the call away
    assert any(r.error_type == "CircuitOpenError" for r in call_log.list())


async def test_breaker_half_open_probe_closes_circuit_on_success():
    local = ScriptedBackend([ServerError("x"), "back"], name="local")
    gw = make(
        {"local": local},
        retry=RetryPolicy(max_retries=0, backoff_base_s=0, backoff_max_s=0),
        breaker_failure_threshold=1,
        breaker_reset_s=0.05,
    )
    with pytest.raises(ServerError):
        await gw.generate(Q)
    with pytest.raises(CircuitOpenError):
        await gw.generate(Q)
    await asyncio.sleep(0.06)
    assert (await gw.generate(Q)).text == "back"
    assert gw.breaker_state("local") == "closed"


async def test_gateway_times_out_slow_backends_and_falls_back():
    slow = ScriptedBackend(["late"], name="slow", delay_s=5)
    fast = ScriptedBackend(["fast"], name="fast")
    gw = make(
        {"slow": slow, "fast": fast},
        policies={"slow": TierPolicy(timeout_s=0.05), "fast": TierPolicy()},
        retry=RetryPolicy(max_retries=0, backoff_base_s=0, backoff_max_s=0),
    )
    out = await gw.generate(Q)
    assert out.text == "fast"
    with pytest.raises(BackendTimeoutError):
        await gw.for_role("slow").generate(Q)


async def test_concurrency_limit_per_backend_is_respected():
    in_flight = 0
    peak = 0

    backend = ScriptedBackend([], name="b", default_output="x", delay_s=0.02)
    original = backend.generate

    async def generate(messages, params=None):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            return await original(messages, params)
        finally:
            in_flight -= 1

    backend.generate = generate  # type: ignore[method-assign]
    gw = make({"b": backend}, policies={"b": TierPolicy(max_concurrency=3)})
    await asyncio.gather(
        *(gw.generate([Message.user(f"q{i}")], GenerateParams(cache="bypass")) for i in range(12))
    )
    assert peak == 3


async def test_exact_cache_serves_repeat_calls_without_touching_backend(db, call_log):
    backend = ScriptedBackend(["first", "second"], name="local")
    gw = make({"local": backend}, exact_cache=ExactCache(db), call_log=call_log)
    a = await gw.generate(Q)
    b = await gw.generate(Q)
    assert a.text == b.text == "first" and b.cached == "exact" and a.cached == ""
    assert len(backend.history) == 1
    hits = call_log.list(CallFilter(cache_hits_only=True))
    assert len(hits) == 1 and hits[0].cost_usd == 0.0


async def test_exact_cache_survives_a_new_gateway_on_the_same_database(db):
    first = make({"local": ScriptedBackend(["stored"], name="local")}, exact_cache=ExactCache(db))
    await first.generate(Q)
    fresh_backend = ScriptedBackend(["different"], name="local")
    second = make({"local": fresh_backend}, exact_cache=ExactCache(db))
    assert (await second.generate(Q)).text == "stored"
    assert fresh_backend.history == []


async def test_exact_cache_keys_on_sample_index_so_samples_differ(db):
    backend = ScriptedBackend(["a", "b", "c"], name="local")
    gw = make({"local": backend}, exact_cache=ExactCache(db))
    params = [GenerateParams(temperature=0.7, cache="read_write", sample_index=i) for i in range(3)]
    outs = [await gw.generate(Q, p) for p in params]
    assert [o.text for o in outs] == ["a", "b", "c"]
    again = await gw.generate(Q, params[1])
    assert again.text == "b" and again.cached == "exact"


async def test_exact_cache_is_bypassed_for_sampled_calls_by_default(db):
    backend = ScriptedBackend(["a", "b"], name="local")
    gw = make({"local": backend}, exact_cache=ExactCache(db))
    p = GenerateParams(temperature=0.8)
    assert [(await gw.generate(Q, p)).text for _ in range(2)] == ["a", "b"]


async def test_cost_is_accounted_from_the_pricing_table(call_log):
    reply = Completion(
        text="hi", model="gpt-4o-mini", usage=Usage(prompt_tokens=1000, completion_tokens=500)
    )
    api = ScriptedBackend([reply], name="api", model_id="gpt-4o-mini")
    gw = make({"api": api}, call_log=call_log, pricing=PricingTable())
    out = await gw.generate(Q)
    expected = (1000 * 0.15 + 500 * 0.60) / 1_000_000
    assert out.cost_usd == pytest.approx(expected)
    assert call_log.summary().cost_usd == pytest.approx(expected)


async def test_user_pricing_overrides_and_extends_the_table(call_log):
    reply = Completion(text="hi", usage=Usage(prompt_tokens=2_000_000, completion_tokens=0))
    api = ScriptedBackend([reply], name="api", model_id="my-model")
    table = PricingTable({"my-model": {"input_per_mtok": 1.5, "output_per_mtok": 2.0}})
    gw = make({"api": api}, pricing=table, call_log=call_log)
    assert (await gw.generate(Q)).cost_usd == pytest.approx(3.0)


async def test_metrics_count_requests_tokens_cache_hits_and_errors(db):
    backend = ScriptedBackend(["x", BadRequestError("bad")], name="local")
    gw = make({"local": backend}, exact_cache=ExactCache(db))
    await gw.generate(Q)
    await gw.generate(Q)
    with pytest.raises(BadRequestError):
        await gw.generate([Message.user("other")])
    text = gw.metrics.render().decode()
    assert 'lyceum_llm_requests_total{backend="local",outcome="ok"} 1.0' in text
    assert 'lyceum_llm_cache_hits_total{kind="exact"} 1.0' in text
    assert 'lyceum_llm_errors_total{backend="local",error_type="BadRequestError"} 1.0' in text
    assert 'lyceum_llm_breaker_state{backend="local"} 0.0' in text


async def test_role_views_share_breakers_and_route_over_their_own_tiers():
    a = ScriptedBackend([], name="a", default_output="A")
    b = ScriptedBackend([], name="b", default_output="B")
    gw = make({"a": a, "b": b}, tiers=["a", "b"], roles={"brain": ["b", "a"]})
    assert (await gw.for_role("brain").generate(Q)).text == "B"
    assert (await gw.for_role("worker").generate(Q)).text == "A"  # unknown role: default tiers
    assert (await gw.for_role("b").generate(Q)).text == "B"  # a backend name is a route too


async def test_stream_yields_chunks_and_records_one_call(call_log, db):
    backend = ScriptedBackend(["the answer is Paris"], name="local")
    gw = make({"local": backend}, call_log=call_log, exact_cache=ExactCache(db))
    chunks = [c async for c in gw.stream(Q)]
    assert "".join(c.delta for c in chunks) == "the answer is Paris"
    assert len(chunks) > 2 and chunks[-1].finish_reason == "stop"
    [record] = call_log.list()
    assert record.streamed and record.output == "the answer is Paris"
    cached = [c async for c in gw.stream(Q)]
    assert "".join(c.delta for c in cached) == "the answer is Paris"
    assert len(backend.history) == 1


def _in_flight(gw: Gateway, tier: str) -> float | None:
    """The in-flight gauge of `tier`, or None when no call ever set it."""
    label = f'lyceum_llm_in_flight{{backend="{tier}"}} '
    lines = gw.metrics.render().decode().splitlines()
    return next((float(x.removeprefix(label)) for x in lines if x.startswith(label)), None)


async def test_a_stream_counts_as_in_flight_until_it_ends_like_a_generate():
    gw = make({"local": ScriptedBackend(["one two three"], name="local")})
    stream = gw.stream(Q)
    await anext(stream)
    assert _in_flight(gw, "local") == 1.0
    assert [c.delta async for c in stream][:2] == [" two", " three"]
    assert _in_flight(gw, "local") == 0.0


async def test_stream_falls_back_before_first_chunk():
    broken = ScriptedBackend([BackendUnavailableError("refused")] * 3, name="a")
    ok = ScriptedBackend(["fine"], name="b")
    gw = make(
        {"a": broken, "b": ok}, retry=RetryPolicy(max_retries=0, backoff_base_s=0, backoff_max_s=0)
    )
    assert "".join([c.delta async for c in gw.stream(Q)]) == "fine"


async def test_stream_abandoned_with_aclose_is_recorded_as_cancelled_with_partial_output(
    call_log,
):
    gw = make({"local": ScriptedBackend(["one two three four"], name="local")}, call_log=call_log)
    stream = gw.stream(Q)
    read = [(await anext(stream)).delta for _ in range(2)]
    await stream.aclose()
    [record] = call_log.list()
    assert read == ["one", " two"]
    assert record.error is not None and record.error.startswith("cancelled")
    assert record.output == "one two" and record.streamed and record.finish_reason == "error"


async def test_stream_dropped_mid_way_is_recorded_once_collected(call_log):
    gw = make({"local": ScriptedBackend(["one two three"], name="local")}, call_log=call_log)
    async for _chunk in gw.stream(Q):
        break
    for _ in range(3):  # the loop's async-generator finalizer closes it in a task
        await asyncio.sleep(0)
    [record] = call_log.list()
    assert record.error is not None and record.error.startswith("cancelled")
    assert record.output == "one"


async def test_stream_left_after_its_finish_chunk_is_recorded_as_complete(call_log):
    gw = make({"local": ScriptedBackend(["all of it"], name="local")}, call_log=call_log)
    stream = gw.stream(Q)
    async for chunk in stream:
        if chunk.finish_reason:
            break
    await stream.aclose()
    [record] = call_log.list()
    assert record.error is None and record.output == "all of it"


async def test_generate_cancelled_by_wait_for_is_recorded_and_reraised(call_log):
    slow = ScriptedBackend(["late"], name="slow", delay_s=5)
    gw = make({"slow": slow}, call_log=call_log)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(gw.generate(Q), 0.05)
    [record] = call_log.list()
    assert record.error == "cancelled" and record.error_type == "CancelledError"
    assert record.backend == "slow" and record.attempts == 1
    assert gw.breaker_state("slow") == "closed"


async def test_generate_task_cancelled_is_recorded_and_stays_cancelled(call_log):
    gw = make({"slow": ScriptedBackend(["late"], name="slow", delay_s=5)}, call_log=call_log)
    task = asyncio.create_task(gw.generate(Q))
    await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [record] = call_log.list()
    assert record.error_type == "CancelledError"


def test_ctrl_c_during_generate_is_recorded(call_log):
    # A child inherits an ignored SIGINT from a nohup'd or backgrounded parent, and Python then
    # installs no KeyboardInterrupt handler: the script restores the default one first.
    script = """
import asyncio, os, signal
signal.signal(signal.SIGINT, signal.default_int_handler)
from lyceum.config import load_settings
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.gateway import Gateway
from lyceum.llm.types import Message
from lyceum.store.calls import CallLog
from lyceum.store.db import open_database

log = CallLog(open_database(load_settings().database_url))
gw = Gateway({"slow": ScriptedBackend(["late"], name="slow", delay_s=30)}, ["slow"], call_log=log)

async def main():
    asyncio.get_running_loop().call_later(0.2, os.kill, os.getpid(), signal.SIGINT)
    await gw.generate([Message.user("hi")])

try:
    asyncio.run(main())
except KeyboardInterrupt:
    print("interrupted")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "interrupted", done.stderr
    [record] = call_log.list()
    assert record.error_type == "CancelledError" and record.backend == "slow"


async def test_a_call_under_an_unregistered_run_id_keeps_its_answer_and_record(db, call_log):
    gw = make({"local": ScriptedBackend(["Paris"], name="local")}, call_log=call_log)
    with call_context(run_id="no-such-run", caller="test"):
        out = await gw.generate(Q)
    assert out.text == "Paris" and out.call_id is not None
    [record] = call_log.list(CallFilter(run_id="no-such-run"))
    assert record.output == "Paris"


async def test_a_failing_call_log_never_costs_the_caller_its_answer(db, call_log, caplog):
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE calls"))
    gw = make({"local": ScriptedBackend(["Paris"], name="local")}, call_log=call_log)
    out = await gw.generate(Q)
    assert out.text == "Paris" and out.call_id is None
    assert "call log write failed" in caplog.text


async def test_a_stream_that_keeps_producing_outlives_the_per_call_deadline():
    # Ten words 0.1 s apart: 0.9 s in all, against a 0.3 s deadline between chunks.
    steady = ScriptedBackend(
        [" ".join(f"w{i}" for i in range(10))], name="steady", chunk_delay_s=0.1
    )
    gw = make({"steady": steady}, policies={"steady": TierPolicy(timeout_s=0.3)})
    text = "".join([c.delta async for c in gw.stream(Q) if c.delta])
    assert text.split() == [f"w{i}" for i in range(10)]


async def test_a_stream_that_stalls_or_runs_past_its_ceiling_times_out():
    stalled = ScriptedBackend(["a b c"], name="stalled", chunk_delay_s=0.5)
    gw = make(
        {"stalled": stalled},
        policies={"stalled": TierPolicy(timeout_s=0.2)},
        retry=RetryPolicy(max_retries=0, backoff_base_s=0, backoff_max_s=0),
    )
    with pytest.raises(BackendTimeoutError):
        _ = [c async for c in gw.stream(Q)]
    endless = ScriptedBackend(
        [" ".join(f"w{i}" for i in range(50))], name="endless", chunk_delay_s=0.05
    )
    gw = make(
        {"endless": endless},
        policies={"endless": TierPolicy(timeout_s=0.3, stream_max_s=0.5)},
        retry=RetryPolicy(max_retries=0, backoff_base_s=0, backoff_max_s=0),
    )
    with pytest.raises(BackendTimeoutError):
        _ = [c async for c in gw.stream(Q)]


async def test_a_slow_consumer_is_not_cancelled_by_the_streams_deadline():
    """The deadline is the backend's: a caller that takes longer than it between chunks (a
    client on a slow socket) gets the whole answer, not a CancelledError at its own await."""
    backend = ScriptedBackend(["one two three"], name="b", chunk_delay_s=0.01)
    gw = make({"b": backend}, policies={"b": TierPolicy(timeout_s=0.2)})
    words = []
    async for chunk in gw.stream(Q):
        if chunk.delta:
            words.append(chunk.delta.strip())
        await asyncio.sleep(0.4)
    assert words == ["one", "two", "three"]
