"""Retrieval-augmented answering: dense, hybrid (dense + BM25) and reranked retrieval.

The methods call a retriever with `lyceum.retrieval.search`'s signature; by default that
function itself, so retrieval is configured where it lives (collections, chunking at
index time), and tests inject a plain callable.
"""

from __future__ import annotations

import inspect
from typing import Any, Literal

from pydantic import Field

from lyceum.config import Settings
from lyceum.errors import ConfigError
from lyceum.lab.datasets.base import Example
from lyceum.lab.methods.base import MethodEnv, MethodParams, Retriever, TracedModel, method
from lyceum.lab.methods.extraction import extract_answer
from lyceum.lab.methods.prompts import prompt
from lyceum.lab.outputs import MethodOutput
from lyceum.llm.model import Model
from lyceum.llm.types import GenerateParams


class RagParams(MethodParams):
    collection: str = Field(default="default", description="Retrieval collection to search.")
    k: int = Field(default=4, ge=1, le=100, description="Passages put in the prompt (top-k).")
    chunk_size: int | None = Field(
        default=None,
        ge=50,
        description="Characters per passage shown to the model; longer hits are cut. "
        "(Index-time chunking is the collection's own setting.)",
    )
    reranker: str = Field(
        default="cross-encoder", description="Reranker of rag_reranked (cross-encoder or llm)."
    )


def passage_text(hit: Any) -> str:
    """The text of one retrieval hit: a string, or an object/dict with `text` (or `chunk.text`)."""
    if isinstance(hit, str):
        return hit
    if isinstance(hit, dict) and "text" in hit:
        return str(hit["text"])
    for attr in ("text", "content"):
        value = getattr(hit, attr, None)
        if isinstance(value, str):
            return value
    chunk = getattr(hit, "chunk", None)
    if chunk is not None and isinstance(getattr(chunk, "text", None), str):
        return str(chunk.text)
    raise TypeError(f"cannot read the text of retrieval hit {hit!r}")


def default_retriever(
    reranker: str = "cross-encoder", *, settings: Settings | None = None
) -> Retriever:
    """`lyceum.retrieval.asearch` over the collections of the workspace `settings` describe
    (None: the default workspace's); `rerank=True` reorders the candidates with the named
    reranker (built once)."""
    try:
        from lyceum.retrieval import asearch, make_reranker
    except ImportError as exc:
        raise ConfigError(
            f"RAG methods need lyceum.retrieval ({exc})",
            hint="Install the retrieval extra: pip install 'lyceum[retrieval,embed]'",
        ) from None
    built: dict[str, Any] = {}

    async def retrieve(query: str, *, collection: str, k: int, mode: str, rerank: bool) -> Any:
        if rerank and "reranker" not in built:
            built["reranker"] = make_reranker(reranker)
        return await asearch(
            query,
            collection=collection,
            k=k,
            mode=mode,  # type: ignore[arg-type]
            rerank=built.get("reranker") if rerank else None,
            settings=settings,
        )

    return retrieve


class _Rag:
    mode: Literal["dense", "bm25", "hybrid"] = "dense"
    rerank: bool = False

    def __init__(self, params: RagParams, env: MethodEnv) -> None:
        self.params = params
        self.retriever = env.retriever
        self.settings = env.settings
        self.template = prompt("rag")

    async def retrieve(self, query: str) -> list[str]:
        if self.retriever is None:
            self.retriever = default_retriever(self.params.reranker, settings=self.settings)
        hits = self.retriever(
            query,
            collection=self.params.collection,
            k=self.params.k,
            mode=self.mode,
            rerank=self.rerank,
        )
        if inspect.isawaitable(hits):
            hits = await hits
        texts = [passage_text(h) for h in list(hits)[: self.params.k]]
        if self.params.chunk_size:
            texts = [t[: self.params.chunk_size] for t in texts]
        return texts

    async def solve(self, example: Example, model: Model) -> MethodOutput:
        passages = await self.retrieve(example.question)
        if isinstance(model, TracedModel):
            model.note(
                "retrieval",
                example.question,
                mode=self.mode,
                rerank=self.rerank,
                passages=passages,
            )
        messages = self.template.render(question=example.question, passages=passages)
        completion = await model.generate(
            messages, GenerateParams(max_tokens=self.params.max_tokens)
        )
        return MethodOutput(
            prediction=extract_answer(completion.text),
            raw_output=completion.text,
            passages=passages,
        )


@method("rag_naive", params=RagParams)
class NaiveRag(_Rag):
    """Dense top-k retrieval, passages in the prompt."""

    mode = "dense"


@method("rag_hybrid", params=RagParams)
class HybridRag(_Rag):
    """Dense + BM25 retrieval fused, passages in the prompt."""

    mode = "hybrid"


@method("rag_reranked", params=RagParams)
class RerankedRag(_Rag):
    """Hybrid retrieval reranked by a cross-encoder, passages in the prompt."""

    mode = "hybrid"
    rerank = True
