"""Search over ingested collections: modes, filters, collections, provenance, reranking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lyceum.config import Settings
from lyceum.errors import LyceumError, NotFoundError
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.retrieval import LLMReranker, asearch, ingest, search
from lyceum.retrieval.types import SearchFilters


@pytest.fixture
def indexed(corpus: Path, settings: Settings) -> Path:
    ingest([corpus], collection="docs", settings=settings)
    return corpus


def test_hybrid_search_returns_the_right_chunk_with_provenance(
    indexed: Path, settings: Settings
) -> None:
    [top, *_] = search(
        "free energy of a widget equation", collection="docs", settings=settings, k=3
    )
    assert top.title == "Entropy of Widget Ensembles"
    assert top.source == str(indexed / "paper" / "main.tex")
    assert top.format == "latex" and top.authors == ["Grace Hopper", "Alan Turing"]
    assert top.arxiv_id == "2103.01234" and top.year == 2021
    assert "F = U - T S" in top.text
    assert {"dense", "bm25", "rrf"} <= set(top.scores)
    assert top.rank == 1


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_finds_the_pdf_passage(indexed: Path, settings: Settings, mode: str) -> None:
    results = search(
        "chlorophyll absorbs red light", collection="docs", mode=mode, settings=settings, k=2
    )
    assert results[0].source.endswith("plants.pdf") and results[0].section == "page 1"


def test_year_filter_keeps_only_matching_documents(indexed: Path, settings: Settings) -> None:
    results = search(
        "lava", collection="docs", settings=settings, filters=SearchFilters(year_max=2016)
    )
    assert results and all(r.year is not None and r.year <= 2016 for r in results)
    assert {Path(r.source).name for r in results} == {"notes.md"}


def test_source_and_format_filters(indexed: Path, settings: Settings) -> None:
    html = str(indexed / "pools.html")
    results = search(
        "energy", collection="docs", settings=settings, filters=SearchFilters(sources=(html,))
    )
    assert {r.source for r in results} == {html}
    results = search(
        "energy", collection="docs", settings=settings, filters=SearchFilters(formats=("pdf",))
    )
    assert {r.format for r in results} == {"pdf"}


def test_search_across_all_collections(indexed: Path, settings: Settings, tmp_path: Path) -> None:
    extra = tmp_path / "extra.txt"
    extra.write_text("Glaciers carve valleys in mountains.")
    ingest([extra], collection="geo", settings=settings)
    results = search("glaciers valleys", collection="*", settings=settings, k=3)
    assert results[0].collection == "geo"
    assert {
        r.collection for r in search("widget", collection=["docs", "geo"], settings=settings)
    } <= {"docs", "geo"}


def test_unknown_collection_is_a_clear_error(settings: Settings) -> None:
    with pytest.raises(NotFoundError, match="no collection named 'nope'"):
        search("x", collection="nope", settings=settings)


def test_bad_arguments_are_refused(indexed: Path, settings: Settings) -> None:
    with pytest.raises(LyceumError, match="empty search query"):
        search("  ", collection="docs", settings=settings)
    with pytest.raises(LyceumError, match="unknown search mode"):
        search("x", collection="docs", settings=settings, mode="fuzzy")  # type: ignore[arg-type]


async def test_llm_reranker_reorders_by_the_model_scores(indexed: Path, settings: Settings) -> None:
    def judge(messages, params):
        prompt = messages[-1].content
        passages = [line for line in prompt.splitlines() if line.startswith("[")]
        scores = [
            {"index": i, "score": 10 if "Tide pools" in line else 1}
            for i, line in enumerate(passages, start=1)
        ]
        assert params.json_schema is not None
        return json.dumps({"scores": scores})

    backend = ScriptedBackend([judge] * 10)
    results = await asearch(
        "energy",
        collection="docs",
        k=2,
        settings=settings,
        rerank=LLMReranker(backend, batch_size=50),
    )
    assert results[0].title == "Tide pools" and results[0].scores["rerank"] == pytest.approx(
        10, abs=1e-3
    )
    assert [r.rank for r in results] == [1, 2]
    assert len(backend.history) == 1


@pytest.mark.parametrize("store", ["lancedb", "qdrant"])
def test_the_other_vector_stores_serve_the_same_search(
    corpus: Path, workspace: Path, store: str
) -> None:
    from lyceum.config import load_settings

    settings = load_settings(
        workspace, sections={"retrieval": {"embedding_model": "hashing", "vector_store": store}}
    )
    ingest([corpus], collection="docs", settings=settings)
    [top] = search(
        "chlorophyll absorbs red light", collection="docs", mode="dense", k=1, settings=settings
    )
    assert top.source.endswith("plants.pdf")
    filtered = search(
        "lava",
        collection="docs",
        mode="dense",
        settings=settings,
        filters=SearchFilters(year_min=2010, year_max=2016),
    )
    assert {Path(r.source).name for r in filtered} == {"notes.md"}
    assert (
        workspace / "indexes" / "docs" / ("lancedb" if store == "lancedb" else "qdrant")
    ).exists()


def _ids(results) -> list[str]:
    return [r.chunk_id for r in results]


def test_fusion_weights_shift_hybrid_towards_one_retriever(corpus: Path, workspace: Path) -> None:
    from lyceum.config import load_settings

    def configured(**retrieval) -> Settings:
        return load_settings(
            workspace, sections={"retrieval": {"embedding_model": "hashing", **retrieval}}
        )

    ingest([corpus], collection="docs", settings=configured())
    query = "energy of light in plants and pools"
    bm25 = search(query, collection="docs", mode="bm25", k=5, settings=configured())
    dense = search(query, collection="docs", mode="dense", k=5, settings=configured())
    only_bm25 = search(query, collection="docs", k=5, settings=configured(dense_weight=0.0))
    only_dense = search(query, collection="docs", k=5, settings=configured(bm25_weight=0.0))
    assert _ids(only_bm25)[: len(bm25)] == _ids(bm25)
    assert _ids(only_dense)[: len(dense)] == _ids(dense)
    assert _ids(bm25) != _ids(dense)


def test_fusion_weights_cannot_both_be_zero(workspace: Path) -> None:
    from lyceum.config import load_settings
    from lyceum.errors import ConfigError

    # The whole configuration is validated when it is loaded, so the error comes from there.
    with pytest.raises(ConfigError, match="cannot both be 0"):
        load_settings(
            workspace,
            sections={
                "retrieval": {"embedding_model": "hashing", "dense_weight": 0, "bm25_weight": 0}
            },
        )


def test_a_small_collections_best_hit_does_not_outrank_better_hits_of_a_large_one(
    settings: Settings, tmp_path: Path
) -> None:
    big = tmp_path / "big"
    big.mkdir()
    for i in range(12):
        (big / f"tide{i}.txt").write_text(
            f"Tides are the rise and fall of sea levels caused by the Moon and the Sun ({i})."
        )
    small = tmp_path / "small"
    small.mkdir()
    (small / "stars.txt").write_text("Neutron stars form when massive stars collapse.")
    ingest([big], collection="wiki", settings=settings)
    ingest([small], collection="memory", settings=settings)
    results = search("tides sea levels moon", collection="*", settings=settings, k=10)
    # Fused per collection, the memory's only hit was rank 1 of its own lists and came
    # second overall; ranked with the large collection's hits it does not beat them.
    assert [r.collection for r in results] == ["wiki"] * 10
