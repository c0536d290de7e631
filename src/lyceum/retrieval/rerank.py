"""Rerankers reorder retrieved chunks by relevance to the query: a cross-encoder model
directory (sentence-transformers `CrossEncoder` format; the shipped faithfulness verifier by
default) or an LLM asked for scores."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, Field

from lyceum.errors import ConfigError, LyceumError, MissingDependencyError
from lyceum.llm.backends.openmp_team import run_with_own_team
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
_NO_INFO_LABELS = ("not_enough", "not enough", "nei", "neutral", "irrelevant", "unrelated")
RelevanceScore = Literal["supported", "informative"]


class CrossEncoderReranker:
    """A saved sentence-transformers CrossEncoder; by default the shipped faithfulness verifier.

    A one-logit model's score is used as is. A classifier's logits are divided by the
    temperature in the directory's `verifier.json` (1 without one) and softmaxed; the score is
    then, by `relevance`, p(positive label) ("supported": entailment / supported / relevant,
    by `id2label`) or 1 - p(no-information label) ("informative": not enough info / neutral).
    With three labels temperature can reorder passages under either score, so it is applied
    exactly as the verifier applies it. The default, "supported", ranked better on a
    development split (see docs/features/retrieval.md)."""

    def __init__(
        self,
        model_dir: Path | str | None = None,
        *,
        relevance: RelevanceScore = "supported",
        batch_size: int = 32,
        max_length: int | None = None,
    ) -> None:
        if model_dir is None:
            from lyceum.claimcheck.model import verifier_model_dir

            model_dir = verifier_model_dir()
        self.model_dir = Path(model_dir).expanduser()
        if not (self.model_dir / "config.json").exists():
            raise ConfigError(
                f"{self.model_dir} is not a cross-encoder model directory (no config.json)"
            )
        if relevance not in ("supported", "informative"):
            raise ConfigError(
                f"unknown cross-encoder relevance {relevance!r}",
                hint="Use supported or informative.",
            )
        calibration = self.model_dir / "verifier.json"
        meta = json.loads(calibration.read_text()) if calibration.is_file() else {}
        self.temperature = float(meta.get("temperature", 1.0))
        if self.temperature <= 0:
            raise ConfigError(
                f"{calibration}: temperature must be positive, got {self.temperature}"
            )
        self.relevance: RelevanceScore = relevance
        self.batch_size = batch_size
        self.max_length = max_length or int(meta.get("max_length", 512))
        self._model: Any = None
        self._labels: dict[int, str] = {}
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    import torch
                    from sentence_transformers import CrossEncoder
                except ImportError as exc:
                    raise MissingDependencyError(
                        "sentence-transformers", "embed", "The cross-encoder reranker"
                    ) from exc
                # The verifier's weights are stored in fp16; CPUs compute in fp32.
                model = CrossEncoder(
                    str(self.model_dir),
                    max_length=self.max_length,
                    device="cpu",
                    local_files_only=True,
                    model_kwargs={"dtype": torch.float32},
                )
                config = getattr(model, "config", None) or model.model.config
                labels = {int(i): str(v).lower() for i, v in config.id2label.items()}
                self._labels = labels if len(labels) > 1 else {}
                self._model = model
        return self._model

    def _label(self, prefixes: tuple[str, ...]) -> int | None:
        return next((i for i, n in self._labels.items() if n.startswith(prefixes)), None)

    def _predict(self, pairs: list[tuple[str, str]]) -> Any:
        # Loading runs torch ops too: both on the call's own OpenMP team.
        model = self._load()
        return model.predict(pairs, batch_size=self.batch_size, show_progress_bar=False)

    def probabilities(self, query: str, passages: Sequence[str]) -> np.ndarray:
        """Calibrated class probabilities, shape (len(passages), labels) in `id2label` order;
        a one-logit model's raw scores, shape (len(passages), 1)."""
        if not passages:
            run_with_own_team(self._load)  # for the labels, which give the shape
            return np.zeros((0, max(len(self._labels), 1)))
        pairs = [(query, p) for p in passages]
        logits = np.asarray(run_with_own_team(self._predict, pairs), dtype=np.float64)
        logits = logits.reshape(len(passages), -1)
        if not self._labels:
            return logits
        z = logits / self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def relevance_of(
        self, probabilities: np.ndarray, relevance: RelevanceScore | None = None
    ) -> np.ndarray:
        """Scores (higher is better) from `probabilities`, by `relevance` (default: this
        reranker's)."""
        relevance = relevance or self.relevance
        if not self._labels:
            return probabilities.reshape(-1)
        if relevance == "informative":
            no_info = self._label(_NO_INFO_LABELS)
            if no_info is None:
                raise ConfigError(
                    f"{self.model_dir} has no not-enough-info label ({sorted(self._labels.values())})",
                    hint="Use relevance='supported' with this model.",
                )
            return 1.0 - probabilities[:, no_info]
        positive = self._label(_POSITIVE_LABELS)
        return probabilities[:, max(self._labels) if positive is None else positive]

    def score(self, query: str, passages: Sequence[str]) -> np.ndarray:
        """Relevance of each passage to the query (higher is better)."""
        return self.relevance_of(self.probabilities(query, passages))

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
    return CrossEncoderReranker(model_dir, **options)


def make_reranker(name: str, **options: Any) -> Reranker:
    """A registered reranker by name ('llm' takes model=; 'cross-encoder' takes model_dir=,
    default the shipped faithfulness verifier)."""
    if name not in RERANKERS:
        raise LyceumError(
            f"unknown reranker {name!r}", hint=f"Known: {', '.join(sorted(RERANKERS))}."
        )
    return RERANKERS[name](**options)
