"""Retrieval: ingest files into named collections, then search them (dense, BM25, hybrid).

    from lyceum.retrieval import ingest, search
    ingest(["papers/"], collection="papers")
    for hit in search("how is entropy estimated?", collection="papers", k=5):
        print(hit.score, hit.citation)

Heavy dependencies (torch, sentence-transformers, bm25s, lancedb, qdrant-client) load on
first use, not on import.
"""

from __future__ import annotations

from lyceum.retrieval.embeddings import (
    Embedder,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    load_embedder,
)
from lyceum.retrieval.fusion import reciprocal_rank_fusion
from lyceum.retrieval.hybrid import asearch, search
from lyceum.retrieval.index import CorpusIndex, list_collections, open_index
from lyceum.retrieval.ingestion import ingest, ingest_documents
from lyceum.retrieval.rerank import CrossEncoderReranker, LLMReranker, Reranker, make_reranker
from lyceum.retrieval.settings import RetrievalSettings
from lyceum.retrieval.types import (
    FileProblem,
    IngestReport,
    SearchFilters,
    SearchMode,
    SearchResult,
)
from lyceum.retrieval.vectors import VectorStore

__all__ = [
    "CorpusIndex",
    "CrossEncoderReranker",
    "Embedder",
    "FileProblem",
    "HashingEmbedder",
    "IngestReport",
    "LLMReranker",
    "Reranker",
    "RetrievalSettings",
    "SearchFilters",
    "SearchMode",
    "SearchResult",
    "SentenceTransformerEmbedder",
    "VectorStore",
    "asearch",
    "ingest",
    "ingest_documents",
    "list_collections",
    "load_embedder",
    "make_reranker",
    "open_index",
    "reciprocal_rank_fusion",
    "search",
]
