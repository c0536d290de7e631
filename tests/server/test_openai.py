"""The OpenAI-compatible endpoint, checked with the official `openai` client against a real
uvicorn server on loopback, and in-process for error shapes."""

from __future__ import annotations

import openai
import pytest

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import Completion, ToolCall, Usage
from lyceum.store.calls import CallFilter, CallLog
from lyceum.store.db import open_database


def _ask(content: str = "What is the capital of France?") -> list[dict[str, str]]:
    return [{"role": "user", "content": content}]


def test_openai_client_lists_models_and_completes(make_app, live_server, settings):
    with live_server(make_app()) as server:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0)
        models = [m.id for m in client.models.list()]
        assert models[0] == "default"
        assert {"brain", "fake"} <= set(models)

        reply = client.chat.completions.create(model="default", messages=_ask())
        assert reply.choices[0].message.content == "Paris is the capital of France."
        assert reply.choices[0].finish_reason == "stop"
        assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens

        again = client.chat.completions.with_raw_response.create(model="default", messages=_ask())
        assert again.headers["x-lyceum-cache"] == "exact"
        assert again.parse().choices[0].message.content == "Paris is the capital of France."

    calls = CallLog(open_database(settings.database_url)).list(CallFilter(caller="server.openai"))
    assert len(calls) == 2
    assert sorted(c.cache_hit for c in calls) == ["", "exact"]


def test_openai_client_streams_through_the_gateway(make_app, live_server, settings):
    with live_server(make_app()) as server:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0)
        stream = client.chat.completions.create(
            model="fake",
            messages=_ask("stream please"),
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Paris is the capital of France."
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None
    calls = CallLog(open_database(settings.database_url)).list(CallFilter(caller="server.openai"))
    assert [c.streamed for c in calls] == [True]


def test_openai_client_gets_a_clear_error_for_an_unknown_model(make_app, live_server):
    with live_server(make_app()) as server:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0)
        with pytest.raises(openai.NotFoundError) as info:
            client.chat.completions.create(model="gpt-nope", messages=_ask())
    assert "gpt-nope" in str(info.value)
    assert info.value.body["code"] == "model_not_found"


def test_tool_calls_round_trip_in_openai_shape(make_app):
    from fastapi.testclient import TestClient

    backend = ScriptedBackend(
        [
            Completion(
                text="",
                tool_calls=(ToolCall(id="c1", name="calculator", arguments={"expression": "2+2"}),),
                finish_reason="tool_calls",
                usage=Usage(prompt_tokens=3, completion_tokens=2),
            )
        ],
        name="fake",
    )
    with TestClient(make_app(backend)) as c:
        r = c.post(
            "/v1/chat/completions",
            json={
                "model": "default",
                "messages": _ask("2+2?"),
                "tools": [
                    {
                        "type": "function",
                        "function": {"name": "calculator", "parameters": {"type": "object"}},
                    }
                ],
            },
        )
    assert r.status_code == 200
    msg = r.json()["choices"][0]["message"]
    assert msg["content"] is None
    assert msg["tool_calls"][0]["function"] == {
        "name": "calculator",
        "arguments": '{"expression": "2+2"}',
    }
    assert r.json()["choices"][0]["finish_reason"] == "tool_calls"
    assert backend.history[0].params.tools[0].name == "calculator"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"model": "default", "messages": []}, "messages"),
        ({"model": "default", "messages": [{"role": "wizard", "content": "x"}]}, "role"),
        ({"model": "default", "messages": _ask(), "n": 3}, "n"),
        ({"model": "default", "messages": _ask(), "temperature": 7}, "temperature"),
        (
            {"model": "default", "messages": [{"role": "tool", "content": "4"}]},
            "tool_call_id",
        ),
    ],
)
def test_invalid_requests_are_422_naming_the_field(client, body, fragment):
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 422
    assert fragment in r.json()["error"]["message"]


def test_backend_failure_is_a_5xx_in_openai_error_shape(make_app):
    from fastapi.testclient import TestClient

    from lyceum.errors import ServerError

    backend = ScriptedBackend([ServerError("upstream exploded")], name="fake", default_output=None)
    with TestClient(make_app(backend)) as c:
        r = c.post("/v1/chat/completions", json={"model": "default", "messages": _ask()})
    assert r.status_code == 502
    assert "upstream exploded" in r.json()["error"]["message"]
