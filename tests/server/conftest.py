"""Server fixtures: a workspace whose model is the scripted backend, the app over it
(in-process TestClient or a real uvicorn server on 127.0.0.1), and research fakes: a corpus
for the in-memory source and word-overlap scorer of tests/research/conftest.py, and a
responder for each step."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lyceum.config import Settings, load_settings
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import GenerateParams, Message
from lyceum.server import create_app
from lyceum.testing.capitals import capital_responder as shared_capital_responder
from lyceum.testing.capitals import write_capitals as write_capitals_file
from lyceum.testing.research import MemorySource, OverlapScorer
from lyceum.wiring import build_gateway

CONFIG = """
[models.fake]
kind = "scripted"
default_output = "Paris is the capital of France."
[gateway]
tiers = ["fake"]
max_retries = 0
[gateway.roles]
brain = ["fake"]
[research]
compile_pdf = false
memory = false
max_rounds = 1
[server]
rate_limit_per_min = 100000
allowed_hosts = ["testserver"]
"""


@pytest.fixture
def settings(workspace: Path) -> Settings:
    (workspace / "lyceum.toml").write_text(CONFIG)
    return load_settings(workspace)


@pytest.fixture
def make_app(settings: Settings) -> Callable[..., Any]:
    """Build an app over a scripted backend (default: replies 'Paris is...')."""

    def make(backend: ScriptedBackend | None = None, **options: Any) -> Any:
        gateway = build_gateway(settings, backends={"fake": backend} if backend else None)
        return create_app(settings, gateway=gateway, **options)

    return make


@pytest.fixture
def client(make_app: Callable[..., Any]) -> Iterator[TestClient]:
    with TestClient(make_app()) as c:
        yield c


class LiveServer:
    """A real uvicorn server on 127.0.0.1 (an ephemeral port) in a background thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    @property
    def url(self) -> str:
        sock = self.server.servers[0].sockets[0]
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture
def live_server() -> Callable[[Any], LiveServer]:
    return LiveServer


# -- research fakes ---------------------------------------------------------------------

CORPUS = {
    "photosynthesis": (
        "Photosynthesis",
        "Photosynthesis is the process by which plants convert light energy into chemical "
        "energy. Oxygen is released as a by-product of photosynthesis.",
    ),
    "chlorophyll": (
        "Chlorophyll",
        "Chlorophyll is the green pigment that absorbs light for photosynthesis. It absorbs "
        "mostly blue and red light.",
    ),
    "calvin": (
        "Calvin cycle",
        "The Calvin cycle fixes carbon dioxide into sugars. The enzyme RuBisCO catalyses the "
        "first step of carbon fixation.",
    ),
}


def research_responder(messages: Sequence[Message], params: GenerateParams) -> str:
    """Plausible answers for each research step, chosen by the requested schema."""
    user = messages[-1].content
    kind = (params.json_schema or {}).get("title", "")
    numbered = re.findall(r"^\[(\d+)\] (.+)$", user, flags=re.MULTILINE)
    if kind == "PlanOut":
        return json.dumps(
            {
                "summary": "Light capture and carbon fixation.",
                "sub_questions": [
                    {"question": "How do plants capture light?", "queries": ["chlorophyll light"]},
                    {"question": "How do plants fix carbon?", "queries": ["calvin cycle carbon"]},
                ],
            }
        )
    if kind == "NotesOut":
        return json.dumps({"notes": [{"sentence": int(i), "claim": s} for i, s in numbered[:2]]})
    if kind == "AnalysisOut":
        return json.dumps({"follow_ups": []})
    if kind == "SectionOut":
        return json.dumps(
            {
                "sentences": [{"text": c, "notes": [int(i)]} for i, c in numbered[:2]],
                "hypotheses": [],
            }
        )
    if kind == "RewriteOut":
        return json.dumps(
            {"sentence": "Photosynthesis converts light energy into chemical energy."}
        )
    return "Paris is the capital of France."


@pytest.fixture
def research_backend() -> ScriptedBackend:
    return ScriptedBackend([], name="fake", default_output=None).enqueue(
        *[research_responder] * 500
    )


@pytest.fixture
def research_options() -> dict[str, Any]:
    return {"sources": [MemorySource(CORPUS)], "scorer": OverlapScorer()}


def wait_for(predicate: Callable[[], Any], timeout_s: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


# -- lab fakes --------------------------------------------------------------------------

# The capitals quiz; other prompts (research, agent, chat) get the research responder's answers.
capital_responder = shared_capital_responder(otherwise=research_responder)


def write_capitals(workspace: Path) -> str:
    """The capitals dataset in the workspace's data folder (where the API reads datasets)."""
    return write_capitals_file(workspace / "data" / "capitals.jsonl").name


EXPERIMENT_YAML = """
name: capitals
description: naive vs chain-of-thought on six capitals
datasets:
  - name: jsonl
    label: capitals
    options: {path: capitals.jsonl}
methods: [naive, cot]
models: [fake]
metrics: [exact_match, token_f1]
"""


@pytest.fixture
def lab_backend(workspace: Path) -> ScriptedBackend:
    write_capitals(workspace)
    return ScriptedBackend([], name="fake", default_output=None).enqueue(
        *[capital_responder] * 2000
    )


# -- a seeded store for the dashboard ----------------------------------------------------


def dashboard_responder(messages: Sequence[Message], params: GenerateParams) -> Any:
    """Agent steps (a calculator call, then the answer), capitals and research steps."""
    from lyceum.llm.types import Completion, ToolCall, Usage

    if params.tools:
        if any(m.role == "tool" for m in messages):
            return Completion(
                text="6 times 7 is 42.", usage=Usage(prompt_tokens=90, completion_tokens=8)
            )
        return Completion(
            text="I will compute it.",
            tool_calls=(ToolCall(id="call-1", name="calculator", arguments={"expression": "6*7"}),),
            finish_reason="tool_calls",
            usage=Usage(prompt_tokens=60, completion_tokens=12),
        )
    return capital_responder(messages, params)


def seed_store(c: TestClient, workspace: Path, settings: Settings) -> dict[str, str]:
    """An experiment run, a research job, an agent run, chat calls and a week of history."""
    from datetime import UTC, datetime, timedelta

    from lyceum.store.calls import CallLog
    from lyceum.store.db import open_database

    write_capitals(workspace)
    exp = c.post("/api/lab/experiments", json={"yaml": EXPERIMENT_YAML}).json()
    lab_job = c.post(f"/api/lab/experiments/{exp['id']}/runs").json()
    research = c.post(
        "/api/research/jobs",
        json={"question": "How do plants turn light into sugar?", "budgets": {"breadth": 2}},
    ).json()
    agent = c.post("/run-agent", json={"task": "What is 6 times 7?", "mode": "native"}).json()
    for q in ("Hello", "Capital of France?", "Hello"):
        c.post(
            "/v1/chat/completions",
            json={"model": "default", "messages": [{"role": "user", "content": q}]},
        )
    lab_done = wait_for(
        lambda: (j := c.get(f"/api/lab/jobs/{lab_job['id']}").json())["status"] == "done" and j,
        timeout_s=60,
    )
    wait_for(
        lambda: c.get(f"/api/research/jobs/{research['id']}").json()["status"] == "done",
        timeout_s=60,
    )
    log = CallLog(open_database(settings.database_url))
    now = datetime.now(UTC)
    for day in range(1, 7):
        for i in range(3 + day % 3):
            log.write(
                caller="history",
                backend="fake",
                model="scripted",
                messages=[],
                params={},
                output="",
                tool_calls=[],
                finish_reason="stop",
                prompt_tokens=400 + 37 * i + 50 * day,
                completion_tokens=80 + 11 * day,
                latency_s=0.4 + 0.1 * i,
                cost_usd=0.0009 * day,
                cache_hit="exact" if (i + day) % 3 == 0 else "",
                attempts=1,
                streamed=False,
                created_at=now - timedelta(days=day, hours=i),
            )
    return {
        "experiment": exp["id"],
        "lab_run": lab_done["run_id"],
        "research_job": research["id"],
        "agent_run": agent["run_id"],
    }
