"""Vector stores: the protocol, the embedded numpy default, LanceDB and Qdrant."""

from __future__ import annotations

from pathlib import Path

from lyceum.retrieval.settings import RetrievalSettings
from lyceum.retrieval.vectors.base import Payload, VectorStore
from lyceum.retrieval.vectors.numpy_store import NumpyVectorStore

__all__ = ["NumpyVectorStore", "Payload", "VectorStore", "open_vector_store"]


def open_vector_store(
    config: RetrievalSettings, directory: Path, collection: str, dim: int
) -> VectorStore:
    """The configured store for one collection, whose files (if any) live in `directory`."""
    if config.vector_store == "numpy":
        return NumpyVectorStore(directory / "vectors", dim)
    if config.vector_store == "lancedb":
        from lyceum.retrieval.vectors.lancedb_store import LanceDBVectorStore

        return LanceDBVectorStore(directory / "lancedb", dim)
    from lyceum.retrieval.vectors.qdrant_store import QdrantVectorStore

    return QdrantVectorStore(
        collection,
        dim,
        url=config.qdrant_url,
        path=None if config.qdrant_url else directory / "qdrant",
        api_key_env=config.qdrant_api_key_env,
    )
