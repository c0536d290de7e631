"""The Anthropic backend against a real HTTP server on 127.0.0.1 speaking the Messages API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from lyceum.config_backends import AnthropicBackendConfig
from lyceum.errors import ConfigError, RateLimitedError
from lyceum.llm.backends.anthropic import AnthropicBackend, to_anthropic
from lyceum.llm.types import GenerateParams, Message, ToolCall, ToolSpec

pytest.importorskip("anthropic")


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict]] = []
    status = 200

    def log_message(self, *args: object) -> None:
        return

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"body": body, "headers": dict(self.headers)})
        if type(self).status != 200:
            payload = {"type": "error", "error": {"type": "rate_limit_error", "message": "slow"}}
            status = type(self).status
        elif body.get("tools"):
            payload = {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [
                    {"type": "tool_use", "id": "tu_1", "name": "calc", "input": {"x": "2+2"}}
                ],
                "stop_reason": "tool_use",
                "usage": {"input_tokens": 12, "output_tokens": 7},
            }
            status = 200
        else:
            payload = {
                "id": "msg_2",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [{"type": "text", "text": "Paris."}],
                "stop_reason": "end_turn",
                "usage": {"input_tokens": 10, "output_tokens": 3},
            }
            status = 200
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.requests = []
    _Handler.status = 200
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def backend(url: str) -> AnthropicBackend:
    return AnthropicBackend("claude", AnthropicBackendConfig(base_url=url, model="claude-test"))


async def test_round_trip_with_system_prompt_and_usage(server, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    out = await backend(server).generate(
        [Message.system("Be brief."), Message.user("Capital of France?")],
        GenerateParams(max_tokens=20, stop=("\n",)),
    )
    assert out.text == "Paris." and out.usage.prompt_tokens == 10 and out.finish_reason == "stop"
    sent = _Handler.requests[-1]
    assert "sk-test" in str(sent["headers"]) and sent["body"]["system"] == "Be brief."
    assert (
        sent["body"]["stop_sequences"] == ["\n"] and sent["body"]["messages"][0]["role"] == "user"
    )


async def test_tool_use_becomes_tool_calls(server, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    out = await backend(server).generate(
        [Message.user("2+2?")], GenerateParams(tools=(ToolSpec(name="calc", description="math"),))
    )
    assert out.tool_calls == (ToolCall(id="tu_1", name="calc", arguments={"x": "2+2"}),)
    assert out.finish_reason == "tool_calls"


async def test_rate_limit_is_retryable(server, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    _Handler.status = 429
    with pytest.raises(RateLimitedError) as info:
        await backend(server).generate([Message.user("hi")])
    assert info.value.retryable and len(_Handler.requests) == 1  # SDK retries are off


async def test_missing_key_names_the_variable(server, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ConfigError) as info:
        await backend(server).generate([Message.user("hi")])
    assert "ANTHROPIC_API_KEY" in info.value.hint


def test_tool_turns_translate_to_tool_use_and_tool_result_blocks():
    system, msgs = to_anthropic(
        [
            Message.system("s"),
            Message.user("2+2?"),
            Message.assistant("", tool_calls=(ToolCall(id="t1", name="calc", arguments={"x": 1}),)),
            Message.tool("4", tool_call_id="t1"),
        ]
    )
    assert system == "s"
    assert msgs[1]["content"][0] == {
        "type": "tool_use",
        "id": "t1",
        "name": "calc",
        "input": {"x": 1},
    }
    assert msgs[2] == {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "4"}],
    }
