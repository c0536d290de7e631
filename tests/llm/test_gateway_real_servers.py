"""End to end against real model servers: the embedded model through the gateway, and
llama.cpp's own HTTP server (started in-process by xllamacpp) behind a fault-injecting
proxy, reached over HTTP by the OpenAI-compatible backend."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lyceum.config_backends import LocalBackendConfig, OpenAIBackendConfig
from lyceum.errors import BackendUnavailableError, ContextLengthError
from lyceum.llm.backends.openai_compat import OpenAICompatBackend
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.cache import ExactCache
from lyceum.llm.context import call_context
from lyceum.llm.gateway import Gateway, RetryPolicy
from lyceum.llm.types import GenerateParams, Message
from lyceum.store.calls import CallFilter
from lyceum.testing.openai_stub import OpenAIStubServer

GROUNDED = [
    Message.system("Answer with only the requested fact, taken from the context."),
    Message.user(
        "Context: The Zorbian Bridge over the river Mell was opened in 1923 by mayor "
        "Ada Kettering.\nQuestion: Who opened the Zorbian Bridge?"
    ),
]


@pytest.fixture(scope="module")
def qwen_local(embedded_model_path: Path) -> Iterator[object]:
    from lyceum.llm.backends.local import LocalBackend

    config = LocalBackendConfig(model=str(embedded_model_path), n_ctx=2048)
    backend = LocalBackend("local", config)
    yield backend
    asyncio.run(backend.aclose())


@pytest.fixture(scope="module")
def llama_server(embedded_model: Callable[[str], Path]) -> Iterator[tuple[str, str]]:
    """llama.cpp's server with SmolLM2 on 127.0.0.1: (base URL, API key)."""
    from lyceum.llm.backends.local import _acquire, _release

    path = embedded_model("smollm2-135m-instruct")
    loaded = _acquire(path, LocalBackendConfig(model=str(path), n_ctx=1024, n_parallel=2))
    yield f"{loaded.address}/v1", loaded.api_key
    _release(loaded)


async def test_embedded_model_answers_through_the_gateway_and_is_recorded(qwen_local, db, call_log):
    gw = Gateway({"local": qwen_local}, ["local"], call_log=call_log, exact_cache=ExactCache(db))
    with call_context(caller="test.e2e"):
        out = await gw.generate(GROUNDED, GenerateParams(max_tokens=24))
    assert "Kettering" in out.text
    [record] = call_log.list(CallFilter(caller="test.e2e"))
    assert record.backend == "local" and record.prompt_tokens > 20
    assert record.completion_tokens > 0 and record.latency_s > 0 and record.cost_usd == 0.0
    again = await gw.generate(GROUNDED, GenerateParams(max_tokens=24))
    assert again.text == out.text and again.cached == "exact"


async def test_real_llama_server_behind_fault_proxy_retries_and_falls_back(llama_server, call_log):
    base_url, key = llama_server
    with OpenAIStubServer(upstream=base_url, upstream_key=key) as proxy:
        cfg = OpenAIBackendConfig(base_url=proxy.base_url, model="smollm2", api_key_env=None)
        remote = OpenAICompatBackend("llama-server", cfg)
        fallback = ScriptedBackend([], name="fallback", default_output="fallback answer")
        gw = Gateway(
            {"llama-server": remote, "fallback": fallback},
            ["llama-server", "fallback"],
            retry=RetryPolicy(max_retries=2, backoff_base_s=0.01, backoff_max_s=0.05),
            breaker_failure_threshold=3,
            call_log=call_log,
        )
        params = GenerateParams(max_tokens=12, cache="bypass")
        q = [Message.user("Say hello.")]

        plain = await gw.generate(q, params)
        assert plain.backend == "llama-server" and plain.text and plain.usage.completion_tokens > 0

        proxy.inject("500", "malformed")
        retried = await gw.generate(q, params)
        assert retried.backend == "llama-server" and retried.text == plain.text

        streamed = "".join([c.delta async for c in gw.stream(q, params)])
        assert streamed == plain.text

        proxy.inject("drop_mid_stream")
        with pytest.raises(BackendUnavailableError):
            async for _ in gw.stream([Message.user("Count from one to ten.")], params):
                pass

        proxy.inject("drop", "drop", "drop")
        fell_back = await gw.generate(q, params)
        assert fell_back.backend == "fallback"
        await remote.aclose()

    records = call_log.list(CallFilter(limit=None))
    assert len(records) == 6
    assert [r.attempts for r in reversed(records)][:2] == [1, 3]
    assert {r.error_type for r in records if r.error} == {"BackendUnavailableError"}


async def test_real_llama_server_counts_the_prompt_with_its_own_tokenizer(
    llama_server, monkeypatch
):
    base_url, key = llama_server
    monkeypatch.setenv("LYCEUM_TEST_LLAMA_KEY", key)
    cfg = OpenAIBackendConfig(
        base_url=base_url, model="smollm2", api_key_env="LYCEUM_TEST_LLAMA_KEY"
    )
    remote = OpenAICompatBackend("llama-server", cfg)
    assert await remote.probe_context_window() == 1024
    assert await remote.probe_tokenizer() == "llama.cpp"

    counts, exact = await remote.message_tokens(GROUNDED)
    plain = await remote.generate(GROUNDED, GenerateParams(max_tokens=8, cache="bypass"))
    # The per-message allowance covers the chat template: never an undercount.
    assert exact and plain.usage.prompt_tokens <= sum(counts) <= plain.usage.prompt_tokens + 16

    code = [Message.user("x=f(a,b);" * 200)]  # 1,800 characters: 600 tokens at 3 a token
    with pytest.raises(ContextLengthError) as info:
        await remote.generate(code, GenerateParams(max_tokens=16, cache="bypass"))
    assert "counted by the server" in str(info.value)
    await remote.aclose()
