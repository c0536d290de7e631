"""Text embeddings: the sentence-transformers embedder (MiniLM from
its wheel by default, loaded lazily and offline) and a model-free hashing embedder,
both `Embedder`s (the protocol lives in `lyceum.llm.embedder`, re-exported here)."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lyceum.errors import ConfigError, MissingDependencyError
from lyceum.llm.backends import local_threads
from lyceum.llm.backends.openmp_team import run_with_own_team
from lyceum.llm.embedder import Embedder


def default_threads() -> int:
    """Torch threads when `embed_threads` is unset: every core other processes are not
    using right now (re-measured per call, ~0.25 s of sampling at most every 20 s).

    MiniLM embeds 27 chunks/s on 1 thread and 50 on 2 on a quiet 2-core machine, but on a
    busy one 2 threads embedded a query in 346-468 ms p50 against 26-43 ms on one
    (benchmarks/retrieval.py, "thread count"): a preempted thread stalls the others."""
    return local_threads.threads_now()


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class SentenceTransformerEmbedder:
    """Any sentence-transformers model directory, loaded on first use with the hub offline."""

    def __init__(
        self,
        model_dir: Path | str,
        *,
        batch_size: int = 64,
        device: str = "cpu",
        threads: int | None = None,
    ) -> None:
        self.model_dir = Path(model_dir)
        if not (self.model_dir / "config.json").exists():
            raise ConfigError(
                f"{self.model_dir} is not a sentence-transformers model directory (no config.json)",
                hint="Set retrieval.embedding_model to 'minilm' or to a saved model folder.",
            )
        self.name = (
            self.model_dir.name if self.model_dir.name != "model" else self.model_dir.parent.name
        )
        self.batch_size = batch_size
        self.device = device
        # None: follow the machine's load, checked between calls (see `default_threads`).
        self.threads = threads
        self._watch = local_threads.LoadWatch() if threads is None else None
        self._auto_threads = 0
        config = self.model_dir / "sentence_bert_config.json"
        limit = json.loads(config.read_text()).get("max_seq_length") if config.exists() else None
        self.max_tokens: int | None = int(limit) if limit else None
        self._model = None
        self._dim: int | None = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise MissingDependencyError(
                        "sentence-transformers", "embed", "Embedding with a model"
                    ) from exc
                self._model = SentenceTransformer(str(self.model_dir), device=self.device)
                dim_of = getattr(self._model, "get_embedding_dimension", None) or (
                    self._model.get_sentence_embedding_dimension
                )
                self._dim = int(dim_of())
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            run_with_own_team(self._load)
        assert self._dim is not None
        return self._dim

    def _threads_now(self) -> int:
        if self.threads is not None:
            return self.threads
        assert self._watch is not None
        checked = self._watch.check()
        if checked is not None:
            self._auto_threads = checked
        elif not self._auto_threads:
            self._auto_threads = default_threads()
        return self._auto_threads

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(run_with_own_team(self._encode, list(texts), self._threads_now()))

    def _encode(self, texts: list[str], threads: int) -> np.ndarray:
        model = self._load()
        import torch

        # Torch's thread count is process-wide: set it for this call only (cheap: ~0.4 us),
        # so other torch users in the process keep theirs.
        previous = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            return model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        finally:
            torch.set_num_threads(previous)


class HashingEmbedder:
    """Feature hashing of word unigrams and bigrams: no model, no torch, deterministic.

    It captures lexical overlap only, so it is a fallback for machines without torch and a
    fast stand-in in tests and benchmarks, not a substitute for a semantic model."""

    _WORD = re.compile(r"\w\w+")

    def __init__(self, dim: int = 384) -> None:
        self.name = f"hashing-{dim}"
        self.dim = dim
        self.max_tokens: int | None = None

    def _index(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dim, 1.0 if (value >> 63) & 1 else -1.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = self._WORD.findall(text.lower())
            for feature in [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]:
                col, sign = self._index(feature)
                out[row, col] += sign
        return _normalise(out)


_cache: dict[tuple[str, int, int | None], Embedder] = {}
_cache_lock = threading.Lock()


def load_embedder(
    model: str = "minilm", *, batch_size: int = 64, threads: int | None = None
) -> Embedder:
    """The embedder named by `retrieval.embedding_model`, one instance per process;
    `threads` is torch's thread count while embedding (None: `default_threads()`)."""
    with _cache_lock:
        key = (model, batch_size, threads)
        if key not in _cache:
            if model == "minilm":
                from lyceum.retrieval.model_paths import minilm_dir

                _cache[key] = SentenceTransformerEmbedder(
                    minilm_dir(), batch_size=batch_size, threads=threads
                )
            elif model == "hashing" or model.startswith("hashing-"):
                dim = int(model.split("-", 1)[1]) if "-" in model else 384
                _cache[key] = HashingEmbedder(dim)
            else:
                _cache[key] = SentenceTransformerEmbedder(
                    Path(model).expanduser(), batch_size=batch_size, threads=threads
                )
        return _cache[key]
