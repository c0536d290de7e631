"""Every error the API returns has the one documented shape: type, message, hint, code,
param — a body too large and a body that is not JSON included."""

from __future__ import annotations

from fastapi.testclient import TestClient

SHAPE = {"type", "message", "hint", "code", "param"}


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == SHAPE, body
    return body["error"]


def test_a_body_that_is_not_json_says_where_and_names_no_param(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        content=b'{"model": "fake", "messages": [',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    error = _error(response)
    assert error["message"].startswith("body is not valid JSON at character ")
    assert error["param"] is None


def test_a_body_over_the_limit_has_the_documented_shape(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        content=b'{"model": "fake", "messages": []' + b" " * 1_100_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    error = _error(response)
    assert error["type"] == "request_too_large" and "max_request_bytes" in error["hint"]


def test_unknown_routes_and_invalid_fields_have_the_same_shape(client: TestClient) -> None:
    assert _error(client.get("/v1/nothing-here"))["type"] == "not_found"
    invalid = client.post("/v1/chat/completions", json={"model": "fake", "messages": "hi"})
    assert invalid.status_code == 422
    assert _error(invalid)["param"] == "messages"


def test_the_host_and_origin_guard_answers_in_the_same_shape(client: TestClient) -> None:
    wrong_host = client.get("/health", headers={"Host": "evil.example"})
    assert wrong_host.status_code == 421
    assert _error(wrong_host)["type"] == "misdirected_request"
    cross_site = client.post(
        "/v1/chat/completions",
        json={"model": "fake", "messages": [{"role": "user", "content": "hi"}]},
        headers={"Origin": "http://evil.example"},
    )
    assert cross_site.status_code == 403
    assert _error(cross_site)["type"] == "forbidden"
