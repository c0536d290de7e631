from __future__ import annotations

import shutil
from pathlib import Path

from lyceum.config import Settings
from lyceum.retrieval import ingest, open_index
from lyceum.retrieval.types import SearchFilters


def _names(paths: list[str]) -> list[str]:
    return sorted(Path(p).name for p in paths)


def test_ingest_reports_each_file_and_skips_the_corrupt_one(
    corpus: Path, settings: Settings
) -> None:
    report = ingest([corpus], collection="docs", settings=settings)
    assert _names(report.added) == ["main.tex", "notes.md", "plants.pdf", "pools.html"]
    assert [Path(p.path).name for p in report.failed] == ["broken.pdf"]
    assert "not a readable PDF" in report.failed[0].error
    assert report.chunks_added >= 4 and report.documents == 4


def test_reingesting_unchanged_files_is_a_noop(corpus: Path, settings: Settings) -> None:
    ingest([corpus], collection="docs", settings=settings)
    index = open_index(settings, "docs")
    generation, count = index.generation, index.chunk_count()
    again = ingest([corpus], collection="docs", settings=settings)
    assert again.added == [] and again.updated == [] and len(again.unchanged) == 4
    assert again.chunks_added == 0 and again.chunks_removed == 0
    assert index.generation == generation and index.chunk_count() == count


def test_a_changed_file_replaces_its_chunks(corpus: Path, settings: Settings) -> None:
    ingest([corpus], collection="docs", settings=settings)
    index = open_index(settings, "docs")
    (corpus / "notes.md").write_text("# Glaciers\nGlaciers carve U-shaped valleys.\n")
    report = ingest([corpus], collection="docs", settings=settings)
    assert _names(report.updated) == ["notes.md"] and report.chunks_removed == 1
    texts = [
        r.text
        for r in index.fetch([i for i, _ in index.keyword("glaciers valleys", 5, None)]).values()
    ]
    assert any("U-shaped" in t for t in texts)
    assert index.keyword("basaltic silica", 5, None) == []
    assert index.vectors.count() == index.chunk_count() == len(index.bm25)


def test_an_edit_inside_an_input_file_updates_the_latex_project(
    corpus: Path, settings: Settings
) -> None:
    ingest([corpus], collection="docs", settings=settings)
    (corpus / "paper" / "method.tex").write_text("\\section{Method}\nWe use annealing.\n")
    report = ingest([corpus], collection="docs", settings=settings)
    assert _names(report.updated) == ["main.tex"]


def test_deleted_files_are_listed_then_pruned(corpus: Path, settings: Settings) -> None:
    ingest([corpus], collection="docs", settings=settings)
    index = open_index(settings, "docs")
    shutil.rmtree(corpus / "paper")
    report = ingest([corpus], collection="docs", settings=settings)
    assert _names(report.missing) == ["main.tex"] and report.pruned == []
    assert "main.tex" in {Path(p).name for p in index.files()}
    report = ingest([corpus], collection="docs", settings=settings, prune=True)
    assert _names(report.pruned) == ["main.tex"] and report.chunks_removed > 0
    assert "main.tex" not in {Path(p).name for p in index.files()}
    assert index.vectors.count() == index.chunk_count() == len(index.bm25)


def test_pruning_only_touches_files_under_the_given_paths(
    corpus: Path, settings: Settings, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("Keep me around.")
    ingest([corpus, other], collection="docs", settings=settings)
    (other / "keep.txt").unlink()
    report = ingest([corpus], collection="docs", settings=settings, prune=True)
    assert report.pruned == [] and report.missing == []


def test_collections_are_separate(corpus: Path, settings: Settings) -> None:
    ingest([corpus / "notes.md"], collection="a", settings=settings)
    ingest([corpus / "pools.html"], collection="b", settings=settings)
    a, b = open_index(settings, "a"), open_index(settings, "b")
    assert a.keyword("anemones", 5, None) == [] and b.keyword("anemones", 5, None) != []


def test_jsonl_records_keep_their_metadata(tmp_path: Path, settings: Settings) -> None:
    data = tmp_path / "recs.jsonl"
    data.write_text(
        '{"id": "r1", "text": "Mitochondria make ATP.", "title": "Cells", "year": 1999, "lab": "X"}\n'
        '{"id": "r2", "text": "Ribosomes make proteins.", "title": "Cells 2", "year": 2011}\n'
    )
    ingest([data], collection="recs", settings=settings)
    index = open_index(settings, "recs")
    [(chunk_id, _)] = index.keyword("ATP", 5, SearchFilters(year_max=2000))
    row = index.fetch([chunk_id])[chunk_id]
    assert (row.doc_key, row.year, row.meta, row.title) == ("r1", 1999, {"lab": "X"}, "Cells")


def test_bm25_catches_up_with_a_collection_changed_elsewhere(
    corpus: Path, settings: Settings
) -> None:
    ingest([corpus / "notes.md"], collection="docs", settings=settings)
    index = open_index(settings, "docs")
    index.bm25.build([], [], [], [], [], generation="stale")
    assert index.keyword("basaltic", 5, None) != []
