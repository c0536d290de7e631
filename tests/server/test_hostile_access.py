"""Keys that overreach: another key's jobs and runs, the call log without an admin key,
probes without a key or too often, budgets above the server's ceilings, dataset paths out
of the data folder, and a job that keeps killing its server."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import update

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.server.jobs import JobContext, JobQueue
from lyceum.server.settings import ServerSettings
from lyceum.store.base import utcnow
from lyceum.store.calls import Runs
from lyceum.store.db import open_database
from lyceum.store.server_tables import JobRow

from .conftest import EXPERIMENT_YAML, wait_for

pytestmark = pytest.mark.hostile


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def keyed(make_app: Any) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    """A server with keys for alice, bob and an admin; jobs are queued, not run."""
    app = make_app(run_jobs=False)
    keys = app.state.lyceum.keys
    tokens = {
        "alice": _bearer(keys.create("alice")[1]),
        "bob": _bearer(keys.create("bob")[1]),
        "admin": _bearer(keys.create("root", admin=True)[1]),
    }
    with TestClient(app) as c:
        yield c, tokens


def test_a_job_is_visible_only_to_its_key_and_admin_keys(keyed):
    c, h = keyed
    job = c.post("/api/research/jobs", json={"question": "why?"}, headers=h["alice"]).json()
    paths = [
        f"/api/research/jobs/{job['id']}",
        f"/api/research/jobs/{job['id']}/events?follow=false",
        f"/api/research/jobs/{job['id']}/artifacts",
        f"/api/research/jobs/{job['id']}/artifacts/report.md",
        f"/api/research/jobs/{job['id']}/report",
    ]
    for path in paths:
        assert c.get(path, headers=h["bob"]).status_code == 404, path
    assert c.post(f"/api/research/jobs/{job['id']}/cancel", headers=h["bob"]).status_code == 404
    assert c.get("/api/research/jobs", headers=h["bob"]).json()["jobs"] == []
    assert c.get(f"/api/research/jobs/{job['id']}", headers=h["alice"]).json()["status"] == "queued"
    assert [j["id"] for j in c.get("/api/research/jobs", headers=h["admin"]).json()["jobs"]] == [
        job["id"]
    ]
    assert c.get(f"/api/research/jobs/{job['id']}", headers=h["admin"]).status_code == 200


def test_lab_jobs_and_runs_of_another_key_are_not_found(keyed, workspace):
    c, h = keyed
    from .conftest import write_capitals

    write_capitals(workspace)
    exp = c.post("/api/lab/experiments", json={"yaml": EXPERIMENT_YAML}, headers=h["alice"]).json()
    job = c.post(f"/api/lab/experiments/{exp['id']}/runs", headers=h["alice"]).json()
    assert c.get(f"/api/lab/jobs/{job['id']}", headers=h["bob"]).status_code == 404
    assert c.post(f"/api/lab/jobs/{job['id']}/cancel", headers=h["bob"]).status_code == 404
    assert c.get(f"/api/lab/jobs/{job['id']}/events", headers=h["bob"]).status_code == 404
    # A run is readable through the job that created it.
    db = c.app.state.lyceum.db
    run_id = Runs(db).create("experiment", name="capitals", config={})
    with db.session() as session:
        session.execute(update(JobRow).where(JobRow.id == job["id"]).values(run_id=run_id))
    for who, status in (("bob", 404), ("alice", 200), ("admin", 200)):
        assert c.get(f"/api/lab/runs/{run_id}", headers=h[who]).status_code == status, who
        assert c.get(f"/api/lab/runs/{run_id}/results", headers=h[who]).status_code == status
        listed = [r["id"] for r in c.get("/api/lab/runs", headers=h[who]).json()["runs"]]
        assert (run_id in listed) == (status == 200)
    compare = {"a": f"{run_id}:naive@fake", "b": f"{run_id}:cot@fake"}
    assert c.get("/api/lab/compare", params=compare, headers=h["bob"]).status_code == 404
    assert c.get("/api/lab/report", params={"runs": run_id}, headers=h["bob"]).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/calls",
        "/api/calls/summary",
        "/api/calls/some-id",
        "/api/runs",
        "/api/overview",
        "/api/traces",
        "/api/traces/some-run",
    ],
)
def test_the_call_log_needs_an_admin_key(keyed, path):
    c, h = keyed
    c.post(
        "/v1/chat/completions",
        json={"model": "default", "messages": [{"role": "user", "content": "secret prompt"}]},
        headers=h["alice"],
    )
    for who in ("alice", "bob"):
        r = c.get(path, headers=h[who])
        assert r.status_code == 403, (who, r.text)
        assert "--admin" in r.json()["error"]["hint"]
        assert "secret prompt" not in r.text
    assert c.get(path, headers=h["admin"]).status_code in (200, 404)


def test_probing_needs_a_key_when_keys_exist_and_hides_the_setup(keyed):
    c, h = keyed
    assert c.get("/health/ready", params={"probe": "true"}).status_code == 401
    assert (
        c.get("/health/ready", params={"probe": "true"}, headers=_bearer("lyc_x")).status_code
        == 401
    )
    anonymous = c.get("/health/ready").json()
    assert anonymous["ready"] is True
    assert anonymous["backends"] == [] and anonymous["healthy_tiers"] == []
    probed = c.get("/health/ready", params={"probe": "true"}, headers=h["bob"]).json()
    assert probed["backends"][0]["probed"] is True


def test_probes_are_rate_limited_for_the_whole_server(make_app):
    config = ServerSettings(allowed_hosts=["testserver"], probe_rate_per_min=2)
    with TestClient(make_app(config=config)) as c:
        codes = [c.get("/health/ready", params={"probe": "true"}).status_code for _ in range(4)]
        assert codes[:2] == [200, 200] and codes[2:] == [429, 429]
        assert int(c.get("/health/ready", params={"probe": "true"}).headers["retry-after"]) >= 1
        assert c.get("/health/ready").status_code == 200  # a plain readiness check is free


@pytest.mark.parametrize(
    "error",
    [
        "connect to http://10.1.2.3:8000/v1 failed: /home/me/.config/key.txt",
        "Authorization: Bearer sk-live-abcdef0123456789 rejected",
    ],
)
def test_probe_error_text_reaches_only_key_holders(make_app, settings, error):
    from lyceum.errors import ServerError

    backend = ScriptedBackend([ServerError(error)] * 10, name="fake", default_output=None)
    app = make_app(backend)
    with TestClient(app) as c:
        anonymous = c.get("/health/ready", params={"probe": "true"}).json()
        assert anonymous["backends"][0]["error"]
        assert error not in str(anonymous) and "10.1.2.3" not in str(anonymous)
        token = app.state.lyceum.keys.create("ops")[1]
        holder = c.get("/health/ready", params={"probe": "true"}, headers=_bearer(token)).json()
        assert error in holder["backends"][0]["error"]


def test_research_budgets_above_the_ceilings_are_refused(make_app):
    with TestClient(make_app(run_jobs=False)) as c:
        for budgets, field in (
            ({"max_cost_usd": 5.01}, "max_cost_usd"),
            ({"max_cost_usd": 0}, "max_cost_usd"),
            ({"max_tokens": 2_000_001}, "max_tokens"),
            ({"max_time_s": 3601}, "max_time_s"),
            ({"max_cost_usd": -1}, "max_cost_usd"),
        ):
            r = c.post("/api/research/jobs", json={"question": "why?", "budgets": budgets})
            assert r.status_code == 422, (budgets, r.text)
            assert field in r.json()["error"]["message"]
        assert c.get("/api/research/jobs").json()["jobs"] == []


def test_an_unlimited_configured_budget_becomes_the_ceiling_over_the_api(workspace, make_app):
    toml = (workspace / "lyceum.toml").read_text()
    toml = toml.replace("[research]\n", "[research]\nmax_cost_usd = 0\nmax_time_s = 99999\n")
    toml = toml.replace("[server]\n", "[server]\nresearch_max_cost_usd = 0.5\n")
    (workspace / "lyceum.toml").write_text(toml)
    from lyceum.config import load_settings
    from lyceum.server import create_app
    from lyceum.wiring import build_gateway

    settings = load_settings(workspace)
    app = create_app(settings, gateway=build_gateway(settings), run_jobs=False)
    with TestClient(app) as c:
        job = c.post("/api/research/jobs", json={"question": "why?"}).json()
    assert job["params"]["budgets"]["max_cost_usd"] == 0.5
    assert job["params"]["budgets"]["max_time_s"] == 3600


def test_lab_concurrency_above_the_ceiling_is_refused(client):
    for concurrency in (9, 64, 256):
        config = yaml.safe_load(EXPERIMENT_YAML) | {"concurrency": concurrency}
        r = client.post("/api/lab/experiments", json={"config": config})
        assert r.status_code == 422, concurrency
        assert "concurrency" in r.json()["error"]["message"]


def test_a_lab_job_stops_at_the_token_ceiling(make_app, lab_backend, workspace):
    from .conftest import write_capitals

    write_capitals(workspace)
    config = ServerSettings(allowed_hosts=["testserver"], lab_max_tokens=60, job_concurrency=1)
    with TestClient(make_app(lab_backend, config=config)) as c:
        one_at_a_time = yaml.safe_load(EXPERIMENT_YAML) | {"concurrency": 1}
        exp = c.post("/api/lab/experiments", json={"config": one_at_a_time}).json()
        job = c.post(f"/api/lab/experiments/{exp['id']}/runs").json()
        done = wait_for(
            lambda: (
                (j := c.get(f"/api/lab/jobs/{job['id']}").json())["status"] in ("done", "failed")
                and j
            )
        )
    assert done["status"] == "failed"
    assert "ceiling" in done["error"] and "60" in done["error"]
    # 25 tokens a call: after three calls (75 tokens) the fourth is refused, of twelve.
    assert len(lab_backend.history) == 3


def _dataset_yaml(path: str, name: str = "jsonl") -> dict[str, Any]:
    config = yaml.safe_load(EXPERIMENT_YAML)
    config["datasets"] = [{"name": name, "label": "d", "options": {"path": path}}]
    return config


ESCAPING_PATHS = [
    "/etc/passwd",
    "/proc/self/environ",
    "../lyceum.toml",
    "sub/../../lyceum.toml",
    "~/.ssh/id_rsa.jsonl",
    "link-out/secret.jsonl",
    "//etc/hostname",
]


def test_dataset_paths_outside_the_data_folder_are_refused(client, workspace):
    data = workspace / "data"
    data.mkdir(exist_ok=True)
    outside = workspace / "outside"
    outside.mkdir()
    (outside / "secret.jsonl").write_text('{"id": 1, "question": "q", "answers": ["a"]}\n')
    os.symlink(outside, data / "link-out")
    for path in ESCAPING_PATHS:
        for name in ("jsonl", "gsm8k"):
            r = client.post("/api/lab/experiments", json={"config": _dataset_yaml(path, name)})
            assert r.status_code == 422, (path, name, r.text)
            assert "datasets.0.options.path" in r.json()["error"]["message"]
        text = yaml.safe_dump(_dataset_yaml(path))
        assert client.post("/api/lab/experiments", json={"yaml": text}).status_code == 422
    assert client.get("/api/lab/experiments").json()["experiments"] == []


def test_few_shot_example_files_outside_the_data_folder_are_refused(client, workspace):
    (workspace / "data").mkdir(exist_ok=True)
    (workspace / "data" / "shots.yaml").write_text("- {question: q, answer: a}\n")
    for path in (*ESCAPING_PATHS[:5], "shots.yaml"):
        config = yaml.safe_load(EXPERIMENT_YAML)
        config["methods"] = [{"name": "few_shot_cot", "params": {"examples_file": path}}]
        r = client.post("/api/lab/experiments", json={"config": config})
        if path == "shots.yaml":
            assert r.status_code == 201, r.text
        else:
            assert r.status_code == 422, (path, r.text)
            assert "methods.0.params.examples_file" in r.json()["error"]["message"]


def test_a_dataset_path_is_checked_again_when_the_job_runs(make_app, lab_backend, workspace):
    """A symlink swapped after the experiment was created does not lead outside."""
    from .conftest import write_capitals

    write_capitals(workspace)
    data = workspace / "data"
    (data / "inner").mkdir()
    (data / "inner" / "capitals.jsonl").write_text((data / "capitals.jsonl").read_text())
    with TestClient(make_app(lab_backend)) as c:
        config = _dataset_yaml("current/capitals.jsonl")
        os.symlink(data / "inner", data / "current")
        exp = c.post("/api/lab/experiments", json={"config": config}).json()
        (data / "current").unlink()
        os.symlink(workspace, data / "current")
        (workspace / "capitals.jsonl").write_text((data / "capitals.jsonl").read_text())
        job = c.post(f"/api/lab/experiments/{exp['id']}/runs").json()
        done = wait_for(
            lambda: (
                (j := c.get(f"/api/lab/jobs/{job['id']}").json())["status"] in ("done", "failed")
                and j
            )
        )
    assert done["status"] == "failed"
    assert "outside the data folder" in done["error"]
    assert lab_backend.history == []


async def test_a_job_that_keeps_killing_its_server_fails_after_max_attempts(settings):
    db = open_database(settings.database_url)
    started: list[int] = []

    async def hang(ctx: JobContext) -> dict[str, Any]:
        started.append(ctx.attempt)
        await asyncio.Event().wait()
        return {}

    job = JobQueue(db, {"r": hang}).submit("r", {})
    for _ in range(3):
        queue = JobQueue(db, {"r": hang}, max_attempts=2)
        await queue.start()
        await asyncio.sleep(0.3)
        if queue.get(job.id).status != "running":
            await queue.stop()
            break
        # The server dies: its lease is left behind, lapsed.
        with db.session() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.id == job.id)
                .values(lease_owner="dead:1/x", lease_expires_at=utcnow() - timedelta(seconds=1))
            )
        await queue.stop()
    info = queue.get(job.id)
    assert info.status == "failed"
    assert info.crashes == 2 and started == [1, 2]
    assert "died 2 times" in (info.error or "")
    assert [e.kind for e in queue.events(job.id)][-1] == "failed"


async def test_a_cleanly_stopped_job_does_not_count_as_a_crash(settings):
    db = open_database(settings.database_url)

    async def hang(ctx: JobContext) -> dict[str, Any]:
        await asyncio.Event().wait()
        return {}

    job = JobQueue(db, {"r": hang}).submit("r", {})
    for _ in range(3):
        queue = JobQueue(db, {"r": hang}, max_attempts=1)
        await queue.start()
        await asyncio.sleep(0.2)
        await queue.stop()
    assert queue.get(job.id).status == "interrupted"
    assert queue.get(job.id).crashes == 0


def test_keys_create_admin_from_the_cli(workspace: Path, settings):
    from typer.testing import CliRunner

    from lyceum.cli.main import app
    from lyceum.cli.state import state

    state._settings = None
    at = ["--workspace", str(workspace)]
    result = CliRunner().invoke(app, [*at, "serve", "keys", "create", "ops", "--admin"])
    assert result.exit_code == 0, result.output
    assert "created admin key" in result.output
    listed = CliRunner().invoke(app, [*at, "serve", "keys", "list"])
    assert "ops" in listed.output and "yes" in listed.output
    from lyceum.server.keys import KeyStore

    [info] = KeyStore(open_database(settings.database_url)).list()
    assert info.admin is True
