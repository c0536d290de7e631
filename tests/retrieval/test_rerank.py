from __future__ import annotations

import json
from pathlib import Path

import pytest

from lyceum.errors import LyceumError, StructuredOutputError
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.retrieval.rerank import CrossEncoderReranker, LLMReranker, make_reranker
from lyceum.retrieval.types import SearchResult


def _results(*texts: str) -> list[SearchResult]:
    return [
        SearchResult(chunk_id=f"c{i}", text=t, score=1.0 / (i + 1), rank=i + 1, collection="x")
        for i, t in enumerate(texts)
    ]


async def test_passages_the_model_skips_keep_retrieval_order_after_scored_ones() -> None:
    backend = ScriptedBackend([json.dumps({"scores": [{"index": 3, "score": 9}]})])
    ranked = await LLMReranker(backend).rerank("q", _results("a", "b", "c"), k=3)
    assert [r.text for r in ranked] == ["c", "a", "b"]
    assert [r.rank for r in ranked] == [1, 2, 3]


async def test_llm_reranker_batches_passages() -> None:
    replies = [
        json.dumps({"scores": [{"index": 1, "score": 2}, {"index": 2, "score": 3}]}),
        json.dumps({"scores": [{"index": 1, "score": 8}]}),
    ]
    backend = ScriptedBackend(replies)
    ranked = await LLMReranker(backend, batch_size=2).rerank("q", _results("a", "b", "c"), k=2)
    assert [r.text for r in ranked] == ["c", "b"] and len(backend.history) == 2


async def test_invalid_model_output_surfaces_as_structured_output_error() -> None:
    backend = ScriptedBackend(["not json", "still not json"])
    with pytest.raises(StructuredOutputError):
        await LLMReranker(backend).rerank("q", _results("a"), k=1)


def test_registry_builds_rerankers_by_name(tmp_path: Path) -> None:
    assert isinstance(make_reranker("llm", model=ScriptedBackend()), LLMReranker)
    with pytest.raises(LyceumError, match="unknown reranker"):
        make_reranker("magic")
    with pytest.raises(LyceumError, match="not a cross-encoder model directory"):
        make_reranker("cross-encoder", model_dir=tmp_path)


@pytest.mark.slow
async def test_cross_encoder_directory_reranks(tmp_path: Path) -> None:
    from sentence_transformers import CrossEncoder

    from lyceum.retrieval.model_paths import minilm_dir

    model = CrossEncoder(str(minilm_dir()), num_labels=1, device="cpu")
    model.save(str(tmp_path / "ce"))
    reranker = CrossEncoderReranker(tmp_path / "ce")
    results = _results("Paris is the capital of France.", "Bananas are yellow.")
    scores = reranker.score("capital of France", [r.text for r in results])
    ranked = await reranker.rerank("capital of France", results, k=2)
    assert [r.text for r in ranked] == [results[int(i)].text for i in (-scores).argsort()]
    assert ranked[0].scores["rerank"] == pytest.approx(float(scores.max()), rel=1e-5)
