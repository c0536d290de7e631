"""Qdrant: a server by URL when a corpus outgrows one machine, or Qdrant's local mode
(`QdrantClient(path=...)`) in the workspace. One Qdrant collection per Lyceum collection."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lyceum.errors import MissingDependencyError
from lyceum.retrieval.types import SearchFilters
from lyceum.retrieval.vectors.base import Payload, check_batch

_BATCH = 256


def _point_id(chunk_id: str) -> str:
    """Qdrant ids must be UUIDs or integers; chunk ids are UUID hex or arbitrary strings."""
    try:
        return str(uuid.UUID(chunk_id))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, chunk_id))


class QdrantVectorStore:
    def __init__(
        self,
        collection: str,
        dim: int,
        *,
        url: str | None = None,
        path: Path | None = None,
        api_key_env: str = "QDRANT_API_KEY",
        client: Any = None,
    ) -> None:
        try:
            from qdrant_client import QdrantClient, models
        except ImportError as exc:
            raise MissingDependencyError(
                "qdrant-client", "qdrant", "The Qdrant vector store"
            ) from exc
        self._models = models
        self.dim = dim
        self.name = f"lyceum_{collection}"
        if client is not None:
            self.client = client
        elif url:
            self.client = QdrantClient(url=url, api_key=os.environ.get(api_key_env))
        else:
            self.client = QdrantClient(path=str(path) if path else ":memory:")
        if not self.client.collection_exists(self.name):
            self.client.create_collection(
                self.name,
                vectors_config=models.VectorParams(size=dim, distance=models.Distance.COSINE),
            )
            if url:  # local mode scans payloads; only a server uses payload indexes
                for field, schema in (
                    ("year", "integer"),
                    ("source", "keyword"),
                    ("format", "keyword"),
                ):
                    self.client.create_payload_index(self.name, field, field_schema=schema)

    def add(self, ids: Sequence[str], vectors: np.ndarray, payloads: Sequence[Payload]) -> None:
        check_batch(ids, vectors, payloads, self.dim)
        points = [
            self._models.PointStruct(
                id=_point_id(chunk_id),
                vector=vector.tolist(),
                payload={"chunk_id": chunk_id, **payload.model_dump(exclude_none=True)},
            )
            for chunk_id, vector, payload in zip(ids, vectors, payloads, strict=True)
        ]
        for start in range(0, len(points), _BATCH):
            self.client.upsert(self.name, points=points[start : start + _BATCH], wait=True)

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self.client.delete(
                self.name,
                points_selector=self._models.PointIdsList(points=[_point_id(i) for i in ids]),
                wait=True,
            )

    def _filter(self, filters: SearchFilters | None) -> Any:
        if filters is None or filters.empty:
            return None
        m = self._models
        must: list[Any] = []
        if filters.year_min is not None or filters.year_max is not None:
            must.append(
                m.FieldCondition(
                    key="year", range=m.Range(gte=filters.year_min, lte=filters.year_max)
                )
            )
        if filters.sources:
            must.append(m.FieldCondition(key="source", match=m.MatchAny(any=list(filters.sources))))
        if filters.formats:
            must.append(m.FieldCondition(key="format", match=m.MatchAny(any=list(filters.formats))))
        return m.Filter(must=must)

    def search(
        self, vector: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        response = self.client.query_points(
            self.name,
            query=np.asarray(vector, dtype=np.float32).reshape(-1).tolist(),
            limit=k,
            query_filter=self._filter(filters),
            with_payload=["chunk_id"],
        )
        return [(p.payload["chunk_id"], float(p.score)) for p in response.points]

    def count(self) -> int:
        return int(self.client.count(self.name, exact=True).count)

    def ids(self) -> list[str]:
        out: list[str] = []
        offset = None
        while True:
            points, offset = self.client.scroll(
                self.name, limit=1024, offset=offset, with_payload=["chunk_id"], with_vectors=False
            )
            out.extend(p.payload["chunk_id"] for p in points)
            if offset is None:
                return out

    def flush(self) -> None:
        """Qdrant writes through (`wait=True`)."""

    def close(self) -> None:
        self.client.close()
