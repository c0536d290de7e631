from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from lyceum.data.readers import (
    InputUnit,
    iter_table_records,
    list_sources,
    read_source,
    read_sources_batch,
)
from lyceum.data.records import Record
from lyceum.data.stats import SourceError
from lyceum.errors import ConfigError


def _mixed_folder(root: Path, corpus) -> Path:
    corpus.write_latex_project(root / "widgets")
    (root / "notes.md").write_text("# Notes\n\nSome *markdown* notes about widgets.\n")
    (root / "page.html").write_text(
        "<html><head><title>Widget page</title></head><body><article><h1>Widgets</h1>"
        "<p>Widgets are small machines that people build in workshops every day.</p>"
        "</article></body></html>"
    )
    (root / "1901.00001.tar.gz").write_bytes(b"this is not a tarball")
    (root / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me br\xfbl\xe9e ".encode("latin-1") * 20)
    (root / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (root / ".hidden.md").write_text("# secret")
    (root / "paper.gz").write_bytes(gzip.compress(corpus.LATEX_MAIN.encode()))
    return root


def test_sources_list_projects_archives_and_documents(tmp_path, corpus):
    root = _mixed_folder(tmp_path / "in", corpus)
    found = {Path(s.path).name: s.format for s in list_sources([root])}
    assert found == {
        "main.tex": "latex",
        "notes.md": "markdown",
        "page.html": "html",
        "1901.00001.tar.gz": "archive",
        "paper.gz": "archive",
        "latin1.txt": "text",
        "binary.txt": "text",
    }
    only = list_sources([root], formats=["archive"])
    assert {Path(s.path).name for s in only} == {"1901.00001.tar.gz", "paper.gz"}


def test_missing_input_path_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        list_sources([tmp_path / "nope"])


def test_reading_counts_unreadable_sources_instead_of_failing(tmp_path, corpus):
    root = _mixed_folder(tmp_path / "in", corpus)
    lines = [s.to_json() for s in list_sources([root])]
    result = read_sources_batch(lines)
    by_source = {Path(r.metadata["source"]).name: r for r in result.records}
    assert set(by_source) == {"main.tex", "notes.md", "page.html", "paper.gz"}
    errors = {Path(e.source).name: e.kind for e in result.errors}
    assert errors == {
        "1901.00001.tar.gz": "corrupt_archive",
        "latin1.txt": "undecodable",
        "binary.txt": "undecodable",
    }
    assert result.docs_in == 7 and result.sources == 7


def test_latex_record_carries_title_authors_abstract_and_sections(tmp_path, corpus):
    root = corpus.write_latex_project(tmp_path / "2103.01234")
    [source] = list_sources([root])
    [record], errors = read_source(source)
    assert errors == [] and record.id == "2103.01234"
    meta = record.metadata
    assert meta["title"] == "Sparse Widgets" and meta["authors"] == ["Ada Lovelace", "Alan Turing"]
    assert meta["abstract"] == "We show that sparse widgets compose, and measure how much."
    assert meta["arxiv_id"] == "2103.01234" and meta["format"] == "latex"
    titles = [s["title"] for s in meta["sections"]]
    assert "Acknowledgements" in titles
    assert "E = mc^2" in record.text and "nobody should read" not in record.text


def test_jsonl_is_streamed_with_bad_lines_counted(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps({"id": 7, "text": "first", "title": "T", "lang": "en"}) + "\n"
        "{not json\n" + json.dumps({"content": "second"}) + "\n" + json.dumps({"other": 1}) + "\n"
    )
    items = list(iter_table_records(InputUnit(str(path), "jsonl")))
    records = [i for i in items if isinstance(i, Record)]
    errors = [i for i in items if isinstance(i, SourceError)]
    assert [(r.id, r.text) for r in records] == [("7", "first"), ("docs:3", "second")]
    assert records[0].metadata["title"] == "T" and records[0].metadata["lang"] == "en"
    assert [e.kind for e in errors] == ["undecodable", "extraction_failed"]


def test_parquet_is_streamed(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "docs.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "body": ["alpha text", "beta text"]}), path)
    items = list(iter_table_records(InputUnit(str(path), "parquet"), text_field="body"))
    assert [(r.id, r.text) for r in items] == [("a", "alpha text"), ("b", "beta text")]


def test_corrupt_parquet_is_one_error(tmp_path):
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1 garbage")
    [item] = list(iter_table_records(InputUnit(str(path), "parquet")))
    assert isinstance(item, SourceError) and item.kind == "undecodable"


def test_steps_compose_as_streams(tmp_path, corpus, words):
    from lyceum.data import clean_records, deduplicate, format_records, read
    from lyceum.data.clean import CleanConfig

    root = _mixed_folder(tmp_path / "in", corpus)
    text = " ".join(words.words(40))
    corpus.write_jsonl(root / "docs.jsonl", [{"id": "a", "text": text}, {"id": "b", "text": text}])
    errors = []
    rows = list(
        format_records(
            deduplicate(
                clean_records(read([root], on_error=errors.append), CleanConfig(min_words=3))
            )
        )
    )
    ids = [row["id"] for _, row in rows]
    assert "a" in ids and "b" not in ids and len(ids) == len(set(ids))
    assert sorted(e.kind for e in errors) == ["corrupt_archive", "undecodable", "undecodable"]
