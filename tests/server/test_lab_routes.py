"""Lab over HTTP: create/list/get experiments, start a run (a job), results, reports and
comparisons as JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import EXPERIMENT_YAML, wait_for


def _run_to_completion(c: TestClient, experiment_id: str) -> dict:
    job = c.post(f"/api/lab/experiments/{experiment_id}/runs")
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    return wait_for(
        lambda: (j := c.get(f"/api/lab/jobs/{job_id}").json())["status"] in ("done", "failed") and j
    )


def test_experiment_lifecycle_results_and_comparison(make_app, lab_backend):
    with TestClient(make_app(lab_backend)) as c:
        created = c.post("/api/lab/experiments", json={"yaml": EXPERIMENT_YAML})
        assert created.status_code == 201, created.text
        exp = created.json()
        assert exp["name"] == "capitals" and exp["runs"] == []
        assert [
            e["id"]
            for e in c.get("/api/lab/experiments", params={"q": "capi"}).json()["experiments"]
        ] == [exp["id"]]
        assert c.get("/api/lab/experiments", params={"q": "zzz"}).json()["experiments"] == []

        job = _run_to_completion(c, exp["id"])
        assert job["status"] == "done", job
        run_id = job["run_id"]
        assert job["result"]["done"] == 12

        detail = c.get(f"/api/lab/experiments/{exp['id']}").json()
        assert [r["id"] for r in detail["runs"]] == [run_id]

        run = c.get(f"/api/lab/runs/{run_id}").json()
        acc = {cond["method"]: cond["accuracy"] for cond in run["conditions"]}
        assert acc == {"naive": 4 / 6, "cot": 1.0}
        assert run["primary_metric"] == "exact_match"

        results = c.get(f"/api/lab/runs/{run_id}/results").json()["results"]
        wrong = sorted(r["example_id"] for r in results if not r["correct"])
        assert wrong == ["q-Japan", "q-Spain"]

        cmp = c.get(
            "/api/lab/compare", params={"a": f"{run_id}:naive", "b": f"{run_id}:cot"}
        ).json()
        assert cmp["n"] == 6 and cmp["only_b_correct"] == 2
        assert cmp["significant"] is False
        assert "statement" in cmp

        report = c.get("/api/lab/report", params={"runs": [run_id]}).json()
        assert {d["example_id"] for d in report["diffs"]} == {"q-Japan", "q-Spain"}

        events = c.get(f"/api/lab/jobs/{job['id']}/events").text
        assert events.count('"kind":"result"') == 12


def test_invalid_experiments_are_422_naming_the_field(client):
    r = client.post(
        "/api/lab/experiments",
        json={
            "config": {
                "name": "x",
                "datasets": ["squad"],
                "methods": ["telepathy"],
                "models": ["fake"],
            }
        },
    )
    assert r.status_code == 422
    assert "telepathy" in r.json()["error"]["message"]
    r = client.post("/api/lab/experiments", json={"yaml": "name: [unclosed"})
    assert r.status_code == 422
    r = client.post("/api/lab/experiments", json={})
    assert r.status_code == 422
    assert client.get("/api/lab/runs/nope").status_code == 404
    assert client.post("/api/lab/experiments/nope/runs").status_code == 404


def test_a_restart_resumes_the_interrupted_lab_run(make_app, lab_backend, workspace):
    from lyceum.llm.backends.scripted import ScriptedBackend

    from .conftest import capital_responder

    slow = ScriptedBackend([], name="fake", default_output=None, delay_s=0.3).enqueue(
        *[capital_responder] * 200
    )
    with TestClient(make_app(slow)) as c:
        exp = c.post("/api/lab/experiments", json={"yaml": EXPERIMENT_YAML}).json()
        job = c.post(f"/api/lab/experiments/{exp['id']}/runs").json()
        wait_for(lambda: c.get(f"/api/lab/jobs/{job['id']}").json()["run_id"])
    with TestClient(make_app(lab_backend)) as c:
        final = wait_for(
            lambda: (j := c.get(f"/api/lab/jobs/{job['id']}").json())["status"] == "done" and j
        )
        first_run = final["run_id"]
        assert final["attempts"] == 2
        assert final["result"]["total"] == 12
        assert final["result"]["done"] + final["result"]["skipped"] == 12
        assert [r["id"] for r in c.get("/api/lab/runs").json()["runs"]] == [first_run]
        results = c.get(f"/api/lab/runs/{first_run}/results").json()["results"]
        assert len(results) == 12
