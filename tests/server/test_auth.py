"""API keys, bearer auth, per-key rate limits, request size limits, and no secret leaking."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient

from lyceum.server.keys import KeyStore, hash_token
from lyceum.server.limits import RateLimiter
from lyceum.store.db import open_database
from lyceum.store.server_tables import ApiKeyRow


def _chat(c: TestClient, headers: dict[str, str] | None = None):
    return c.post(
        "/v1/chat/completions",
        json={"model": "default", "messages": [{"role": "user", "content": "hi"}]},
        headers=headers or {},
    )


def test_keys_are_stored_only_as_hashes(settings):
    db = open_database(settings.database_url)
    store = KeyStore(db)
    info, token = store.create("alice")
    assert token.startswith("lyc_") and len(token) > 40
    with db.session() as s:
        row = s.get(ApiKeyRow, info.id)
        stored = [str(v) for v in (row.name, row.prefix, row.token_hash)]
    assert token not in stored
    assert row.token_hash == hash_token(token)
    assert "token" not in info.model_dump()
    assert store.verify(token).id == info.id
    assert store.verify(token + "x") is None


def test_once_a_key_exists_requests_need_it(make_app, settings):
    store = KeyStore(open_database(settings.database_url))
    _, token = store.create("ci")
    with TestClient(make_app()) as c:
        assert c.get("/health").status_code == 200
        missing = _chat(c)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        assert "lyceum serve keys create" in missing.json()["error"]["hint"]
        assert _chat(c, {"Authorization": "Bearer lyc_wrong"}).status_code == 401
        assert _chat(c, {"Authorization": f"Bearer {token}"}).status_code == 200


def test_revoked_key_stops_working(make_app, settings):
    store = KeyStore(open_database(settings.database_url))
    info, token = store.create("temp")
    store.create("other")
    with TestClient(make_app()) as c:
        assert _chat(c, {"Authorization": f"Bearer {token}"}).status_code == 200
        c.app.state.lyceum.keys.revoke(info.id)
        assert _chat(c, {"Authorization": f"Bearer {token}"}).status_code == 401


def test_non_loopback_host_requires_keys_even_with_none_configured(make_app):
    with TestClient(make_app(host="0.0.0.0")) as c:
        assert _chat(c).status_code == 401


def test_per_key_rate_limit_answers_429_with_retry_after(make_app, settings):
    store = KeyStore(open_database(settings.database_url))
    _, slow = store.create("slow", rate_limit_per_min=2)
    _, fast = store.create("fast")
    with TestClient(make_app()) as c:
        h = {"Authorization": f"Bearer {slow}"}
        assert [_chat(c, h).status_code for _ in range(3)] == [200, 200, 429]
        limited = _chat(c, h)
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"]["code"] == "rate_limit_exceeded"
        assert _chat(c, {"Authorization": f"Bearer {fast}"}).status_code == 200


def test_token_bucket_refills_with_time():
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert limiter.acquire("k", 60) == 0.0
    for _ in range(59):
        limiter.acquire("k", 60)
    assert limiter.acquire("k", 60) > 0
    now[0] += 1.0
    assert limiter.acquire("k", 60) == 0.0


def test_oversized_bodies_are_refused_with_413(make_app, settings):
    from lyceum.server.settings import ServerSettings

    app = make_app(config=ServerSettings(max_request_bytes=2048, allowed_hosts=["testserver"]))
    with TestClient(app) as c:
        big = "x" * 5000
        r = c.post(
            "/v1/chat/completions",
            json={"model": "default", "messages": [{"role": "user", "content": big}]},
        )
        assert r.status_code == 413
        assert "2048" in r.json()["error"]["message"]

        def chunked():
            yield b'{"model": "default", "messages": [{"role": "user", "content": "'
            for _ in range(10):
                yield b"y" * 500
            yield b'"}]}'

        r = c.post(
            "/v1/chat/completions", content=chunked(), headers={"content-type": "application/json"}
        )
        assert r.status_code == 413


def test_no_secret_in_logs_call_log_or_responses(make_app, settings, caplog):
    db = open_database(settings.database_url)
    _, token = KeyStore(db).create("secret-holder")
    caplog.set_level(logging.DEBUG)
    with TestClient(make_app()) as c:
        h = {"Authorization": f"Bearer {token}"}
        bodies = [
            _chat(c, h).text,
            c.get("/api/calls", headers=h).text,
            c.get("/health/ready", headers=h).text,
            c.get("/metrics", headers=h).text,
            c.get("/openapi.json").text,
        ]
    assert all(token not in b for b in bodies)
    assert token not in caplog.text
    from sqlalchemy import text

    with db.engine.connect() as conn:
        dump = " ".join(str(row) for row in conn.execute(text("SELECT * FROM calls")))
    assert token not in dump


def test_rate_limiter_table_stays_bounded():
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0], max_principals=100)
    for i in range(1000):
        limiter.acquire(f"addr:{i}", 60)
        now[0] += 0.01
    assert len(limiter._buckets) <= 100


def test_dashboard_pages_carry_a_content_security_policy(client):
    for path in ("/", "/experiments", "/research", "/traces"):
        r = client.get(path)
        assert r.status_code == 200
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
