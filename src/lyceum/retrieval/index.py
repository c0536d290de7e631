"""One collection's index: chunk rows in SQL (the source of truth), vectors in a `VectorStore`
and a BM25 index beside them, all changed together.

SQL commits file by file while vectors and BM25 are persisted by `commit()`, so a process
killed in between leaves them behind. The first change after a commit therefore takes the
collection's write lock and leaves a `pending` marker that only `commit()` removes; whoever
opens the collection and finds the marker with no live writer repairs it from SQL."""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from sqlalchemy import delete, func, select

from lyceum.config import Settings
from lyceum.data.extract import Document
from lyceum.errors import ConfigError, LyceumError
from lyceum.progress import ProgressCallback, ProgressEvent
from lyceum.retrieval.bm25 import BM25Index
from lyceum.retrieval.chunking import (
    Tokenizer,
    WhitespaceTokenizer,
    chunk_document,
    embedding_window,
    load_tokenizer,
    title_prefix,
)
from lyceum.retrieval.embeddings import Embedder, SentenceTransformerEmbedder, load_embedder
from lyceum.retrieval.settings import RetrievalSettings, index_root, retrieval_settings
from lyceum.retrieval.types import SearchFilters
from lyceum.retrieval.vectors import Payload, VectorStore, open_vector_store
from lyceum.store.db import Database, open_database
from lyceum.store.retrieval_tables import CorpusChunkRow, CorpusFileRow

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
EMBED_BATCH = 256


def check_collection_name(name: str) -> str:
    if not _NAME_RE.match(name):
        raise LyceumError(
            f"invalid collection name {name!r}",
            hint="Use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit.",
        )
    return name


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


@dataclass(frozen=True)
class FileState:
    id: str
    content_hash: str
    n_chunks: int


class CorpusIndex:
    """Open with `open_index`; one instance per collection per process."""

    def __init__(self, settings: Settings, collection: str) -> None:
        self.settings = settings
        self.config: RetrievalSettings = retrieval_settings(settings)
        self.collection = check_collection_name(collection)
        self.directory = index_root(settings) / collection
        self.db: Database = open_database(settings.database_url)
        self.embedder: Embedder = load_embedder(
            self.config.embedding_model,
            batch_size=self.config.embed_batch_size,
            threads=self.config.embed_threads,
        )
        self._vectors: VectorStore | None = None
        self._vectors_generation = ""
        self.bm25 = BM25Index(self.directory / "bm25")
        self._changed = False
        self._write_lock: IO[bytes] | None = None
        self._repaired_unreported = 0
        self.lock = threading.RLock()
        self._check_manifest()

    @property
    def tokenizer(self) -> Tokenizer:
        if isinstance(self.embedder, SentenceTransformerEmbedder):
            return load_tokenizer(self.embedder.model_dir)
        return WhitespaceTokenizer()

    @property
    def vectors(self) -> VectorStore:
        if self._vectors is None:
            self._vectors_generation = self.generation
            self._vectors = open_vector_store(
                self.config, self.directory, self.collection, self.embedder.dim
            )
        return self._vectors

    # -- manifest: which embedder built the vectors, and the collection's generation --

    def _manifest_path(self) -> Path:
        return self.directory / "manifest.json"

    def _read_manifest(self) -> dict[str, Any]:
        path = self._manifest_path()
        return json.loads(path.read_text()) if path.exists() else {}

    def _check_manifest(self) -> None:
        built_with = self._read_manifest().get("embedding_model")
        if built_with and built_with != self.config.embedding_model:
            raise ConfigError(
                f"collection {self.collection!r} was embedded with {built_with!r}, but "
                f"retrieval.embedding_model is {self.config.embedding_model!r}",
                hint=f"Restore the setting, or delete {self.directory} and re-ingest.",
            )

    @property
    def generation(self) -> str:
        return str(self._read_manifest().get("generation", ""))

    # -- the write lock and the marker of uncommitted changes --

    def _pending_path(self) -> Path:
        return self.directory / "pending"

    @property
    def interrupted(self) -> bool:
        """Whether changes were made that no `commit()` persisted (a crashed or running writer)."""
        return self._pending_path().exists()

    def _try_lock(self) -> bool:
        """Take the collection's write lock unless another process (or index) holds it.
        The OS drops the lock when its holder dies, however it dies."""
        if self._write_lock is not None:
            return True
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = (self.directory / "write.lock").open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._write_lock = handle
        # Holding no changes of our own, start from what the last writer saved.
        self._vectors = None
        return True

    def _begin_change(self) -> None:
        if self._write_lock is not None:
            return
        if not self._try_lock():
            raise LyceumError(
                f"collection {self.collection!r} is being changed by another process or index",
                hint="Wait for the other ingest to finish, then run this one again.",
            )
        marker = self._pending_path()
        with marker.open("w") as f:
            f.write(str(os.getpid()))
            f.flush()
            os.fsync(f.fileno())

    def _end_change(self) -> None:
        self._pending_path().unlink(missing_ok=True)
        if self._write_lock is not None:
            self._write_lock.close()
            self._write_lock = None

    def repair(self) -> int:
        """Bring vectors and BM25 back in step with SQL after an interrupted writer: embed the
        chunks that have no vector, drop vectors whose chunk is gone, rebuild BM25.
        Returns how many vectors were added or dropped; 0 (doing nothing) while another
        writer holds the collection."""
        if not self.interrupted and self.vectors.count() == self.chunk_count():
            return 0
        with self.lock:
            if not self._try_lock():
                return 0
            with self.db.session() as s:
                known = set(
                    s.scalars(
                        select(CorpusChunkRow.id).where(
                            CorpusChunkRow.collection == self.collection
                        )
                    )
                )
            stored = set(self.vectors.ids())
            orphans = sorted(stored - known)
            missing = sorted(known - stored)
            self.vectors.delete(orphans)
            for start in range(0, len(missing), EMBED_BATCH):
                rows = list(self.fetch(missing[start : start + EMBED_BATCH]).values())
                texts = [self._embed_text(r.title, r.text, self.tokenizer) for r in rows]
                self.vectors.add(
                    [r.id for r in rows],
                    self.embedder.embed(texts),
                    [Payload(year=r.year, source=r.source, format=r.format) for r in rows],
                )
            # Even with every vector in place, BM25 may predate the last changes.
            self._changed = True
            self.commit()
            self._repaired_unreported += len(orphans) + len(missing)
            return len(orphans) + len(missing)

    def take_repair_count(self) -> int:
        """Vectors `repair` added or dropped since the last call: a repair usually happens
        when the collection is opened, before any ingest is there to report it."""
        count, self._repaired_unreported = self._repaired_unreported, 0
        return count

    # -- reading --

    def files(self) -> dict[str, FileState]:
        with self.db.session() as s:
            rows = s.execute(
                select(
                    CorpusFileRow.path,
                    CorpusFileRow.id,
                    CorpusFileRow.content_hash,
                    CorpusFileRow.n_chunks,
                ).where(CorpusFileRow.collection == self.collection)
            )
            return {path: FileState(fid, h, n) for path, fid, h, n in rows}

    def chunk_count(self) -> int:
        with self.db.session() as s:
            query = select(func.count()).where(CorpusChunkRow.collection == self.collection)
            return int(s.execute(query).scalar_one())

    def fetch(self, ids: Sequence[str]) -> dict[str, CorpusChunkRow]:
        if not ids:
            return {}
        with self.db.session() as s:
            rows = s.scalars(select(CorpusChunkRow).where(CorpusChunkRow.id.in_(list(ids))))
            return {r.id: r for r in rows}

    # -- writing --

    def replace_file(
        self,
        path: str,
        content_hash: str,
        format: str,
        documents: Sequence[Document],
        progress: ProgressCallback | None = None,
        task: str = "embed",
    ) -> tuple[int, int]:
        """Make `documents` the content of `path`: chunk, embed, store; drop its old chunks.
        Returns (chunks added, chunks removed). `progress` hears the chunks embedded, as
        `task`."""
        rows: list[dict[str, Any]] = []
        tokenizer = self.tokenizer
        for doc in documents:
            size, overlap = embedding_window(
                title_prefix(doc.title, tokenizer),
                tokenizer,
                self.config.chunk_tokens,
                self.config.chunk_overlap,
                self.embedder.max_tokens,
            )
            for draft in chunk_document(doc, tokenizer, size, overlap):
                rows.append(
                    {
                        "id": uuid.uuid4().hex,
                        "collection": self.collection,
                        "doc_key": doc.key,
                        "ordinal": draft.ordinal,
                        "text": draft.text,
                        "title": doc.title[:1024],
                        "source": doc.source or path,
                        "url": doc.url,
                        "section": draft.section[:1024],
                        "authors": doc.authors,
                        "year": doc.year,
                        "arxiv_id": doc.arxiv_id,
                        "doi": doc.doi,
                        "format": doc.format,
                        "start_char": draft.start,
                        "end_char": draft.end,
                        "tokens": draft.tokens,
                        "metadata": _jsonable(doc.metadata),  # the column name
                    }
                )
        vectors = np.zeros((0, self.embedder.dim), dtype=np.float32)
        if progress is not None:
            progress(ProgressEvent(kind="start", task=task, total=len(rows)))
        if rows:
            parts = []
            for start in range(0, len(rows), EMBED_BATCH):
                batch = rows[start : start + EMBED_BATCH]
                texts = [self._embed_text(r["title"], r["text"], tokenizer) for r in batch]
                parts.append(self.embedder.embed(texts))
                if progress is not None:
                    progress(ProgressEvent(kind="advance", task=task, n=len(batch)))
            vectors = np.concatenate(parts)
        with self.lock:
            self._begin_change()
            removed = self.remove_file(path)
            payloads = [
                Payload(year=r["year"], source=r["source"], format=r["format"]) for r in rows
            ]
            self.vectors.add([r["id"] for r in rows], vectors, payloads)
            with self.db.session() as s:
                file_row = CorpusFileRow(
                    collection=self.collection,
                    path=path,
                    content_hash=content_hash,
                    format=format,
                    n_documents=len(documents),
                    n_chunks=len(rows),
                )
                s.add(file_row)
                s.flush()
                for r in rows:
                    r["file_id"] = file_row.id
                if rows:
                    s.execute(CorpusChunkRow.__table__.insert(), rows)
            self._changed = True
        return len(rows), removed

    @staticmethod
    def _embed_text(title: str, text: str, tokenizer: Tokenizer) -> str:
        """Chunks are embedded with their document title, which often names the subject the
        chunk's pronouns refer to (chunks are sized so that both fit the model's input)."""
        prefix = title_prefix(title, tokenizer)
        return prefix + text if prefix and not text.startswith(title.strip()) else text

    def remove_file(self, path: str) -> int:
        """Drop a file and its chunks; returns how many chunks went."""
        with self.lock, self.db.session() as s:
            file_id = s.scalar(
                select(CorpusFileRow.id).where(
                    CorpusFileRow.collection == self.collection, CorpusFileRow.path == path
                )
            )
            if file_id is None:
                return 0
            self._begin_change()
            ids = list(
                s.scalars(select(CorpusChunkRow.id).where(CorpusChunkRow.file_id == file_id))
            )
            self.vectors.delete(ids)
            s.execute(delete(CorpusChunkRow).where(CorpusChunkRow.file_id == file_id))
            s.execute(delete(CorpusFileRow).where(CorpusFileRow.id == file_id))
            self._changed = True
            return len(ids)

    def commit(self) -> None:
        """Persist vectors and bring BM25 in step, if anything changed since the last commit."""
        with self.lock:
            if not self._changed and self.bm25.generation == self.generation:
                return
            self.vectors.flush()
            generation = uuid.uuid4().hex if self._changed else self.generation or uuid.uuid4().hex
            self._rebuild_bm25(generation)
            self.directory.mkdir(parents=True, exist_ok=True)
            manifest = {
                "collection": self.collection,
                "embedding_model": self.config.embedding_model,
                "dim": self.embedder.dim,
                "vector_store": self.config.vector_store,
                "generation": generation,
            }
            self._manifest_path().write_text(json.dumps(manifest, indent=2))
            self._vectors_generation = generation
            self._changed = False
            self._end_change()

    def _rebuild_bm25(self, generation: str) -> None:
        with self.db.session() as s:
            rows = s.execute(
                select(
                    CorpusChunkRow.id,
                    CorpusChunkRow.title,
                    CorpusChunkRow.text,
                    CorpusChunkRow.year,
                    CorpusChunkRow.source,
                    CorpusChunkRow.format,
                )
                .where(CorpusChunkRow.collection == self.collection)
                .order_by(CorpusChunkRow.id)
            ).all()
        self.bm25.build(
            [r[0] for r in rows],
            [f"{r[1]}\n{r[2]}" for r in rows],
            [r[3] for r in rows],
            [r[4] for r in rows],
            [r[5] for r in rows],
            generation,
        )

    # -- searching --

    def ensure_consistent(self) -> None:
        """Rebuild BM25 if another process changed the collection since it was built."""
        if self.bm25.generation != self.generation:
            with self.lock:
                self._rebuild_bm25(self.generation)

    def dense(
        self, vector: np.ndarray, k: int, filters: SearchFilters | None
    ) -> list[tuple[str, float]]:
        if self._write_lock is None and self._vectors_generation != self.generation:
            with self.lock:
                self._vectors = None  # another process committed: reload its vectors
        return self.vectors.search(vector, k, filters)

    def keyword(self, query: str, k: int, filters: SearchFilters | None) -> list[tuple[str, float]]:
        self.ensure_consistent()
        return self.bm25.search(query, k, filters)


_open: dict[tuple[str, str, str, str], CorpusIndex] = {}
_open_lock = threading.Lock()


def open_index(settings: Settings, collection: str) -> CorpusIndex:
    """The process-wide index of `collection` in the settings' workspace."""
    config = retrieval_settings(settings).model_dump_json()
    key = (str(index_root(settings).resolve()), settings.database_url, collection, config)
    with _open_lock:
        index = _open.get(key)
        if index is None:
            index = _open[key] = CorpusIndex(settings, collection)
            if index.interrupted:
                index.repair()
        return index


def collection_names(settings: Settings) -> list[str]:
    """Names of the workspace's collections (cheap: reads the small files table)."""
    db = open_database(settings.database_url)
    with db.session() as s:
        return sorted(s.scalars(select(CorpusFileRow.collection).distinct()))


def list_collections(settings: Settings) -> dict[str, tuple[int, int]]:
    """Collections in the workspace with (files, chunks) counts."""
    db = open_database(settings.database_url)
    with db.session() as s:
        files = dict(
            s.execute(
                select(CorpusFileRow.collection, func.count()).group_by(CorpusFileRow.collection)
            ).all()
        )
        chunks = dict(
            s.execute(
                select(CorpusChunkRow.collection, func.count()).group_by(CorpusChunkRow.collection)
            ).all()
        )
    return {name: (int(files[name]), int(chunks.get(name, 0))) for name in sorted(files)}
