"""The `VectorStore` protocol: one collection's vectors, searchable by cosine similarity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel

from lyceum.retrieval.types import SearchFilters


class Payload(BaseModel):
    """The per-vector metadata stores keep so that filters run inside the index."""

    year: int | None = None
    source: str = ""
    format: str = ""


@runtime_checkable
class VectorStore(Protocol):
    """Vectors are L2-normalised float32; `search` returns (id, cosine) best first."""

    dim: int

    def add(self, ids: Sequence[str], vectors: np.ndarray, payloads: Sequence[Payload]) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def search(
        self, vector: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]: ...

    def count(self) -> int: ...

    def ids(self) -> list[str]:
        """Every stored id (for repairs after an interrupted ingest, not for hot paths)."""
        ...

    def flush(self) -> None:
        """Persist pending changes (a no-op for stores that write through)."""
        ...


def check_batch(
    ids: Sequence[str], vectors: np.ndarray, payloads: Sequence[Payload], dim: int
) -> None:
    if vectors.ndim != 2 or vectors.shape[1] != dim:
        raise ValueError(f"expected vectors of shape (n, {dim}), got {vectors.shape}")
    if not (len(ids) == len(vectors) == len(payloads)):
        raise ValueError(
            f"ids ({len(ids)}), vectors ({len(vectors)}) and payloads ({len(payloads)}) differ"
        )
