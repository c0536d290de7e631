from __future__ import annotations

from pathlib import Path

import pytest

from lyceum.config import Settings, load_settings
from lyceum.errors import LyceumError
from lyceum.retrieval import ingest
from lyceum.sources import Hit, Source, make_source
from lyceum.sources.local import LocalCorpusSource


@pytest.fixture
def settings(workspace: Path, tmp_path: Path) -> Settings:
    settings = load_settings(workspace, sections={"retrieval": {"embedding_model": "hashing"}})
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "moss.md").write_text("# Moss\nMoss grows on the north side of trees in shade.\n")
    (notes / "sand.txt").write_text("Sand dunes migrate with prevailing winds.")
    ingest([notes], collection="notes", settings=settings)
    return settings


async def test_local_source_returns_hits_with_paths(settings: Settings) -> None:
    source = LocalCorpusSource("notes", settings=settings)
    assert isinstance(source, Source)
    hits = await source.search("where does moss grow", k=2)
    assert isinstance(hits[0], Hit)
    assert hits[0].path is not None and hits[0].path.endswith("moss.md")
    assert hits[0].url is None and hits[0].location == hits[0].path
    assert hits[0].source == "local" and hits[0].metadata["collection"] == "notes"
    assert hits[0].metadata["section"] == "Moss"


async def test_sources_are_built_by_name(settings: Settings) -> None:
    source = make_source("local", collection="*", settings=settings, mode="bm25")
    [hit] = await source.search("dunes winds", k=1)
    assert hit.title and hit.path and hit.path.endswith("sand.txt")
    with pytest.raises(LyceumError, match="unknown source"):
        make_source("gopher")
