"""The fault-injecting OpenAI stub server the gateway tests and benchmarks stand on:
it must keep connections alive, absorb many concurrent clients, and still fail on cue."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from lyceum.testing.openai_stub import OpenAIStubServer, stub_tokens

CHAT = {"model": "stub-model", "messages": [{"role": "user", "content": "hi there"}]}


@pytest.fixture
def stub():
    with OpenAIStubServer() as server:
        yield server


async def test_one_client_reuses_one_connection_for_plain_and_streamed_answers(stub):
    async with httpx.AsyncClient(base_url=stub.base_url) as client:
        for i in range(6):
            body = {**CHAT, "stream": i % 2 == 1}
            resp = await client.post("/chat/completions", json=body)
            assert resp.status_code == 200
            if body["stream"]:
                assert resp.text.rstrip().endswith("data: [DONE]")
            else:
                assert resp.json()["choices"][0]["message"]["content"] == "echo: hi there"
    assert stub.state.connections == 1


async def test_a_hundred_concurrent_clients_are_all_answered(stub):
    stub.state.delay_s = 0.05
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=stub.base_url, limits=limits) as client:
        for _ in range(2):
            replies = await asyncio.gather(
                *(client.post("/chat/completions", json=CHAT) for _ in range(100))
            )
            assert [r.status_code for r in replies] == [200] * 100
    assert stub.request_count == 200
    assert stub.state.connections < 200  # most of the second round rode kept-alive connections


async def test_faults_still_fire_on_kept_alive_connections(stub):
    async with httpx.AsyncClient(base_url=stub.base_url) as client:
        stub.inject("500", "malformed", "drop_mid_stream", "drop")
        assert (await client.post("/chat/completions", json=CHAT)).status_code == 500
        malformed = await client.post("/chat/completions", json=CHAT)
        with pytest.raises(json.JSONDecodeError):
            malformed.json()
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/chat/completions", json={**CHAT, "stream": True})
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/chat/completions", json=CHAT)
        assert (await client.post("/chat/completions", json=CHAT)).status_code == 200


@pytest.mark.parametrize(
    ("dialect", "body", "count_key"),
    [
        ("llama.cpp", {"content": "x = f(a, b);"}, None),
        ("vllm", {"prompt": "x = f(a, b);"}, "count"),
    ],
)
def test_tokenize_speaks_llama_cpp_and_vllm(dialect, body, count_key):
    with OpenAIStubServer(tokenizer=dialect) as stub:
        resp = httpx.post(stub.base_url.removesuffix("/v1") + "/tokenize", json=body)
    assert resp.status_code == 200
    assert len(resp.json()["tokens"]) == len(stub_tokens("x = f(a, b);")) == 9
    if count_key:
        assert resp.json()[count_key] == 9


def test_tokenize_is_absent_unless_asked_for(stub):
    resp = httpx.post(stub.base_url.removesuffix("/v1") + "/tokenize", json={"content": "x"})
    assert resp.status_code == 404
