"""Hostile requests to a loopback server: DNS rebinding (a foreign Host), cross-site writes
(a foreign Origin, Sec-Fetch-Site), bodies a cross-site page can send without a preflight
(form and text content types), and names that only look like loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lyceum.server.guard import allowed_host_names, split_host_header
from lyceum.server.keys import KeyStore
from lyceum.server.run import InsecureBindError, check_bind
from lyceum.server.settings import is_loopback
from lyceum.store.db import open_database

pytestmark = pytest.mark.hostile

BASE = "http://127.0.0.1:8321"
CHAT = {"model": "default", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def local(make_app: Any) -> Iterator[TestClient]:
    """A client of a server bound to 127.0.0.1 with no keys, reached as 127.0.0.1:8321."""
    with TestClient(make_app(host="127.0.0.1"), base_url=BASE) as c:
        yield c


def _calls(c: TestClient) -> int:
    return len(c.get("/api/calls").json()["calls"])


FOREIGN_HOSTS = [
    "evil.example",
    "evil.example:8321",
    "127.0.0.1.evil.example",
    "localhost.evil.example:8321",
    "127.0.0.1@evil.example",
    "127.0.0.1:8321/path",
    "[::1",
    "[::1]x",
    "127.0.0.1:99999",
    "localhost:abc",
    "",
    "127.0.0.2",
    "0.0.0.0:8321",
]


def test_a_foreign_host_header_is_refused_before_any_route_runs(local):
    # DNS rebinding: the page's own name now resolves to 127.0.0.1, so the browser sends it.
    # (One app for every payload: building one per case would dominate the suite's time.)
    for host in FOREIGN_HOSTS:
        for method, path in (
            ("GET", "/api/calls"),
            ("GET", "/health"),
            ("POST", "/v1/chat/completions"),
        ):
            r = local.request(
                method, path, headers={"Host": host}, json=CHAT if method == "POST" else None
            )
            assert r.status_code == 421, (host, path, r.text)
            assert r.json()["error"]["type"] == "misdirected_request"
    assert _calls(local) == 0  # the refused chats never reached the model


def test_the_loopback_names_are_answered(local):
    for host in ("127.0.0.1:8321", "localhost:8321", "[::1]:8321", "LOCALHOST", "localhost."):
        assert local.get("/api/calls", headers={"Host": host}).status_code == 200, host


def test_allowed_hosts_adds_names_and_a_wildcard_bind_answers_any():
    assert "proxy.internal" in allowed_host_names("127.0.0.1", ["Proxy.Internal"])
    assert allowed_host_names("0.0.0.0") is None
    assert allowed_host_names("::", ["a.example"]) >= {"a.example", "localhost"}
    assert allowed_host_names("10.0.0.5") == frozenset({"10.0.0.5"})
    assert split_host_header("[::1]:80") == ("::1", "80")
    assert split_host_header("a.example:1:2") is None


FOREIGN_ORIGINS = [
    "http://evil.example",
    "null",
    "http://127.0.0.1:8321.evil.example",
    "http://localhost:3000",  # another local web app is another origin
    "http://127.0.0.1",
    "file://",
    "http://127.0.0.1:8321/../",
]


def test_state_changing_requests_from_another_origin_are_refused(local):
    for origin in FOREIGN_ORIGINS:
        r = local.post("/v1/chat/completions", json=CHAT, headers={"Origin": origin})
        assert r.status_code == 403, (origin, r.text)
        r = local.post("/api/research/jobs", json={"question": "why?"}, headers={"Origin": origin})
        assert r.status_code == 403, origin
    for site in ("cross-site", "same-site", "CROSS-SITE"):
        # A browser that marks the write cross-site is refused even without an Origin.
        r = local.post("/v1/chat/completions", json=CHAT, headers={"Sec-Fetch-Site": site})
        assert r.status_code == 403, site
    assert local.get("/api/research/jobs").json()["jobs"] == []
    assert _calls(local) == 0


def test_same_origin_and_non_browser_writes_go_through(local):
    assert (
        local.post("/v1/chat/completions", json=CHAT, headers={"Origin": BASE}).status_code == 200
    )
    same = {"Origin": BASE, "Sec-Fetch-Site": "same-origin"}
    assert local.post("/v1/chat/completions", json=CHAT, headers=same).status_code == 200
    assert local.post("/v1/chat/completions", json=CHAT).status_code == 200  # curl, SDKs
    # Reads from another origin get no CORS grant: the browser keeps the answer from the page.
    r = local.get("/api/calls", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_json_bodies_must_be_declared_json(local):
    # What a cross-site form or a `no-cors` fetch can send without a CORS preflight.
    import json

    for content_type in (
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonp",
        "",
    ):
        headers = {"Content-Type": content_type} if content_type else {}
        for path, body in (
            ("/v1/chat/completions", CHAT),
            ("/api/research/jobs", {"question": "why is the sky blue?"}),
            ("/run-agent", {"task": "6*7"}),
        ):
            r = local.post(path, content=json.dumps(body).encode(), headers=headers)
            assert r.status_code == 415, (content_type, path, r.status_code)
    assert _calls(local) == 0
    assert local.get("/api/research/jobs").json()["jobs"] == []
    ok = local.post(
        "/v1/chat/completions",
        content=json.dumps(CHAT).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "host",
    ["127.foo", "localhost.evil.example", "127.0.0.1.", "0.0.0.0", "10.0.0.1", "::", "", "evil"],
)
def test_names_that_only_look_like_loopback_are_not_loopback(host, settings):
    assert not is_loopback(host)
    with pytest.raises(InsecureBindError):
        check_bind(host, KeyStore(open_database(settings.database_url)))


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]
)
def test_loopback_addresses_and_localhost_are_loopback(host):
    assert is_loopback(host)


def test_a_server_bound_to_a_look_alike_name_requires_keys(make_app):
    with TestClient(make_app(host="127.foo"), base_url="http://127.foo") as c:
        assert c.post("/v1/chat/completions", json=CHAT).status_code == 401


def test_a_busy_port_is_refused_with_a_hint():
    import socket

    from lyceum.server.run import PortInUseError, check_port

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(PortInUseError) as caught:
            check_port("127.0.0.1", port)
    assert "--port" in caught.value.hint
    check_port("127.0.0.1", port)  # free again
