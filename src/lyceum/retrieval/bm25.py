"""BM25 keyword index (bm25s) for one collection, rebuilt from the chunk table whenever the
collection changes so it never drifts from the vector index."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lyceum.errors import MissingDependencyError
from lyceum.retrieval.types import SearchFilters

_NO_YEAR = np.iinfo(np.int32).min


def _stemmer() -> Any:
    try:
        import Stemmer

        return Stemmer.Stemmer("english")
    except ImportError:
        return None


class BM25Index:
    """Chunk ids, their payload columns and a bm25s index, saved in one folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.generation = ""
        self._ids: list[str] = []
        self._years = np.zeros(0, dtype=np.int32)
        self._sources: list[str] = []
        self._formats: list[str] = []
        self._retriever: Any = None
        self._stem = _stemmer()
        if (self.directory / "ids.json").exists():
            self._load()

    @staticmethod
    def _bm25s() -> Any:
        try:
            import bm25s
        except ImportError as exc:
            raise MissingDependencyError("bm25s", "retrieval", "Keyword search") from exc
        return bm25s

    def _tokenize(self, texts: Sequence[str], return_ids: bool) -> Any:
        return self._bm25s().tokenize(
            list(texts),
            stopwords="en",
            stemmer=self._stem,
            show_progress=False,
            return_ids=return_ids,
        )

    def build(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        years: Sequence[int | None],
        sources: Sequence[str],
        formats: Sequence[str],
        generation: str,
    ) -> None:
        """Index `texts` from scratch and save; `generation` names the collection state."""
        self._ids = list(ids)
        self._years = np.asarray([_NO_YEAR if y is None else y for y in years], dtype=np.int32)
        self._sources = list(sources)
        self._formats = list(formats)
        self.generation = generation
        self._retriever = None
        if self._ids:
            retriever = self._bm25s().BM25()
            retriever.index(self._tokenize(texts, return_ids=True), show_progress=False)
            self._retriever = retriever
        self._save()

    def _save(self) -> None:
        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._retriever is not None:
            self._retriever.save(str(tmp / "index"), show_progress=False)
        meta = {
            "generation": self.generation,
            "ids": self._ids,
            "years": self._years.tolist(),
            "sources": self._sources,
            "formats": self._formats,
        }
        (tmp / "ids.json").write_text(json.dumps(meta))
        old = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.directory.exists():
            os.replace(self.directory, old)
        os.replace(tmp, self.directory)
        shutil.rmtree(old, ignore_errors=True)

    def _load(self) -> None:
        meta = json.loads((self.directory / "ids.json").read_text())
        self.generation = meta["generation"]
        self._ids = meta["ids"]
        self._years = np.asarray(meta["years"], dtype=np.int32)
        self._sources = meta["sources"]
        self._formats = meta["formats"]
        if (self.directory / "index").exists():
            self._retriever = self._bm25s().BM25.load(
                str(self.directory / "index"), show_progress=False
            )

    def __len__(self) -> int:
        return len(self._ids)

    def _mask(self, filters: SearchFilters) -> np.ndarray:
        mask = np.ones(len(self._ids), dtype=bool)
        if filters.year_min is not None:
            mask &= (self._years != _NO_YEAR) & (self._years >= filters.year_min)
        if filters.year_max is not None:
            mask &= (self._years != _NO_YEAR) & (self._years <= filters.year_max)
        if filters.sources:
            wanted = set(filters.sources)
            mask &= np.fromiter((s in wanted for s in self._sources), dtype=bool, count=len(mask))
        if filters.formats:
            wanted = set(filters.formats)
            mask &= np.fromiter((f in wanted for f in self._formats), dtype=bool, count=len(mask))
        return mask

    def search(
        self, query: str, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) best first; chunks sharing no term with the query are omitted."""
        if self._retriever is None or k <= 0:
            return []
        vocab = self._retriever.vocab_dict
        tokens = [t for t in self._tokenize([query], return_ids=False)[0] if t in vocab]
        if not tokens:
            return []
        mask = None
        if filters is not None and not filters.empty:
            mask = self._mask(filters)
            if not mask.any():
                return []
        scores = self._retriever.get_scores(tokens)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        # Only chunks sharing a term score above zero; selecting among those is ~100x faster
        # than bm25s' argpartition over every chunk, which degrades on the many tied zeros.
        matched = np.flatnonzero(scores > 0)
        if matched.size == 0:
            return []
        k = min(k, matched.size)
        top = matched[np.argpartition(-scores[matched], k - 1)[:k]]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[int(i)], float(scores[i])) for i in top]
