"""A research run SIGKILLed mid-write resumes to the same report with no repeated calls."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from lyceum.config import load_settings
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.research import ResearchSettings, research_runs, run_research
from lyceum.store.calls import CallFilter, CallLog
from lyceum.store.db import open_database
from lyceum.wiring import build_gateway

from .conftest import CORPUS, MemorySource, OverlapScorer, research_responder

QUESTION = "How do plants turn light into sugar?"
# depth 1: each sub-question reads one of the corpus's documents, so that the writer
# drafts more than one section and the kill comes after one is written.
CONFIG = ResearchSettings(
    max_rounds=2, breadth=3, depth=1, concurrency=2, compile_pdf=False, memory=False
)

CHILD = """
import asyncio, json, os, signal, sys
sys.path.insert(0, {tests!r})
from conftest import CORPUS, MemorySource, OverlapScorer, research_responder
from lyceum.config import load_settings
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.wiring import build_gateway
from lyceum.research import ResearchSettings, run_research
from lyceum.store.db import open_database

sections = 0
def die_in_second_section(messages, params):
    global sections
    if (params.json_schema or {{}}).get("title") == "SectionOut":
        sections += 1
        if sections == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    return research_responder(messages, params)

settings = load_settings({ws!r})
db = open_database(settings.database_url)
model = build_gateway(settings, db=db, backends={{"local": ScriptedBackend([die_in_second_section] * 200, default_output=None)}})
config = ResearchSettings.model_validate_json({config!r})
asyncio.run(run_research({question!r}, out_dir={out!r}, settings=settings, config=config, model=model,
                         sources=[MemorySource(CORPUS)], scorer=OverlapScorer(), db=db))
"""


def _calls(db, run_id: str) -> int:  # type: ignore[no-untyped-def]
    return sum(
        1
        for c in CallLog(db).list(CallFilter(run_id=run_id, limit=None))
        if not c.cache_hit and c.error is None
    )


def _body(report: str) -> str:
    return re.sub(r"^Model usage:.*$", "", report, flags=re.MULTILINE)


def _fresh(path: Path) -> Path:
    path.mkdir()
    (path / "lyceum.toml").write_text('[retrieval]\nembedding_model = "hashing"\n')
    return path


async def test_a_killed_run_resumes_to_the_same_report_without_repeating_calls(
    tmp_path: Path,
) -> None:
    ws = _fresh(tmp_path / "ws")
    script = CHILD.format(
        tests=str(Path(__file__).parent),
        ws=str(ws),
        config=CONFIG.model_dump_json(),
        question=QUESTION,
        out=str(tmp_path / "out"),
    )
    env = {**os.environ, "LYCEUM_WORKSPACE": str(ws)}
    child = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert child.returncode == -9, child.stderr[-2000:]

    settings = load_settings(ws)
    [run] = research_runs(settings)
    assert run["status"] == "running" and run["phase"] == "write"
    db = open_database(settings.database_url)
    model = build_gateway(
        settings,
        db=db,
        backends={"local": ScriptedBackend([research_responder] * 200, default_output=None)},
    )
    resumed = await run_research(
        None,
        out_dir=tmp_path / "out",
        settings=settings,
        resume=run["run_id"],
        model=model,
        sources=[MemorySource(CORPUS)],
        scorer=OverlapScorer(),
        db=db,
    )

    ref_ws = _fresh(tmp_path / "ref")
    ref_settings = load_settings(ref_ws)
    ref_db = open_database(ref_settings.database_url)
    ref_model = build_gateway(
        ref_settings,
        db=ref_db,
        backends={"local": ScriptedBackend([research_responder] * 200, default_output=None)},
    )
    reference = await run_research(
        QUESTION,
        out_dir=tmp_path / "ref-out",
        settings=ref_settings,
        config=CONFIG,
        model=ref_model,
        sources=[MemorySource(CORPUS)],
        scorer=OverlapScorer(),
        db=ref_db,
    )
    assert _body(resumed.report) == _body(reference.report)
    assert _calls(db, resumed.run_id) == _calls(ref_db, reference.run_id)
