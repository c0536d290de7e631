"""An upstream backend's API key never leaves the process it is used in: not in
/health/ready, not in error bodies of /v1/chat/completions, not in the call log, not in
the server's logs — even when the upstream echoes the key back in its error responses."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from lyceum.config import load_settings
from lyceum.server import create_app
from lyceum.store.db import open_database

SECRET = "sk-upstream-SECRET-7f3a9c1e5b2d4680"


class EchoingUpstream(BaseHTTPRequestHandler):
    """A careless upstream: every answer quotes the Authorization header it received.
    The status comes from the path's first segment (/401/v1/..., /500/v1/...)."""

    def _answer(self) -> None:
        status = int(self.path.strip("/").split("/")[0])
        auth = self.headers.get("Authorization", "")
        body = json.dumps({"error": {"message": f"rejected credentials {auth!r}"}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoingUpstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("failure", ["401", "400", "500", "unreachable"])
def test_upstream_api_key_never_appears_in_responses_call_log_or_logs(
    workspace: Path, upstream: str, monkeypatch, caplog, failure: str
):
    monkeypatch.setenv("UPSTREAM_TEST_KEY", SECRET)
    base = (
        f"http://127.0.0.1:{_unused_port()}/v1"
        if failure == "unreachable"
        else f"{upstream}/{failure}/v1"
    )
    (workspace / "lyceum.toml").write_text(
        f"""
[models.up]
kind = "openai"
base_url = "{base}"
model = "gpt-test"
api_key_env = "UPSTREAM_TEST_KEY"
context_window = 8192
timeout_s = 5
[gateway]
tiers = ["up"]
max_retries = 0
[server]
rate_limit_per_min = 100000
"""
    )
    settings = load_settings(workspace)
    caplog.set_level(logging.DEBUG)
    chat = {"model": "default", "messages": [{"role": "user", "content": "hi"}]}
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        # The probe sends the backend a generation and reports its error.
        ready = c.get("/health/ready", params={"probe": "true"})
        plain = c.post("/v1/chat/completions", json=chat)
        streamed = c.post("/v1/chat/completions", json={**chat, "stream": True})
        calls = c.get("/api/calls")
    assert ready.status_code == 503
    assert plain.status_code >= 400
    bodies = {
        "ready": ready.text,
        "chat": plain.text,
        "stream": streamed.text,
        "calls": calls.text,
    }
    leaked = [where for where, body in bodies.items() if SECRET in body]
    assert not leaked, f"key in {leaked}: {bodies}"
    assert SECRET not in caplog.text
    # The failure is still explained: the backend is named, the key masked.
    assert plain.json()["error"]["message"].startswith("up: ")
    if failure in ("400", "500"):
        assert "*" * len(SECRET) in plain.json()["error"]["message"]


def test_upstream_api_key_never_reaches_the_call_log_rows(workspace: Path, upstream, monkeypatch):
    monkeypatch.setenv("UPSTREAM_TEST_KEY", SECRET)
    (workspace / "lyceum.toml").write_text(
        f"""
[models.up]
kind = "openai"
base_url = "{upstream}/500/v1"
model = "gpt-test"
api_key_env = "UPSTREAM_TEST_KEY"
context_window = 8192
[gateway]
tiers = ["up"]
max_retries = 0
"""
    )
    settings = load_settings(workspace)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        c.post(
            "/v1/chat/completions",
            json={"model": "default", "messages": [{"role": "user", "content": "hi"}]},
        )
    db = open_database(settings.database_url)
    with db.engine.connect() as conn:
        rows = " ".join(str(row) for row in conn.execute(text("SELECT * FROM calls")))
    assert "rejected credentials" in rows
    assert SECRET not in rows
