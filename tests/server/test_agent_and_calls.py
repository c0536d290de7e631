"""POST /run-agent, the call log listing, per-run usage, overview and traces."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import Completion, Usage


def _agent_backend() -> ScriptedBackend:
    step1 = json.dumps(
        {"thought": "compute it", "action": "calculator", "action_input": {"expression": "6*7"}}
    )
    step2 = json.dumps(
        {"thought": "done", "action": "final_answer", "action_input": {"answer": "42"}}
    )
    return ScriptedBackend(
        [
            Completion(text=step1, usage=Usage(prompt_tokens=50, completion_tokens=10)),
            Completion(text=step2, usage=Usage(prompt_tokens=70, completion_tokens=8)),
        ],
        name="fake",
        supports_tools=False,
    )


def test_run_agent_answers_with_trace_and_records_a_run(make_app):
    with TestClient(make_app(_agent_backend())) as c:
        r = c.post("/run-agent", json={"task": "What is 6 times 7?", "tools": ["calculator"]})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["result"]["answer"] == "42"
        assert body["result"]["status"] == "success"
        steps = body["result"]["steps"]
        assert steps[0]["action"] == "calculator" and steps[0]["observation"] == "42"
        run_id = body["run_id"]

        usage = c.get(f"/api/runs/{run_id}/usage").json()
        assert usage["calls"] == 2
        assert usage["prompt_tokens"] == 120 and usage["completion_tokens"] == 18

        calls = c.get("/api/calls", params={"run_id": run_id}).json()["calls"]
        assert {x["caller"] for x in calls} == {"agents.react"}

        trace = c.get(f"/api/traces/{run_id}").json()
        kinds = [i["kind"] for i in trace["items"]]
        assert kinds == ["call", "step", "call", "step"]
        assert trace["run"]["kind"] == "agent"
        assert [t["id"] for t in c.get("/api/traces", params={"kind": "agent"}).json()["runs"]] == [
            run_id
        ]


def test_run_agent_refuses_tools_the_server_does_not_allow(client):
    r = client.post("/run-agent", json={"task": "search", "tools": ["web_search"]})
    assert r.status_code == 422
    assert "agent_tools" in r.json()["error"]["hint"]
    r = client.post("/run-agent", json={"task": "x", "max_iterations": 40})
    assert r.status_code == 422
    assert client.post("/run-agent", json={"task": ""}).status_code == 422


def test_call_log_filters_summary_and_overview(client):
    for q in ("a", "b", "a"):
        client.post(
            "/v1/chat/completions",
            json={"model": "default", "messages": [{"role": "user", "content": q}]},
        )
    calls = client.get("/api/calls").json()["calls"]
    assert len(calls) == 3
    hits = client.get("/api/calls", params={"cache_hits_only": "true"}).json()["calls"]
    assert len(hits) == 1
    one = client.get(f"/api/calls/{calls[0]['id']}").json()
    assert one["id"] == calls[0]["id"]
    assert client.get("/api/calls/nope").status_code == 404
    summary = client.get("/api/calls/summary", params={"caller": "server.openai"}).json()
    assert summary["calls"] == 3 and summary["cache_hits"] == 1
    overview = client.get("/api/overview", params={"days": 1}).json()
    assert overview["totals"]["calls"] == 3
    assert abs(overview["cache_hit_rate"] - 1 / 3) < 1e-9
    assert sum(b["calls"] for b in overview["series"]) == 3
    assert sum(b["runs"] for b in overview["series"]) == 0
    assert client.get("/api/overview", params={"bucket": "week"}).status_code == 422
