from __future__ import annotations

from lyceum.errors import ServerError
from lyceum.llm.backends.scripted import ScriptedBackend


def test_health_answers_without_a_key(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_ready_reports_store_and_each_backend(client):
    r = client.get("/health/ready")
    assert r.status_code == 200
    body = r.json()
    assert body["ready"] is True
    assert body["store"]["reachable"] is True
    assert [b["name"] for b in body["backends"]] == ["fake"]
    assert body["backends"][0]["breaker"] == "closed"
    assert body["healthy_tiers"] == ["fake"]


def test_ready_probe_sends_each_backend_a_generation(client):
    body = client.get("/health/ready", params={"probe": "true"}).json()
    assert body["backends"][0]["probed"] is True
    assert body["backends"][0]["error"] is None
    calls = client.get("/api/calls", params={"caller": "server.probe"}).json()["calls"]
    assert [c["backend"] for c in calls] == ["fake"]


def test_ready_is_503_when_every_tier_circuit_is_open(make_app, settings):
    from fastapi.testclient import TestClient

    failing = ScriptedBackend([ServerError("boom")] * 10, name="fake", default_output=None)
    app = make_app(failing)
    with TestClient(app) as c:
        for _ in range(settings.gateway.breaker_failure_threshold):
            c.post(
                "/v1/chat/completions",
                json={"model": "default", "messages": [{"role": "user", "content": "hi"}]},
            )
        r = c.get("/health/ready")
    assert r.status_code == 503
    body = r.json()
    assert body["ready"] is False
    assert body["backends"][0]["breaker"] == "open"
    assert body["healthy_tiers"] == []


def test_metrics_expose_gateway_and_http_counters(client):
    client.post(
        "/v1/chat/completions",
        json={"model": "default", "messages": [{"role": "user", "content": "capital?"}]},
    )
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'lyceum_llm_requests_total{backend="fake",outcome="ok"} 1.0' in text
    assert (
        'lyceum_http_requests_total{method="POST",route="/v1/chat/completions",status="200"}'
        in text
    )
