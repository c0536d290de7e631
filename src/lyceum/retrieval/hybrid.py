"""Search one or more collections: dense, BM25, or both fused with reciprocal rank fusion
(weighted by `dense_weight` and `bm25_weight`), filtered by metadata, optionally reranked."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy import select

from lyceum.config import Settings, load_settings
from lyceum.errors import LyceumError, NotFoundError
from lyceum.retrieval.fusion import reciprocal_rank_fusion
from lyceum.retrieval.index import CorpusIndex, collection_names, open_index
from lyceum.retrieval.rerank import Reranker
from lyceum.retrieval.settings import RetrievalSettings, retrieval_settings
from lyceum.retrieval.types import SearchFilters, SearchMode, SearchResult
from lyceum.store.db import open_database
from lyceum.store.retrieval_tables import CorpusChunkRow

ALL_COLLECTIONS = "*"


def resolve_collections(settings: Settings, collection: str | Sequence[str] | None) -> list[str]:
    """Names to search: the default collection, a name, a list, or "*" for every one."""
    existing = collection_names(settings)
    if collection is None:
        names = [retrieval_settings(settings).default_collection]
    elif isinstance(collection, str):
        names = list(existing) if collection == ALL_COLLECTIONS else [collection]
    else:
        names = list(collection)
    if not names:
        raise NotFoundError(
            "the workspace has no collections yet",
            hint="Ingest files first: lyceum ingest PATH --collection NAME",
        )
    unknown = [n for n in names if n not in existing]
    if unknown:
        have = ", ".join(existing) or "none yet"
        raise NotFoundError(
            f"no collection named {', '.join(map(repr, unknown))} (collections: {have})",
            hint="Ingest files first: lyceum ingest PATH --collection NAME",
        )
    return names


def collection_titles(settings: Settings, collection: str | Sequence[str] | None) -> set[str]:
    """The distinct document titles of the collections `collection` names (as for search)."""
    names = resolve_collections(settings, collection)
    db = open_database(settings.database_url)
    with db.session() as s:
        rows = s.scalars(
            select(CorpusChunkRow.title).where(CorpusChunkRow.collection.in_(names)).distinct()
        )
        return {title for title in rows if title}


def titled_chunk(
    settings: Settings, collection: str | Sequence[str] | None, title: str
) -> SearchResult | None:
    """The first chunk of a document titled `title` in the collections `collection` names,
    or None: a page looked up by its title, as a search result of rank 1."""
    names = resolve_collections(settings, collection)
    db = open_database(settings.database_url)
    with db.session() as s:
        row = s.scalars(
            select(CorpusChunkRow)
            .where(CorpusChunkRow.collection.in_(names), CorpusChunkRow.title == title)
            .order_by(CorpusChunkRow.ordinal, CorpusChunkRow.collection)
            .limit(1)
        ).first()
        return _to_result(row, 1.0, 1, {}) if row is not None else None


def _to_result(
    row: CorpusChunkRow, score: float, rank: int, scores: dict[str, float]
) -> SearchResult:
    return SearchResult(
        chunk_id=row.id,
        text=row.text,
        score=score,
        rank=rank,
        collection=row.collection,
        title=row.title,
        source=row.source,
        url=row.url,
        section=row.section,
        year=row.year,
        authors=list(row.authors or []),
        arxiv_id=row.arxiv_id,
        doi=row.doi,
        format=row.format,
        doc_key=row.doc_key,
        ordinal=row.ordinal,
        start_char=row.start_char,
        end_char=row.end_char,
        scores=scores,
        metadata=dict(row.meta or {}),
    )


def _candidates(
    indexes: list[CorpusIndex],
    query: str,
    mode: SearchMode,
    depth: int,
    filters: SearchFilters | None,
    config: RetrievalSettings,
) -> tuple[list[tuple[str, float]], dict[str, dict[str, float]]]:
    """Fused (id, score) best first, and each id's per-retriever scores.

    Each retriever ranks the hits of every collection together, by its own score: fusing
    one ranking per collection would put a small collection's best hit (say the few
    passages a past run remembered) level with a large collection's best, however poor
    the match. Cosines from one embedder compare across collections; BM25 scores roughly
    do, and a small collection's idf is lower, so its hits do not gain from its size."""
    per_id: dict[str, dict[str, float]] = {}
    rankings: dict[str, list[str]] = {}
    if mode in ("hybrid", "dense"):
        vector = indexes[0].embedder.embed([query])[0]
        dense_all: list[tuple[str, float]] = []
        for index in indexes:
            hits = index.dense(vector, depth, filters)
            dense_all.extend(hits)
            for i, s in hits:
                per_id.setdefault(i, {})["dense"] = s
        rankings["dense"] = [i for i, _ in sorted(dense_all, key=lambda kv: -kv[1])[:depth]]
    if mode in ("hybrid", "bm25"):
        keyword_all: list[tuple[str, float]] = []
        for index in indexes:
            hits = index.keyword(query, depth, filters)
            keyword_all.extend(hits)
            for i, s in hits:
                per_id.setdefault(i, {})["bm25"] = s
        rankings["bm25"] = [i for i, _ in sorted(keyword_all, key=lambda kv: -kv[1])[:depth]]
    if mode != "hybrid":
        [ranking] = rankings.values()
        return [(i, per_id[i][mode]) for i in ranking], per_id
    weights = {"dense": config.dense_weight, "bm25": config.bm25_weight}
    fused = reciprocal_rank_fusion(rankings, k=config.rrf_k, weights=weights)
    for i, s in fused:
        per_id[i]["rrf"] = s
    return fused, per_id


async def asearch(
    query: str,
    *,
    collection: str | Sequence[str] | None = None,
    k: int = 10,
    mode: SearchMode = "hybrid",
    filters: SearchFilters | None = None,
    rerank: Reranker | None = None,
    settings: Settings | None = None,
) -> list[SearchResult]:
    """The `k` best chunks for `query`, with provenance. `mode` picks dense, BM25 or their
    RRF fusion; `rerank` reorders the fused candidates before the cut to `k`."""
    if not query.strip():
        raise LyceumError("empty search query", hint="Pass the words to search for.")
    if k < 1:
        raise LyceumError(f"k must be at least 1, got {k}")
    if mode not in ("hybrid", "dense", "bm25"):
        raise LyceumError(f"unknown search mode {mode!r}", hint="Use hybrid, dense or bm25.")
    settings = settings or load_settings()
    config = retrieval_settings(settings)
    indexes = [open_index(settings, name) for name in resolve_collections(settings, collection)]
    depth = max(config.candidates, k)
    fused, per_id = _candidates(indexes, query, mode, depth, filters, config)
    keep = fused[: max(depth, k) if rerank is not None else k]
    rows: dict[str, CorpusChunkRow] = {}
    for index in indexes:
        rows.update(index.fetch([i for i, _ in keep]))
    results = [
        _to_result(rows[i], score, rank, per_id.get(i, {}))
        for rank, (i, score) in enumerate((kv for kv in keep if kv[0] in rows), start=1)
    ]
    if rerank is not None:
        results = await rerank.rerank(query, results, k)
    return results[:k]


def search(
    query: str,
    *,
    collection: str | Sequence[str] | None = None,
    k: int = 10,
    mode: SearchMode = "hybrid",
    filters: SearchFilters | None = None,
    rerank: Reranker | None = None,
    settings: Settings | None = None,
) -> list[SearchResult]:
    """Blocking `asearch`, for scripts and the CLI (inside an event loop, await `asearch`)."""
    return asyncio.run(
        asearch(
            query,
            collection=collection,
            k=k,
            mode=mode,
            filters=filters,
            rerank=rerank,
            settings=settings,
        )
    )
