from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from lyceum.cli.ingest import register
from lyceum.cli.state import state
from lyceum.retrieval.index import _open


@pytest.fixture
def ingest_cli(workspace: Path):
    """`lyceum ingest` / `lyceum collections` on an app holding only this command group,
    in a workspace configured for the model-free hashing embedder."""
    (workspace / "lyceum.toml").write_text('[retrieval]\nembedding_model = "hashing"\n')
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        state.workspace, state._settings = workspace, None

    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [*map(str, args)])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "a.md").write_text("# Alpha\nThe alpha particle is a helium nucleus.\n")
    (root / "b.txt").write_text("Beta decay emits an electron.")
    (root / "c.pdf").write_bytes(b"not a pdf")
    return root


def test_ingest_prints_a_summary_and_reports_skipped_files(ingest_cli, folder: Path) -> None:
    result = ingest_cli("ingest", folder, "--collection", "physics")
    assert result.exit_code == 0, result.output
    assert "physics: 2 added, 0 updated, 0 unchanged, 1 failed" in result.output
    assert "skipped" in result.output and "c.pdf" in result.output


def test_ingest_json_report_and_noop_second_run(ingest_cli, folder: Path) -> None:
    ingest_cli("ingest", folder, "-c", "physics")
    result = ingest_cli("ingest", folder, "-c", "physics", "--json")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["added"] == [] and len(report["unchanged"]) == 2 and report["chunks_added"] == 0


def test_prune_flag_drops_deleted_files(ingest_cli, folder: Path) -> None:
    ingest_cli("ingest", folder)
    (folder / "b.txt").unlink()
    result = ingest_cli("ingest", folder)
    assert "no longer exist" in result.output and "--prune" in result.output
    result = ingest_cli("ingest", folder, "--prune", "--json")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert [Path(p).name for p in report["pruned"]] == ["b.txt"]


def test_collections_lists_counts(ingest_cli, folder: Path) -> None:
    ingest_cli("ingest", folder, "-c", "physics")
    result = ingest_cli("collections", "--json")
    assert json.loads(result.stdout) == {"physics": {"files": 2, "chunks": 2}}


def test_ingest_without_paths_is_a_usage_error(ingest_cli) -> None:
    result = ingest_cli("ingest")
    assert result.exit_code != 0 and "nothing to ingest" in str(result.exception)


_CRASHING_WRITER = """
import os
from lyceum.config import load_settings
from lyceum.data.extract.document import Document
from lyceum.retrieval import CorpusIndex

index = CorpusIndex(load_settings(), "physics")
index.replace_file("gamma.md", "1", "markdown", [Document(text="Gamma rays are photons.")])
os._exit(1)  # dies between writing its chunk rows and committing their vectors
"""


def test_ingest_says_when_it_repaired_an_interrupted_earlier_ingest(
    ingest_cli, folder: Path, workspace: Path
) -> None:
    ingest_cli("ingest", folder, "-c", "physics")
    crashed = subprocess.run(
        [sys.executable, "-c", _CRASHING_WRITER],
        env={**os.environ, "LYCEUM_WORKSPACE": str(workspace)},
        capture_output=True,
        text=True,
    )
    assert crashed.returncode == 1, crashed.stderr
    _open.clear()
    result = ingest_cli("ingest", folder, "-c", "physics")
    assert result.exit_code == 0, result.output
    assert "repaired an interrupted earlier ingest: 1 chunk(s)" in result.output
