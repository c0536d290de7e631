from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from lyceum import wiring
from lyceum.cli import research as research_cli
from lyceum.cli.state import state
from lyceum.config import load_settings
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.research import pipeline
from lyceum.research import wiring as research_wiring

sys.path.insert(0, str(Path(__file__).parents[1] / "research"))
from conftest import CORPUS, MemorySource, OverlapScorer, research_responder


@pytest.fixture
def research(workspace: Path, monkeypatch: pytest.MonkeyPatch):
    """`lyceum research` against the scripted model, an in-memory corpus and a word-overlap scorer."""
    (workspace / "lyceum.toml").write_text(
        '[retrieval]\nembedding_model = "hashing"\n[research]\ncompile_pdf = false\n'
    )
    real_build = wiring.build_gateway
    monkeypatch.setattr(
        wiring,
        "build_gateway",
        lambda settings, **kw: real_build(
            settings,
            backends={"local": ScriptedBackend([research_responder] * 200, default_output=None)},
            **kw,
        ),
    )
    monkeypatch.setattr(
        research_wiring, "build_sources", lambda config, settings: [MemorySource(CORPUS)]
    )
    monkeypatch.setattr(
        research_wiring, "default_scorer", lambda config, judge=None: OverlapScorer()
    )
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        state.workspace, state._settings = workspace, None

    research_cli.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["research", *args])


def test_research_writes_the_report_and_prints_where_it_is(research, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = research(
        "How do plants turn light into sugar?",
        "--out",
        str(out),
        "--breadth",
        "2",
        "--max-rounds",
        "1",
    )
    assert result.exit_code == 0, result.output
    for name in ("report.md", "paper.tex", "references.bib", "trajectory.jsonl"):
        assert (out / name).exists()
        assert str(out / name) in result.stdout
    assert "claims:" in result.output
    listed = research("--list")
    assert "How do plants turn light into sugar?" in listed.stdout and "done" in listed.stdout


def test_research_without_a_question_or_resume_is_a_usage_error(research) -> None:
    result = research("--out", "x")
    assert result.exit_code != 0
    assert "give a question" in str(result.exception)


def test_bad_budget_flag_is_reported_by_name(research, tmp_path: Path) -> None:
    result = research("q?", "--out", str(tmp_path), "--breadth", "99")
    assert result.exit_code != 0 and "breadth" in str(result.exception)


def test_resume_without_out_writes_into_the_runs_folder_and_applies_budget_flags(
    research, tmp_path: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    first = research(
        "How do plants turn light into sugar?", "--out", str(out), "--budget-tokens", "1"
    )
    assert first.exit_code == 0, first.output
    run_id = json.loads(research("--list", "--json").stdout.splitlines()[0])["run_id"]
    (out / "report.md").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    resumed = research("--resume", run_id, "--budget-tokens", "1000000")

    assert resumed.exit_code == 0, resumed.output
    assert (out / "report.md").exists() and str(out / "report.md") in resumed.stdout
    assert not (elsewhere / "research-out").exists()
    assert "resumed with max_tokens=1000000" in resumed.output
    row = pipeline.Runs(pipeline.open_database(load_settings(workspace).database_url)).get(run_id)
    assert row is not None and row.state["resume_overrides"] == {"max_tokens": 1000000}
    assert row.state["stopped_by"] is None  # the bigger budget let gathering finish


def test_resume_refuses_a_flag_that_would_change_the_plan(research, tmp_path: Path) -> None:
    first = research("q about plants?", "--out", str(tmp_path / "o"), "--max-tokens", "1")
    assert first.exit_code == 0, first.output
    assert "--max-tokens is deprecated" in first.stderr  # the old spelling still works
    listed = research("--list")
    run_id = json.loads(research("--list", "--json").stdout.splitlines()[0])["run_id"]
    assert run_id in listed.stdout  # piped, the table shows ids in full
    result = research("--resume", run_id, "--depth", "9")
    assert result.exit_code != 0 and "cannot change depth" in str(result.exception)


def test_collection_takes_the_values_search_takes(research, monkeypatch, tmp_path: Path) -> None:
    """`-c` is repeatable and takes '*', as `lyceum search -c` does; one name stays a string."""
    seen: list[object] = []

    def capture(question, out, resume, overrides):
        seen.append(overrides["collection"])

    monkeypatch.setattr(research_cli, "_run", capture)
    for args, expected in (
        (["-c", "papers"], "papers"),
        (["-c", "papers", "-c", "notes"], ["papers", "notes"]),
        (["-c", "*"], "*"),
        ([], None),
    ):
        result = research("Why is the sky blue?", "--out", str(tmp_path / "o"), *args)
        assert result.exit_code == 0, result.output
        assert seen[-1] == expected
