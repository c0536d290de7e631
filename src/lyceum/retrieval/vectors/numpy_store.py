"""The embedded default: exact cosine search over one float32 matrix per collection.

Measured against LanceDB and sqlite-vec in benchmarks/retrieval.py: at 100k x 384 a
matrix-vector product answers in a few milliseconds with exact recall, loads in well under a
second, and needs no extra dependency, so it is the default (see docs/features/retrieval.md).
Filters are boolean masks over payload columns held beside the matrix.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lyceum.retrieval.types import SearchFilters
from lyceum.retrieval.vectors.base import Payload, check_batch

_NO_YEAR = np.iinfo(np.int32).min


class NumpyVectorStore:
    """Vectors in `<dir>/vectors.npy`, ids and payload columns in `<dir>/meta.json`."""

    def __init__(self, directory: Path, dim: int) -> None:
        self.directory = Path(directory)
        self.dim = dim
        self._matrix = np.zeros((0, dim), dtype=np.float32)
        self._ids: list[str] = []
        self._years = np.zeros(0, dtype=np.int32)
        self._sources: list[str] = []
        self._formats: list[str] = []
        self._pending: list[tuple[list[str], np.ndarray, list[Payload]]] = []
        self._vocab: dict[str, dict[str, int]] = {}
        self._codes: dict[str, np.ndarray] = {}
        self._dirty = False
        self._load()

    def _load(self) -> None:
        matrix_path, meta_path = self.directory / "vectors.npy", self.directory / "meta.json"
        if not matrix_path.exists():
            return
        matrix = np.load(matrix_path)
        meta = json.loads(meta_path.read_text())
        if matrix.shape[1] != self.dim:
            raise ValueError(
                f"{matrix_path} holds {matrix.shape[1]}-d vectors but the embedder gives "
                f"{self.dim}-d; re-ingest the collection after changing the embedding model"
            )
        if len(meta["ids"]) != len(matrix):
            # A flush killed between its two renames; the collection's repair re-embeds.
            return
        self._matrix = matrix
        self._ids = meta["ids"]
        self._years = np.asarray(meta["years"], dtype=np.int32)
        self._sources = meta["sources"]
        self._formats = meta["formats"]

    def _merge_pending(self) -> None:
        if not self._pending:
            return
        ids = [i for batch in self._pending for i in batch[0]]
        payloads = [p for batch in self._pending for p in batch[2]]
        self._matrix = np.concatenate([self._matrix, *(b[1] for b in self._pending)])
        self._ids.extend(ids)
        years = [_NO_YEAR if p.year is None else p.year for p in payloads]
        self._years = np.concatenate([self._years, np.asarray(years, dtype=np.int32)])
        self._sources.extend(p.source for p in payloads)
        self._formats.extend(p.format for p in payloads)
        self._pending.clear()
        self._vocab.clear()

    def add(self, ids: Sequence[str], vectors: np.ndarray, payloads: Sequence[Payload]) -> None:
        check_batch(ids, vectors, payloads, self.dim)
        self._pending.append((list(ids), np.asarray(vectors, dtype=np.float32), list(payloads)))
        self._dirty = True

    def delete(self, ids: Sequence[str]) -> None:
        self._merge_pending()
        drop = set(ids)
        keep = np.fromiter((i not in drop for i in self._ids), dtype=bool, count=len(self._ids))
        if keep.all():
            return
        self._matrix = self._matrix[keep]
        self._years = self._years[keep]
        self._ids = [i for i, k in zip(self._ids, keep, strict=True) if k]
        self._sources = [s for s, k in zip(self._sources, keep, strict=True) if k]
        self._formats = [f for f, k in zip(self._formats, keep, strict=True) if k]
        self._vocab.clear()
        self._dirty = True

    def _in(self, column: str, values: tuple[str, ...]) -> np.ndarray:
        """Mask of rows whose `column` is one of `values`, via a cached code column."""
        if column not in self._vocab:
            data = self._sources if column == "sources" else self._formats
            vocab: dict[str, int] = {}
            codes = np.fromiter((vocab.setdefault(v, len(vocab)) for v in data), dtype=np.int32)
            self._vocab[column] = vocab
            self._codes[column] = codes
        vocab = self._vocab[column]
        return np.isin(self._codes[column], [vocab[v] for v in values if v in vocab])

    def mask(self, filters: SearchFilters) -> np.ndarray:
        self._merge_pending()
        mask = np.ones(len(self._ids), dtype=bool)
        if filters.year_min is not None:
            mask &= (self._years != _NO_YEAR) & (self._years >= filters.year_min)
        if filters.year_max is not None:
            mask &= (self._years != _NO_YEAR) & (self._years <= filters.year_max)
        if filters.sources:
            mask &= self._in("sources", filters.sources)
        if filters.formats:
            mask &= self._in("formats", filters.formats)
        return mask

    def search(
        self, vector: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        self._merge_pending()
        if not self._ids or k <= 0:
            return []
        scores = self._matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)
        if filters is not None and not filters.empty:
            mask = self.mask(filters)
            scores = np.where(mask, scores, -np.inf)
            k = min(k, int(mask.sum()))
            if k == 0:
                return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in top]

    def count(self) -> int:
        self._merge_pending()
        return len(self._ids)

    def ids(self) -> list[str]:
        self._merge_pending()
        return list(self._ids)

    def flush(self) -> None:
        self._merge_pending()
        if not self._dirty:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "ids": self._ids,
            "years": self._years.tolist(),
            "sources": self._sources,
            "formats": self._formats,
        }
        tmp_matrix = self.directory / "vectors.tmp.npy"
        tmp_meta = self.directory / "meta.json.tmp"
        np.save(tmp_matrix, self._matrix)
        tmp_meta.write_text(json.dumps(meta))
        os.replace(tmp_matrix, self.directory / "vectors.npy")
        os.replace(tmp_meta, self.directory / "meta.json")
        self._dirty = False
