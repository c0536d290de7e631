"""LanceDB in the workspace: a table per collection, filters as SQL `where` clauses."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lyceum.errors import MissingDependencyError
from lyceum.retrieval.types import SearchFilters
from lyceum.retrieval.vectors.base import Payload, check_batch


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class LanceDBVectorStore:
    def __init__(self, directory: Path, dim: int, table: str = "chunks") -> None:
        try:
            import lancedb
            import pyarrow as pa
        except ImportError as exc:
            raise MissingDependencyError(
                "lancedb", "retrieval", "The LanceDB vector store"
            ) from exc
        self.dim = dim
        self._db = lancedb.connect(str(directory))
        schema = pa.schema(
            [
                pa.field("id", pa.string()),
                pa.field("vector", pa.list_(pa.float32(), dim)),
                pa.field("year", pa.int32()),
                pa.field("source", pa.string()),
                pa.field("format", pa.string()),
            ]
        )
        self._table = self._db.create_table(table, schema=schema, exist_ok=True)

    def add(self, ids: Sequence[str], vectors: np.ndarray, payloads: Sequence[Payload]) -> None:
        check_batch(ids, vectors, payloads, self.dim)
        if not ids:
            return
        rows = [
            {"id": i, "vector": v.astype(np.float32).tolist(), **p.model_dump()}
            for i, v, p in zip(ids, vectors, payloads, strict=True)
        ]
        self._table.add(rows)

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 500):
            batch = ", ".join(_quote(i) for i in ids[start : start + 500])
            self._table.delete(f"id IN ({batch})")

    @staticmethod
    def where(filters: SearchFilters) -> str | None:
        clauses = []
        if filters.year_min is not None:
            clauses.append(f"year >= {int(filters.year_min)}")
        if filters.year_max is not None:
            clauses.append(f"year <= {int(filters.year_max)}")
        if filters.sources:
            clauses.append(f"source IN ({', '.join(_quote(s) for s in filters.sources)})")
        if filters.formats:
            clauses.append(f"format IN ({', '.join(_quote(f) for f in filters.formats)})")
        return " AND ".join(clauses) or None

    def search(
        self, vector: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        query: Any = (
            self._table.search(np.asarray(vector, dtype=np.float32).reshape(-1))
            .distance_type("dot")
            .limit(k)
        )
        clause = self.where(filters) if filters is not None else None
        if clause:
            query = query.where(clause, prefilter=True)
        rows = query.select(["id", "_distance"]).to_list()
        # LanceDB's dot "distance" is 1 - dot product.
        return [(r["id"], 1.0 - float(r["_distance"])) for r in rows]

    def count(self) -> int:
        return int(self._table.count_rows())

    def ids(self) -> list[str]:
        return [str(i) for i in self._table.to_arrow().column("id").to_pylist()]

    def flush(self) -> None:
        """LanceDB writes through on every add and delete."""
