from __future__ import annotations

from pathlib import Path

from lyceum.retrieval.bm25 import BM25Index
from lyceum.retrieval.types import SearchFilters

TEXTS = [
    "Volcanoes erupt basaltic lava",
    "Tide pools shelter anemones and crabs",
    "Photosynthesis in chloroplasts converts light",
    "Crabs migrate across the island each year",
]


def _index(directory: Path) -> BM25Index:
    index = BM25Index(directory)
    index.build(
        ["v", "t", "p", "c"],
        TEXTS,
        [1990, 2005, None, 2020],
        ["a.pdf", "b.html", "c.tex", "b.html"],
        ["pdf", "html", "latex", "html"],
        generation="g1",
    )
    return index


def test_keyword_search_matches_stemmed_terms(tmp_path: Path) -> None:
    hits = _index(tmp_path / "bm25").search("crab migrating", k=5)
    assert [h[0] for h in hits] == ["c", "t"]


def test_documents_without_query_terms_are_not_returned(tmp_path: Path) -> None:
    assert _index(tmp_path / "bm25").search("quantum chromodynamics", k=5) == []


def test_filters_apply_before_ranking(tmp_path: Path) -> None:
    index = _index(tmp_path / "bm25")
    assert [h[0] for h in index.search("crabs", 5, SearchFilters(year_max=2010))] == ["t"]
    assert index.search("crabs", 5, SearchFilters(sources=("a.pdf",))) == []


def test_index_and_generation_survive_reload(tmp_path: Path) -> None:
    _index(tmp_path / "bm25")
    again = BM25Index(tmp_path / "bm25")
    assert again.generation == "g1" and len(again) == 4
    assert again.search("lava", 1)[0][0] == "v"


def test_rebuilding_with_no_chunks_empties_the_index(tmp_path: Path) -> None:
    index = _index(tmp_path / "bm25")
    index.build([], [], [], [], [], generation="g2")
    assert index.search("lava", 3) == [] and len(BM25Index(tmp_path / "bm25")) == 0
