"""The OpenAI-compatible backend and the gateway against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

from lyceum.config_backends import OpenAIBackendConfig
from lyceum.errors import (
    BackendTimeoutError,
    BackendUnavailableError,
    ContextLengthError,
    ServerError,
)
from lyceum.llm.backends.openai_compat import OpenAICompatBackend
from lyceum.llm.backends.openai_context import context_from_metadata
from lyceum.llm.backends.openai_wire import satisfies_strict_mode
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.gateway import Gateway, RetryPolicy, TierPolicy
from lyceum.llm.structured import json_schema_for
from lyceum.llm.types import GenerateParams, Message
from lyceum.store.calls import CallFilter
from lyceum.testing.openai_stub import OpenAIStubServer

Q = [Message.user("hello there")]
FAST = RetryPolicy(max_retries=2, backoff_base_s=0.01, backoff_max_s=0.02)


@pytest.fixture
def stub():
    with OpenAIStubServer() as server:
        yield server


def backend_for(stub: OpenAIStubServer, **kw) -> OpenAICompatBackend:
    cfg = OpenAIBackendConfig(base_url=stub.base_url, model="stub-model", api_key_env=None, **kw)
    return OpenAICompatBackend("remote", cfg)


async def test_generate_round_trip_with_usage(stub):
    backend = backend_for(stub)
    out = await backend.generate(Q, GenerateParams(max_tokens=16, stop=("x",), seed=3))
    assert out.text == "echo: hello there" and out.usage.completion_tokens == 3
    sent = stub.state.requests[-1]
    assert sent["max_tokens"] == 16 and sent["stop"] == ["x"] and sent["seed"] == 3
    await backend.aclose()


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    score: int


class ClosedOuter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[Closed]
    best: Closed | None


class OpenInner(BaseModel):
    name: str


class OuterWithOpenInner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    inner: OpenInner


class WithDefault(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    score: int = 0


async def test_json_schema_is_sent_as_response_format(stub):
    backend = backend_for(stub)
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    await backend.generate(Q, GenerateParams(json_schema=schema))
    fmt = stub.state.requests[-1]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"] == schema


async def test_a_pydantic_schema_with_open_objects_is_sent_without_strict(stub):
    backend = backend_for(stub)
    await backend.generate(Q, GenerateParams(json_schema=json_schema_for(OpenInner)))
    assert stub.state.requests[-1]["response_format"]["json_schema"]["strict"] is False


async def test_a_closed_schema_is_sent_with_strict(stub):
    backend = backend_for(stub)
    await backend.generate(Q, GenerateParams(json_schema=json_schema_for(ClosedOuter)))
    sent = stub.state.requests[-1]["response_format"]["json_schema"]
    assert sent["strict"] is True and sent["schema"] == json_schema_for(ClosedOuter)


@pytest.mark.parametrize(
    ("model", "strict"),
    [
        (Closed, True),
        (ClosedOuter, True),  # nested objects through arrays and anyOf, all closed
        (OpenInner, False),  # no additionalProperties: false
        (OuterWithOpenInner, False),  # the root is closed, a nested object is not
        (WithDefault, False),  # a defaulted field is left out of `required`
    ],
)
def test_strict_mode_needs_every_object_closed_and_fully_required(model, strict):
    assert satisfies_strict_mode(json_schema_for(model)) is strict


def test_strict_mode_needs_an_object_at_the_root():
    assert not satisfies_strict_mode({"type": "array", "items": {"type": "string"}})
    closed = {"type": "object", "properties": {}, "additionalProperties": False}
    assert satisfies_strict_mode(closed)


async def test_stream_yields_incremental_chunks(stub):
    backend = backend_for(stub)
    chunks = [c async for c in backend.stream(Q)]
    assert "".join(c.delta for c in chunks) == "echo: hello there"
    assert chunks[-1].finish_reason == "stop" and chunks[-1].usage.completion_tokens == 3


@pytest.mark.parametrize(
    ("fault", "error"),
    [("500", ServerError), ("malformed", ServerError), ("drop", BackendUnavailableError)],
)
async def test_faults_map_to_retryable_errors(stub, fault, error):
    stub.inject(fault)
    with pytest.raises(error) as info:
        await backend_for(stub).generate(Q)
    assert info.value.retryable


async def test_unreachable_server_is_a_clear_retryable_error():
    cfg = OpenAIBackendConfig(base_url="http://127.0.0.1:9/v1", model="m", api_key_env=None)
    with pytest.raises(BackendUnavailableError) as info:
        await OpenAICompatBackend("gone", cfg).generate(Q)
    assert "cannot reach" in str(info.value) and info.value.hint


async def test_prompt_over_detected_context_window_is_refused(stub):
    stub.state.context_window = 64
    backend = backend_for(stub)
    long = [Message.user("word " * 400)]
    with pytest.raises(ContextLengthError) as info:
        await backend.generate(long, GenerateParams(max_tokens=16))
    assert backend.context_window == 64 and "truncate" in info.value.hint
    assert stub.request_count == 0  # refused before sending


async def test_truncate_mode_drops_oldest_turns_with_a_warning(stub, caplog):
    stub.state.context_window = 200
    backend = backend_for(stub, on_overflow="truncate")
    convo = [Message.system("sys")] + [Message.user("old " * 100)] * 5 + [Message.user("latest")]
    out = await backend.generate(convo, GenerateParams(max_tokens=16))
    sent = stub.state.requests[-1]["messages"]
    assert sent[0]["role"] == "system" and sent[-1]["content"] == "latest" and len(sent) < 7
    assert out.text == "echo: latest" and "dropped oldest turns" in caplog.text


async def test_server_side_context_error_is_not_retried(stub):
    stub.inject("context")
    with pytest.raises(ContextLengthError):
        await backend_for(stub).generate(Q)


def test_context_window_is_read_from_each_servers_metadata():
    assert context_from_metadata({"data": [{"id": "m", "max_model_len": 32768}]}, "m") == 32768
    assert context_from_metadata({"default_generation_settings": {"n_ctx": 4096}}, "m") == 4096
    assert context_from_metadata({"parameters": "num_ctx 8192\nstop x"}, "m") == 8192
    assert context_from_metadata({"model_info": {"qwen2.context_length": 32768}}, "m") == 2048


async def test_gateway_retries_injected_faults_then_succeeds_and_records(stub, call_log):
    stub.inject("500", "malformed")
    gw = Gateway({"remote": backend_for(stub)}, ["remote"], retry=FAST, call_log=call_log)
    out = await gw.generate(Q)
    assert out.text == "echo: hello there"
    [record] = call_log.list()
    assert record.attempts == 3 and record.error is None and stub.request_count == 3


async def test_gateway_times_out_a_hanging_server_and_falls_back(stub, call_log):
    stub.state.hang_s = 3
    stub.inject("hang", "hang", "hang")
    fallback = ScriptedBackend(["fallback answer"], name="local")
    gw = Gateway(
        {"remote": backend_for(stub), "local": fallback},
        ["remote", "local"],
        retry=RetryPolicy(max_retries=0, backoff_base_s=0, backoff_max_s=0),
        policies={"remote": TierPolicy(timeout_s=0.3), "local": TierPolicy()},
        call_log=call_log,
    )
    out = await gw.generate(Q)
    assert out.text == "fallback answer" and out.backend == "local"
    errors = call_log.list(CallFilter(errors_only=True))
    assert [e.error_type for e in errors] == [BackendTimeoutError.__name__]


async def test_gateway_opens_breaker_on_a_failing_server_and_uses_next_tier(stub, call_log):
    stub.inject(*["500"] * 20)
    fallback = ScriptedBackend([], name="local", default_output="from local")
    gw = Gateway(
        {"remote": backend_for(stub), "local": fallback},
        ["remote", "local"],
        retry=RetryPolicy(max_retries=1, backoff_base_s=0.0, backoff_max_s=0.0),
        breaker_failure_threshold=3,
        breaker_reset_s=60,
        call_log=call_log,
    )
    answers = [await gw.generate([Message.user(f"q{i}")]) for i in range(4)]
    assert all(a.backend == "local" for a in answers)
    assert gw.breaker_state("remote") == "open"
    assert stub.request_count == 3  # the open circuit kept later calls off the server
    summary = call_log.summary()
    assert summary.calls == 8 and summary.errors == 4


async def test_stream_dropped_mid_way_raises_and_records_partial_output(stub, call_log):
    stub.inject("drop_mid_stream")
    gw = Gateway({"remote": backend_for(stub)}, ["remote"], retry=FAST, call_log=call_log)
    long_q = [Message.user("one two three four five six seven eight")]
    got = []
    with pytest.raises(BackendUnavailableError):
        async for chunk in gw.stream(long_q):
            got.append(chunk.delta)
    assert got  # text reached the caller before the drop, so no silent fallback
    [record] = call_log.list()
    assert record.streamed and record.output == "".join(got) and record.error_type


# --- counting a prompt against the context window -----------------------------------------

CODE = "x=f(a,b);" * 40  # 360 characters: 90 tokens at 4 a token, 360 by a real-ish tokenizer


@pytest.mark.parametrize("dialect", ["llama.cpp", "vllm"])
async def test_a_code_prompt_the_char_estimate_would_pass_is_refused_by_the_servers_count(dialect):
    with OpenAIStubServer(context_window=200, tokenizer=dialect) as stub:
        backend = backend_for(stub)
        with pytest.raises(ContextLengthError) as info:
            await backend.generate([Message.user(CODE)], GenerateParams(max_tokens=16))
        assert await backend.probe_tokenizer() == dialect
        assert "counted by the server" in str(info.value) and stub.request_count == 0
        await backend.aclose()


async def test_without_a_server_tokenizer_the_estimate_counts_three_characters_a_token(stub):
    stub.state.context_window = 200
    backend = backend_for(stub)
    prose = [Message.user("word " * 120)]  # 600 characters: 150 tokens at 4, 200 at 3
    with pytest.raises(ContextLengthError) as info:
        await backend.generate(prose, GenerateParams(max_tokens=16))
    assert "estimated" in str(info.value) and stub.request_count == 0
    assert await backend.probe_tokenizer() is None
    await backend.aclose()


async def test_the_tokenizer_is_probed_once_and_short_prompts_are_not_counted(stub):
    stub.state.context_window = 4096
    stub.state.tokenizer = "vllm"
    backend = backend_for(stub)
    await backend.generate(Q, GenerateParams(max_tokens=16))
    assert stub.state.tokenize_requests == 0  # fits even at one token a character
    for _ in range(2):
        await backend.generate([Message.user("word " * 900)], GenerateParams(max_tokens=16))
    # llama.cpp's dialect refused, vLLM's answered, then one count per call.
    assert stub.state.tokenize_requests == 2 + 1 + 1
    assert stub.request_count == 3
    await backend.aclose()


async def test_max_tokens_is_reserved_out_of_the_window(stub):
    stub.state.context_window = 200
    backend = backend_for(stub)
    prompt = [Message.user("word " * 90)]  # about 158 tokens by the estimate
    assert (await backend.generate(prompt, GenerateParams(max_tokens=16))).text
    with pytest.raises(ContextLengthError):
        await backend.generate(prompt, GenerateParams(max_tokens=64))
    await backend.aclose()


async def test_a_failing_tokenizer_falls_back_to_the_estimate(stub):
    stub.state.context_window = 200
    stub.state.tokenizer = "llama.cpp"
    backend = backend_for(stub)
    assert await backend.probe_tokenizer() == "llama.cpp"
    stub.state.tokenizer = None  # the route starts failing
    counts, exact = await backend.message_tokens([Message.user("abc" * 30)])
    assert (counts, exact) == ([30 + 8], False)
    await backend.aclose()
