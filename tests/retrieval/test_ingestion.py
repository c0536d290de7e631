from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lyceum.config import Settings, load_settings
from lyceum.data.extract import Document
from lyceum.errors import LyceumError
from lyceum.retrieval import CorpusIndex, ingest, ingest_documents, open_index
from lyceum.retrieval.index import _open
from lyceum.retrieval.types import SearchFilters
from lyceum.store.db import close_all


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


def _six_files(root: Path) -> list[Path]:
    root.mkdir()
    topics = ["anemones", "basalt", "comets", "dunes", "eclipses", "fjords"]
    files = []
    for i, word in enumerate(topics):
        path = root / f"{i}-{word}.md"
        path.write_text(f"# Notes {i}\nThe {word} page says {word} are remarkable.\n")
        files.append(path)
    return files


def _assert_whole(settings: Settings, files: list[Path]) -> None:
    index = open_index(settings, "docs")
    assert index.vectors.count() == index.chunk_count() == len(index.bm25) == len(files)
    assert not index.interrupted
    for path in files:
        word = path.stem.split("-")[1]
        for hits in (
            index.dense(index.embedder.embed([f"{word} remarkable"])[0], 1, None),
            index.keyword(word, 1, None),
        ):
            [(chunk_id, _)] = hits
            assert index.fetch([chunk_id])[chunk_id].source == str(path)


def test_an_ingest_interrupted_mid_way_keeps_the_files_done(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _six_files(tmp_path / "notes")
    index = open_index(settings, "docs")
    real_embed, calls = index.embedder.embed, []

    def embed_three_then_stop(texts):
        calls.append(texts)
        if len(calls) > 3:
            raise KeyboardInterrupt
        return real_embed(texts)

    monkeypatch.setattr(index.embedder, "embed", embed_three_then_stop)
    with pytest.raises(KeyboardInterrupt):
        ingest([tmp_path / "notes"], collection="docs", settings=settings)
    monkeypatch.undo()
    assert index.vectors.count() == index.chunk_count() == len(index.bm25) == 3
    report = ingest([tmp_path / "notes"], collection="docs", settings=settings)
    assert len(report.unchanged) == 3 and len(report.added) == 3
    _assert_whole(settings, files)


_KILLED_INGEST = """
import os, signal, sys
from pathlib import Path
from lyceum.config import load_settings
from lyceum.retrieval import CorpusIndex, ingest

after, folder = int(sys.argv[1]), Path(sys.argv[2])
replace, commit, done = CorpusIndex.replace_file, CorpusIndex.commit, []

def replace_then_die(self, *args, **kwargs):
    out = replace(self, *args, **kwargs)
    done.append(1)
    if len(done) == after:
        os.kill(os.getpid(), signal.SIGKILL)
    return out

def die(self):
    os.kill(os.getpid(), signal.SIGKILL)

CorpusIndex.replace_file = replace_then_die
if after == 0:
    CorpusIndex.commit = die
settings = load_settings(sections={"retrieval": {"embedding_model": "hashing"}})
ingest([folder], collection="docs", settings=settings)
"""


@pytest.mark.parametrize("after", [3, 0], ids=["killed-after-3-files", "killed-before-commit"])
def test_an_ingest_killed_without_cleanup_is_repaired_by_the_next_one(
    after: int, tmp_path: Path, settings: Settings
) -> None:
    files = _six_files(tmp_path / "notes")
    ingest([files[0]], collection="docs", settings=settings)
    close_all()
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_INGEST, str(after), str(tmp_path / "notes")],
        env={**os.environ, "LYCEUM_WORKSPACE": str(settings.workspace)},
        capture_output=True,
        text=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (settings.workspace / "indexes" / "docs" / "pending").exists()
    _open.clear()
    report = ingest([tmp_path / "notes"], collection="docs", settings=settings)
    assert len(report.unchanged) + len(report.added) == 6
    # The killed writer left chunk rows without vectors: 3 files' worth, or all 5 new ones.
    assert report.chunks_repaired == {3: 3, 0: 5}[after]
    _assert_whole(settings, files)


@pytest.mark.slow
def test_minilm_sees_every_token_of_every_chunk(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(workspace)
    index = open_index(settings, "long")
    embedded: list[str] = []
    real_embed = index.embedder.embed

    def spy(texts):
        embedded.extend(texts)
        return real_embed(texts)

    monkeypatch.setattr(index.embedder, "embed", spy)
    text = " ".join(
        f"Paragraph {i} discusses the tidal forces on moon {i % 9}." for i in range(400)
    )
    doc = Document(text=text, title="Tides and moons of the outer planets, a survey " * 3)
    ingest_documents([doc], source="tides", content_hash="1", collection="long", settings=settings)
    model = index.embedder._load()
    lengths = [len(ids) for ids in model.tokenizer(embedded)["input_ids"]]
    assert len(lengths) > 5 and max(lengths) <= model.max_seq_length == 256
    assert max(lengths) > 240


def test_a_second_writer_is_refused_until_the_first_commits_then_builds_on_it(
    settings: Settings,
) -> None:
    first, second = CorpusIndex(settings, "docs"), CorpusIndex(settings, "docs")
    doc = Document(text="Geysers erupt when groundwater boils.", title="Geysers")
    first.replace_file("a.md", "1", "markdown", [doc])
    assert second.interrupted and second.repair() == 0
    with pytest.raises(LyceumError, match="being changed by another"):
        second.replace_file("b.md", "1", "markdown", [doc])
    first.commit()
    assert not second.interrupted
    second.replace_file("b.md", "1", "markdown", [doc])
    second.commit()
    assert second.vectors.count() == second.chunk_count() == len(second.bm25) == 2
    assert len(first.dense(first.embedder.embed(["geysers"])[0], 5, None)) == 2
