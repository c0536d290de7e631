"""A real HTTP server on 127.0.0.1 for tests of API clients (the `stub_server` fixture).

A test module writes only the dialect of the API it stands in for: a function from a GET
request's path, query and headers to the reply's status, content type and body. The server
records every request it gets, so a test can check what the client sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

Reply = tuple[int, str, bytes]
"""Status, Content-Type and body."""
Dialect = Callable[[str, dict[str, str], dict[str, str]], Reply]
"""Answers (path, query, headers) with a Reply; a query holds each parameter's first value."""


class Request(NamedTuple):
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    server: StubServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        request = Request(parts.path, query, dict(self.headers))
        self.server.requests.append(request)
        status, content_type, body = self.server.dialect(*request)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class StubServer(ThreadingHTTPServer):
    """Serves `dialect` on an ephemeral port from a daemon thread until `stop()` (or the end
    of a `with` block)."""

    daemon_threads = True

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.dialect = dialect
        self.requests: list[Request] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def stop(self) -> None:
        """Frees the port, so later requests fail to connect; stopping twice is harmless."""
        if self.socket.fileno() != -1:
            self.shutdown()
            self.server_close()

    def __enter__(self) -> StubServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
