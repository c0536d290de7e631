from __future__ import annotations

from pathlib import Path

import pytest

from lyceum.config import Settings, load_settings
from lyceum.errors import LyceumError
from lyceum.retrieval import ingest
from lyceum.sources import Hit, Source, make_source
from lyceum.sources.base import TitledSource
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


def test_local_source_lists_its_titles_and_looks_a_page_up_by_title(settings: Settings) -> None:
    source = LocalCorpusSource("*", settings=settings)
    assert isinstance(source, TitledSource)
    titles = source.titles()
    assert "Moss" in titles and len(titles) == 2
    page = source.page("Moss")
    assert page is not None and page.title == "Moss" and "north side" in page.text
    assert page.metadata["ordinal"] == 0 and page.source == "local"
    assert source.page("moss") is None  # the title exactly, as the corpus spells it
    assert LocalCorpusSource("notes", settings=settings).page("Lichen") is None


async def test_sources_are_built_by_name(settings: Settings) -> None:
    source = make_source("local", collection="*", settings=settings, mode="bm25")
    [hit] = await source.search("dunes winds", k=1)
    assert hit.title and hit.path and hit.path.endswith("sand.txt")
    with pytest.raises(LyceumError, match="unknown source"):
        make_source("gopher")


def test_make_source_hands_the_settings_to_factories_that_take_them(
    workspace: Path, tmp_path: Path
) -> None:
    from lyceum.sources.base import SOURCES, register_source

    class Fixed:
        name = "fixed"

        def __init__(self, settings: Settings | None = None) -> None:
            self.settings = settings

        async def search(self, query: str, k: int = 10) -> list[Hit]:
            return []

    register_source("test-with-settings")(lambda *, settings: Fixed(settings))
    register_source("test-without-settings")(lambda: Fixed())
    try:
        other = load_settings(tmp_path)
        given = make_source("test-with-settings", settings=other)
        assert isinstance(given, Fixed) and given.settings is other
        default = make_source("test-with-settings")
        assert isinstance(default, Fixed) and default.settings is not None
        assert default.settings.workspace == workspace
        plain = make_source("test-without-settings", settings=other)
        assert isinstance(plain, Fixed) and plain.settings is None
    finally:
        del SOURCES["test-with-settings"], SOURCES["test-without-settings"]


async def test_a_source_built_by_name_searches_the_workspace_it_is_given(
    settings: Settings, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    other = make_source("local", collection="notes", settings=settings)
    [hit] = await other.search("dunes winds", k=1)
    assert hit.path and hit.path.endswith("sand.txt")
    here = make_source(
        "local",
        collection="notes",
        settings=load_settings(empty, sections={"retrieval": {"embedding_model": "hashing"}}),
    )
    with pytest.raises(LyceumError, match="no collection named 'notes'"):
        await here.search("dunes winds", k=1)
