from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lyceum.claimcheck.model import verifier_model_dir
from lyceum.errors import ConfigError, LyceumError, StructuredOutputError
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.retrieval.rerank import CrossEncoderReranker, LLMReranker, make_reranker
from lyceum.retrieval.types import SearchResult

from ..own_team import ran_on_ended_threads, threads_of


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


def test_the_default_cross_encoder_is_the_shipped_verifier_with_its_temperature() -> None:
    reranker = make_reranker("cross-encoder")
    assert isinstance(reranker, CrossEncoderReranker)
    assert reranker.model_dir == verifier_model_dir()
    calibration = json.loads((verifier_model_dir() / "verifier.json").read_text())
    assert reranker.temperature == calibration["temperature"] != 1.0
    assert reranker.max_length == calibration["max_length"]


def test_a_given_model_directory_overrides_the_verifier(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    reranker = make_reranker("cross-encoder", model_dir=tmp_path)
    assert isinstance(reranker, CrossEncoderReranker)
    assert reranker.model_dir == tmp_path
    assert reranker.temperature == 1.0 and reranker.max_length == 512


def test_unknown_relevance_score_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown cross-encoder relevance 'best'"):
        CrossEncoderReranker(relevance="best")  # type: ignore[arg-type]


@pytest.mark.slow
async def test_verifier_reranks_with_its_calibrated_probabilities() -> None:
    reranker = CrossEncoderReranker()
    query = "capital of France"
    results = _results("Bananas are yellow and grow in bunches.", "Paris is the capital of France.")
    ranked = await reranker.rerank(query, results, k=2)
    assert [r.text for r in ranked] == [results[1].text, results[0].text]

    logits = reranker._load().predict([(query, r.text) for r in results], show_progress_bar=False)
    z = np.asarray(logits, dtype=np.float64) / reranker.temperature
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    probs = reranker.probabilities(query, [r.text for r in results])
    assert probs == pytest.approx(expected, rel=1e-6)
    # Labels: supported, contradicted, not_enough_info.
    top = probs[1, 0] if reranker.relevance == "supported" else 1 - probs[1, 2]
    assert ranked[0].scores["rerank"] == pytest.approx(top, rel=1e-5)


def test_the_cross_encoder_computes_on_a_thread_that_ends_with_the_call() -> None:
    # See lyceum.llm.backends.openmp_team: torch's OpenMP team must not outlive the call.
    reranker = CrossEncoderReranker()
    passages = ["Paris is the capital of France."]
    score = lambda: reranker.score("capital of France", passages)  # noqa: E731
    assert ran_on_ended_threads(threads_of(reranker._load(), "predict", score))
