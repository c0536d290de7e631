"""Rerankers reorder retrieved chunks by relevance to the query: a cross-encoder model
directory (sentence-transformers `CrossEncoder` format) or an LLM asked for scores."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, Field

from lyceum.errors import ConfigError, LyceumError, MissingDependencyError
from lyceum.llm.model import Model
from lyceum.llm.types import GenerateParams, Message
from lyceum.retrieval.types import SearchResult


@runtime_checkable
class Reranker(Protocol):
    """Returns the `k` most relevant of `results`, best first, with `score` and
    `scores["rerank"]` set and `rank` renumbered."""

    async def rerank(
        self, query: str, results: Sequence[SearchResult], k: int
    ) -> list[SearchResult]: ...


def _reorder(
    results: Sequence[SearchResult], scores: Sequence[float], k: int
) -> list[SearchResult]:
    order = sorted(range(len(results)), key=lambda i: (-scores[i], i))[:k]
    out = []
    for rank, i in enumerate(order, start=1):
        result = results[i]
        out.append(
            result.model_copy(
                update={
                    "score": float(scores[i]),
                    "rank": rank,
                    "scores": {**result.scores, "rerank": float(scores[i])},
                }
            )
        )
    return out


_POSITIVE_LABELS = ("entail", "support", "relevant", "yes", "true")


class CrossEncoderReranker:
    """Any saved sentence-transformers CrossEncoder. A one-logit model's score is used as is;
    a classifier's score is the probability of its positive label (entailment / supported /
    relevant, by `id2label`), so the faithfulness verifier doubles as a reranker."""

    def __init__(
        self, model_dir: Path | str, *, batch_size: int = 32, max_length: int = 512
    ) -> None:
        self.model_dir = Path(model_dir).expanduser()
        if not (self.model_dir / "config.json").exists():
            raise ConfigError(
                f"{self.model_dir} is not a cross-encoder model directory (no config.json)"
            )
        self.batch_size = batch_size
        self.max_length = max_length
        self._model: Any = None
        self._positive: int | None = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    from sentence_transformers import CrossEncoder
                except ImportError as exc:
                    raise MissingDependencyError(
                        "sentence-transformers", "embed", "The cross-encoder reranker"
                    ) from exc
                model = CrossEncoder(str(self.model_dir), max_length=self.max_length, device="cpu")
                config = getattr(model, "config", None) or model.model.config
                labels = {int(i): str(v).lower() for i, v in config.id2label.items()}
                if len(labels) > 1:
                    self._positive = next(
                        (i for i, name in labels.items() if name.startswith(_POSITIVE_LABELS)),
                        max(labels),
                    )
                self._model = model
        return self._model

    def score(self, query: str, passages: Sequence[str]) -> np.ndarray:
        """Relevance of each passage to the query (higher is better)."""
        model = self._load()
        if not passages:
            return np.zeros(0, dtype=np.float32)
        raw = np.asarray(
            model.predict(
                [(query, p) for p in passages],
                batch_size=self.batch_size,
                show_progress_bar=False,
                apply_softmax=self._positive is not None,
            ),
            dtype=np.float32,
        )
        return (
            raw[:, self._positive]
            if raw.ndim == 2 and self._positive is not None
            else raw.reshape(-1)
        )

    async def rerank(
        self, query: str, results: Sequence[SearchResult], k: int
    ) -> list[SearchResult]:
        scores = await asyncio.to_thread(self.score, query, [r.text for r in results])
        return _reorder(results, scores.tolist(), k)


RERANK_SYSTEM_PROMPT = (
    "You rate how well passages answer a search query. For every passage, give a score "
    "from 0 (unrelated) to 10 (directly answers the query). Judge only the passage text."
)
RERANK_USER_TEMPLATE = (
    "Query: {query}\n\nPassages:\n{passages}\n\nScore every passage by its number."
)


class PassageScore(BaseModel):
    index: int = Field(ge=1, description="The passage's number as listed.")
    score: int = Field(ge=0, le=10)


class RerankScores(BaseModel):
    scores: list[PassageScore]


class LLMReranker:
    """Asks a `Model` (usually the gateway) for 0-10 relevance scores, in batches, with
    structured output. Passages the model leaves out keep their retrieval order, last."""

    def __init__(self, model: Model, *, batch_size: int = 8, max_passage_chars: int = 800) -> None:
        self.model = model
        self.batch_size = batch_size
        self.max_passage_chars = max_passage_chars

    async def _score_batch(self, query: str, batch: Sequence[SearchResult]) -> list[float]:
        from lyceum.llm.structured import generate_structured

        passages = "\n\n".join(
            f"[{i}] {r.title + ': ' if r.title else ''}{r.text[: self.max_passage_chars]}"
            for i, r in enumerate(batch, start=1)
        )
        messages = [
            Message.system(RERANK_SYSTEM_PROMPT),
            Message.user(RERANK_USER_TEMPLATE.format(query=query, passages=passages)),
        ]
        reply = await generate_structured(
            self.model, messages, RerankScores, GenerateParams(max_tokens=64 + 16 * len(batch))
        )
        scores = [-1.0] * len(batch)
        for item in reply.scores:
            if 1 <= item.index <= len(batch):
                scores[item.index - 1] = float(item.score)
        return scores

    async def rerank(
        self, query: str, results: Sequence[SearchResult], k: int
    ) -> list[SearchResult]:
        batches = [
            results[i : i + self.batch_size] for i in range(0, len(results), self.batch_size)
        ]
        scored = await asyncio.gather(*(self._score_batch(query, b) for b in batches))
        flat = [s for batch in scored for s in batch]
        # Ties (and unscored passages) keep retrieval order: subtract a tiny rank penalty.
        adjusted = [s - i * 1e-6 for i, s in enumerate(flat)]
        return _reorder(results, adjusted, k)


RerankerFactory = Callable[..., Reranker]
RERANKERS: dict[str, RerankerFactory] = {}


def register_reranker(name: str) -> Callable[[RerankerFactory], RerankerFactory]:
    """Register a reranker factory under a name an experiment or config can refer to."""

    def decorator(factory: RerankerFactory) -> RerankerFactory:
        RERANKERS[name] = factory
        return factory

    return decorator


@register_reranker("llm")
def _llm(model: Model | None = None, **options: Any) -> Reranker:
    if model is None:
        raise LyceumError("the llm reranker needs a model", hint="Pass model=<a Model>.")
    return LLMReranker(model, **options)


@register_reranker("cross-encoder")
def _cross_encoder(model_dir: Path | str | None = None, **options: Any) -> Reranker:
    if model_dir is None:
        raise LyceumError(
            "the cross-encoder reranker needs a model directory",
            hint="Pass model_dir=<a saved sentence-transformers CrossEncoder folder>.",
        )
    return CrossEncoderReranker(model_dir, **options)


def make_reranker(name: str, **options: Any) -> Reranker:
    """A registered reranker by name ('llm' takes model=, 'cross-encoder' takes model_dir=)."""
    if name not in RERANKERS:
        raise LyceumError(
            f"unknown reranker {name!r}", hint=f"Known: {', '.join(sorted(RERANKERS))}."
        )
    return RERANKERS[name](**options)
