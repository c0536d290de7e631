from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from lyceum.cli.search import register
from lyceum.cli.state import state
from lyceum.config import load_settings
from lyceum.retrieval import ingest

CONFIG = """
[retrieval]
embedding_model = "hashing"

[models.fake]
kind = "scripted"
outputs = ['{"scores": [{"index": 1, "score": 1}, {"index": 2, "score": 9}]}']

[gateway]
tiers = ["fake"]
"""


@pytest.fixture
def search_cli(workspace: Path, tmp_path: Path):
    """`lyceum search` over a small ingested collection, with a scripted model for --rerank llm."""
    (workspace / "lyceum.toml").write_text(CONFIG)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tea.md").write_text(
        "---\nyear: 2001\n---\n# Tea\nGreen tea is steamed, black tea oxidised.\n"
    )
    (docs / "coffee.md").write_text(
        "---\nyear: 2019\n---\n# Coffee\nCoffee beans are roasted seeds; tea is not.\n"
    )
    ingest([docs], collection="drinks", settings=load_settings(workspace))
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        state.workspace, state._settings = workspace, None

    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [*map(str, args)])


def test_search_prints_hits_with_provenance(search_cli) -> None:
    result = search_cli("search", "green tea", "-c", "drinks", "--k", "1")
    assert result.exit_code == 0, result.output
    assert "1. Tea (2001) § Tea" in result.output and "tea.md" in result.output


def test_search_json_with_mode_and_year_filter(search_cli) -> None:
    result = search_cli(
        "search", "tea", "-c", "drinks", "--mode", "bm25", "--year-min", "2010", "--json"
    )
    hits = json.loads(result.stdout)
    assert [h["title"] for h in hits] == ["Coffee"] and hits[0]["source"].endswith("coffee.md")


def test_llm_rerank_goes_through_the_gateway(search_cli) -> None:
    result = search_cli("search", "tea", "-c", "drinks", "--rerank", "llm", "--json")
    hits = json.loads(result.stdout)
    assert hits[0]["scores"]["rerank"] == pytest.approx(9, abs=1e-3)
    assert len(hits) == 2


def test_without_a_collection_every_collection_is_searched(
    search_cli, workspace: Path, tmp_path: Path
) -> None:
    more = tmp_path / "more"
    more.mkdir()
    (more / "mate.md").write_text("# Mate\nYerba mate is steeped like tea in a gourd.\n")
    ingest([more], collection="south", settings=load_settings(workspace))
    hits = json.loads(search_cli("search", "yerba mate gourd", "--json").stdout)
    assert hits[0]["title"] == "Mate"
    assert {h["collection"] for h in hits} == {"drinks", "south"}


def test_unknown_mode_and_collection_are_errors(search_cli) -> None:
    assert "unknown mode" in str(search_cli("search", "tea", "--mode", "fuzzy").exception)
    assert "no collection named 'nope'" in str(search_cli("search", "tea", "-c", "nope").exception)


@pytest.mark.slow
def test_cross_encoder_rerank_uses_the_shipped_verifier_by_default(search_cli) -> None:
    result = search_cli(
        "search", "green tea", "-c", "drinks", "--rerank", "cross-encoder", "--json"
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert [h["rank"] for h in hits] == [1, 2]
    assert all(0.0 <= h["scores"]["rerank"] <= 1.0 for h in hits)
    assert hits[0]["scores"]["rerank"] >= hits[1]["scores"]["rerank"]


def test_a_reranker_model_that_is_not_a_model_directory_is_an_error(
    search_cli, tmp_path: Path
) -> None:
    result = search_cli(
        "search", "tea", "-c", "drinks", "--rerank", "cross-encoder", "--reranker-model", tmp_path
    )
    assert "not a cross-encoder model directory" in str(result.exception)
