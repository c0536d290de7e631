"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol, with
fault injection: for end-to-end tests of the gateway and for benchmarks.

It answers deterministically ("echo: <last user message>") after an optional delay, or,
given an `upstream` URL, forwards requests to a real server (llama.cpp's, vLLM, ...) and
relays its answers, becoming a fault-injecting proxy. Either way it can be told to fail
the next requests in the ways real servers fail: a 500, a hang past the client's
deadline, a malformed body, or a connection dropped in the middle of a stream. Built on
the standard library's threading HTTP server so it starts in milliseconds and needs no
extra dependency; it keeps connections alive (HTTP/1.1, streams sent chunked) and has a
deep listen backlog, so many concurrent clients are queued rather than refused.

Its `/tokenize` route answers in llama.cpp's dialect (`{"content"}` in, `{"tokens"}` out)
or vLLM's (`{"model", "prompt"}` in, `{"count", "tokens"}` out), or not at all like
Ollama, as `tokenizer` says. Its tokenizer splits words and punctuation apart, so code
and symbols cost more tokens than characters/4, as with real BPE tokenizers.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Fault = Literal["ok", "500", "429", "hang", "malformed", "drop", "drop_mid_stream", "context"]
Tokenizer = Literal["llama.cpp", "vllm"]

_TOKEN = re.compile(r"\w+|[^\w\s]")


def stub_tokens(text: str) -> list[str]:
    """The stub server's tokens of `text`: each word and each punctuation mark."""
    return _TOKEN.findall(text)


@dataclass
class StubState:
    delay_s: float = 0.0
    hang_s: float = 30.0
    context_window: int | None = None
    upstream: str | None = None
    upstream_key: str | None = None
    tokenizer: Tokenizer | None = None
    tokenize_requests: int = 0
    connections: int = 0  # TCP connections accepted, to see keep-alive at work
    faults: deque[Fault] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)  # chat completions only
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_fault(self) -> Fault:
        with self.lock:
            return self.faults.popleft() if self.faults else "ok"


def _answer(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    last = next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")
    return f"echo: {last}"


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content") or "").split()) for m in body.get("messages") or [])
    return {"prompt_tokens": prompt, "completion_tokens": len(text.split())}


class _Handler(BaseHTTPRequestHandler):
    server: _StubHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def setup(self) -> None:
        super().setup()
        with self.server.state.lock:
            self.server.state.connections += 1

    def _json(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        state = self.server.state
        if self.path.rstrip("/").endswith("/models"):
            entry: dict[str, Any] = {"id": "stub-model", "object": "model"}
            if state.context_window:
                entry["max_model_len"] = state.context_window
            self._json(200, {"object": "list", "data": [entry]})
        elif self.path.rstrip("/").endswith("/health"):
            self._json(200, {"status": "ok"})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path.rstrip("/") == "/tokenize":
            self._tokenize(body)
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": "not found"})
            return
        with state.lock:
            state.requests.append(body)
        fault = state.next_fault()
        if state.delay_s:
            time.sleep(state.delay_s)
        if fault == "500":
            self._json(500, {"error": {"message": "injected server error"}})
        elif fault == "429":
            self._json(429, {"error": {"message": "slow down"}})
        elif fault == "context":
            self._json(400, {"error": {"message": "This model's maximum context length is 10"}})
        elif fault == "hang":
            time.sleep(state.hang_s)
            self._json(500, {"error": "too late"})
        elif fault == "malformed":
            data = b'{"choices": [ {"message": '
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif fault == "drop":
            self._drop()
        elif state.upstream is not None:
            self._forward(body, drop=fault == "drop_mid_stream")
        elif body.get("stream"):
            self._stream(body, drop=fault == "drop_mid_stream")
        else:
            text = _answer(body)
            self._json(
                200,
                {
                    "id": "chatcmpl-stub",
                    "object": "chat.completion",
                    "model": body.get("model") or "stub-model",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": _usage(body, text),
                },
            )

    def _tokenize(self, body: dict[str, Any]) -> None:
        state = self.server.state
        with state.lock:
            state.tokenize_requests += 1
        field_name = {"llama.cpp": "content", "vllm": "prompt"}.get(state.tokenizer or "")
        if field_name is None:
            self._json(404, {"error": "not found"})
        elif not isinstance(body.get(field_name), str):
            self._json(400, {"error": {"message": f"'{field_name}' must be a string"}})
        else:
            ids = list(range(len(stub_tokens(body[field_name]))))
            if state.tokenizer == "vllm":
                self._json(200, {"count": len(ids), "tokens": ids, "max_model_len": 0})
            else:
                self._json(200, {"tokens": ids})

    def _start_chunked(self, status: int, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _drop(self) -> None:
        self.close_connection = True
        self.connection.shutdown(2)

    def _forward(self, body: dict[str, Any], drop: bool) -> None:
        state = self.server.state
        headers = {"Content-Type": "application/json"}
        if state.upstream_key:
            headers["Authorization"] = f"Bearer {state.upstream_key}"
        request = urllib.request.Request(
            f"{state.upstream}/chat/completions", data=json.dumps(body).encode(), headers=headers
        )
        try:
            upstream = urllib.request.urlopen(request, timeout=300)
        except urllib.error.HTTPError as exc:
            self._json(exc.code, {"error": {"message": exc.read().decode(errors="replace")}})
            return
        with upstream:
            self._start_chunked(
                upstream.status, upstream.headers.get("Content-Type", "application/json")
            )
            for lines, line in enumerate(upstream, start=1):
                self._chunk(line)
                if drop and lines == 4:
                    self._drop()
                    return
            self._chunk(b"")

    def _stream(self, body: dict[str, Any], drop: bool) -> None:
        text = _answer(body)
        self._start_chunked(200, "text/event-stream")
        words = text.split(" ")
        for i, word in enumerate(words):
            delta = word if i == 0 else " " + word
            event = {"choices": [{"index": 0, "delta": {"content": delta}, "finish_reason": None}]}
            self._chunk(f"data: {json.dumps(event)}\n\n".encode())
            if drop and i == len(words) // 2:
                self._drop()
                return
        done = {
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            "usage": _usage(body, text),
        }
        self._chunk(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
        self._chunk(b"")


class _StubHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 overflows when dozens of clients connect at once, and the
    # kernel then drops or resets connections: the benchmark's "dropped connections".
    request_queue_size = 1024
    state: StubState


class OpenAIStubServer:
    """`with OpenAIStubServer() as stub:` serves on `stub.base_url` until the block ends."""

    def __init__(
        self,
        delay_s: float = 0.0,
        context_window: int | None = None,
        *,
        upstream: str | None = None,
        upstream_key: str | None = None,
        tokenizer: Tokenizer | None = None,
    ) -> None:
        self.state = StubState(
            delay_s=delay_s,
            context_window=context_window,
            tokenizer=tokenizer,
            upstream=upstream.rstrip("/") if upstream else None,
            upstream_key=upstream_key,
        )
        self._server = _StubHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.state = self.state
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}/v1"

    def inject(self, *faults: Fault) -> None:
        with self.state.lock:
            self.state.faults.extend(faults)

    @property
    def request_count(self) -> int:
        return len(self.state.requests)

    def start(self) -> OpenAIStubServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> OpenAIStubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
