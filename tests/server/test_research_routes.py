"""Research jobs over HTTP: submit with budgets, progress over SSE, report with citations,
artifacts, cancel, and resume after a restart."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from lyceum.store.calls import Runs
from lyceum.store.db import open_database

from .conftest import wait_for


def _events(text: str) -> list[dict]:
    return [
        json.loads(line.removeprefix("data: "))
        for line in text.splitlines()
        if line.startswith("data: ") and line != "data: {}"
    ]


def _submit(c: TestClient, **budgets) -> dict:
    r = c.post(
        "/api/research/jobs",
        json={"question": "How do plants turn light into sugar?", "budgets": budgets},
    )
    assert r.status_code == 202, r.text
    return r.json()


def test_research_job_runs_streams_progress_and_serves_a_cited_report(
    make_app, research_backend, research_options
):
    app = make_app(research_backend, extras={"research_options": research_options})
    with TestClient(app) as c:
        job = _submit(c, max_tokens=50_000, breadth=2)
        assert job["status"] == "queued"
        # Unset budgets are pinned to the configured defaults (under the server's ceilings).
        assert job["params"]["budgets"] == {
            "max_tokens": 50_000,
            "breadth": 2,
            "max_time_s": 900.0,
            "max_cost_usd": 1.0,
        }

        with c.stream("GET", f"/api/research/jobs/{job['id']}/events") as r:
            assert r.headers["content-type"].startswith("text/event-stream")
            text = "".join(r.iter_text())
        kinds = [e["kind"] for e in _events(text)]
        assert kinds[:3] == ["queued", "started", "run"]
        assert "plan" in kinds and "section" in kinds and "artifact" in kinds
        assert kinds[-1] == "finished"

        done = c.get(f"/api/research/jobs/{job['id']}").json()
        assert done["status"] == "done"
        assert done["run_id"] == done["result"]["run_id"]

        listed = c.get("/api/research/jobs").json()["jobs"]
        assert [j["id"] for j in listed] == [job["id"]]

        names = [a["name"] for a in c.get(f"/api/research/jobs/{job['id']}/artifacts").json()]
        assert {"report.md", "paper.tex", "references.bib", "trajectory.jsonl"} <= set(names)
        md = c.get(f"/api/research/jobs/{job['id']}/artifacts/report.md")
        assert md.status_code == 200
        assert md.headers["content-type"].startswith("text/markdown")
        assert "attachment" in md.headers["content-disposition"]

        report = c.get(f"/api/research/jobs/{job['id']}/report").json()
        cited = [s for sec in report["sections"] for s in sec["sentences"] if s["citations"]]
        assert cited, report
        # The short answer as report.md prints it, with its citations.
        short = report["short_answer"]
        assert short and all(x["citations"] for x in short)
        assert all(x["text"] in md.text for x in short)
        assert report["background"] == [] and isinstance(report["not_covered"], list)
        first = cited[0]
        assert first["verdict"]["verdict"] == "supported"
        assert first["citations"][0]["quote"] in first["citations"][0]["text"]

        assert (
            c.get(f"/api/research/jobs/{job['id']}/artifacts/..%2Flyceum.toml").status_code == 404
        )
        assert c.get(f"/api/research/jobs/{job['id']}/artifacts/paper.pdf").status_code == 404


def test_bad_research_requests_are_422(client):
    assert client.post("/api/research/jobs", json={"question": "  "}).status_code == 422
    r = client.post("/api/research/jobs", json={"question": "why?", "budgets": {"max_tokens": -1}})
    assert r.status_code == 422
    assert "budgets.max_tokens" in r.json()["error"]["message"]
    r = client.post(
        "/api/research/jobs", json={"question": "why is the sky blue", "sources": ["nope"]}
    )
    assert r.status_code == 422
    assert "nope" in r.json()["error"]["message"]
    assert client.get("/api/research/jobs/unknown").status_code == 404


def test_cancelling_a_queued_research_job(make_app):
    with TestClient(make_app(run_jobs=False)) as c:
        job = _submit(c)
        r = c.post(f"/api/research/jobs/{job['id']}/cancel")
        assert r.json()["status"] == "cancelled"
        events = _events(c.get(f"/api/research/jobs/{job['id']}/events").text)
        assert events[-1]["kind"] == "cancelled"


def test_a_restart_resumes_the_interrupted_research_run(
    make_app, research_backend, research_options, settings
):
    """The first server stops while the job runs; the next one resumes the same run."""
    from lyceum.llm.backends.scripted import ScriptedBackend

    gate_calls = []

    def stall(messages, params):
        gate_calls.append(1)
        import time

        time.sleep(0.3)
        from .conftest import research_responder

        return research_responder(messages, params)

    slow = ScriptedBackend([], name="fake", default_output=None, delay_s=0.2).enqueue(
        *[stall] * 500
    )
    with TestClient(make_app(slow, extras={"research_options": research_options})) as c:
        job = _submit(c)
        wait_for(lambda: c.get(f"/api/research/jobs/{job['id']}").json()["run_id"])
    # Leaving the client ran the lifespan's shutdown: the job was interrupted.
    runs = Runs(open_database(settings.database_url))
    with TestClient(make_app(run_jobs=False)) as c:
        first = c.get(f"/api/research/jobs/{job['id']}").json()
    assert first["status"] == "interrupted"
    run_id = first["run_id"]
    assert runs.get(run_id).status == "interrupted"

    with TestClient(make_app(research_backend, extras={"research_options": research_options})) as c:
        final = wait_for(
            lambda: (
                (j := c.get(f"/api/research/jobs/{job['id']}").json())["status"] == "done" and j
            ),
            timeout_s=60,
        )
    assert final["run_id"] == run_id
    assert final["result"]["run_id"] == run_id
    assert final["attempts"] == 2
    assert runs.get(run_id).status == "done"


def test_cancelling_a_running_research_job_interrupts_its_run(make_app, research_options, settings):
    from lyceum.llm.backends.scripted import ScriptedBackend

    from .conftest import research_responder

    slow = ScriptedBackend([], name="fake", default_output=None, delay_s=0.5).enqueue(
        *[research_responder] * 500
    )
    with TestClient(make_app(slow, extras={"research_options": research_options})) as c:
        job = _submit(c)
        run_id = wait_for(lambda: c.get(f"/api/research/jobs/{job['id']}").json()["run_id"])
        r = c.post(f"/api/research/jobs/{job['id']}/cancel")
        assert r.json()["status"] == "cancelled"
        assert r.json()["error"] == "cancelled by request"
        again = c.post(f"/api/research/jobs/{job['id']}/cancel").json()
        assert again["status"] == "cancelled"
    assert Runs(open_database(settings.database_url)).get(run_id).status == "interrupted"


def test_event_stream_resumes_after_last_event_id(make_app):
    with TestClient(make_app(run_jobs=False)) as c:
        job = _submit(c)
        c.post(f"/api/research/jobs/{job['id']}/cancel")
        everything = c.get(f"/api/research/jobs/{job['id']}/events").text
        assert "id: 1\n" in everything and "id: 2\n" in everything
        rest = c.get(f"/api/research/jobs/{job['id']}/events", headers={"Last-Event-ID": "1"}).text
        assert "id: 1\n" not in rest
        assert [e["kind"] for e in _events(rest)] == ["cancelled"]


def test_a_research_job_names_its_collection_like_the_cli(make_app):
    with TestClient(make_app(run_jobs=False)) as c:
        unknown = c.post(
            "/api/research/jobs", json={"question": "why is the sky blue", "collection": "nope"}
        )
        assert unknown.status_code == 422
        assert unknown.json()["error"]["param"] == "collection"
        assert "'nope'" in unknown.json()["error"]["message"]
        every = c.post(
            "/api/research/jobs", json={"question": "why is the sky blue", "collection": "*"}
        )
        assert every.status_code == 202, every.text
        assert every.json()["params"]["collection"] == "*"


async def test_a_cli_research_run_is_listed_and_its_report_served(
    make_app, research_backend, research_options, settings, tmp_path
):
    """A run made without the server (as `lyceum research` makes it) is in the research run
    list and its report has the same shape as a job's, with no job id."""
    from lyceum.research import ResearchSettings, run_research

    result = await run_research(
        "How do plants turn light into sugar?",
        out_dir=tmp_path / "cli-run",
        settings=settings,
        config=ResearchSettings(breadth=2, max_rounds=1, depth=2, memory=False, compile_pdf=False),
        model=research_backend,
        **research_options,
    )
    run_id = result.state.run_id
    with TestClient(make_app(run_jobs=False)) as c:
        runs = c.get("/api/research/runs").json()["runs"]
        assert [r["run_id"] for r in runs] == [run_id]
        assert runs[0]["question"] == "How do plants turn light into sugar?"
        report = c.get(f"/api/research/runs/{run_id}/report").json()
        assert report["job_id"] is None and report["run_id"] == run_id
        cited = [s for sec in report["sections"] for s in sec["sentences"] if s["citations"]]
        assert cited and cited[0]["citations"][0]["quote"] in cited[0]["citations"][0]["text"]
        assert c.get("/api/research/runs/nope/report").status_code == 404


def test_a_report_that_answers_nothing_serves_its_background_and_the_parts_not_covered() -> None:
    from lyceum.research.state import (
        Note,
        Passage,
        Plan,
        ReportSection,
        ResearchState,
        Sentence,
        SubQuestion,
    )
    from lyceum.server.routes.research import build_report

    opening = "Uranium is a chemical element."
    state = ResearchState(run_id="r", question="What is uranium used for?")
    state.parts = ["What is uranium used for?"]
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question="What is uranium used for?")])
    state.passages = {
        "p1": Passage(id="p1", source="local", hit_id="h", title="Uranium", text=opening)
    }
    state.notes = [
        Note(id="q1.b1", sub_question="q1", claim=opening, quote=opening, passage_id="p1")
    ]
    state.sections = [
        ReportSection(
            title="What is uranium used for?",
            sub_question="q1",
            sentences=[Sentence(text="Uranium is mined.", notes=["q1.b1"], status="dropped")],
        )
    ]
    state.not_covered = ["What is uranium used for?"]
    state.background = [Sentence(text=opening, notes=["q1.b1"], status="supported")]
    report = build_report(None, state.model_dump())
    assert report.short_answer == [] and report.not_covered == ["What is uranium used for?"]
    (said,) = report.background
    assert said.text == opening and said.citations[0].title == "Uranium"
    assert report.sections[0].sentences == []
