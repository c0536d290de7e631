from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from lyceum.retrieval.types import SearchFilters
from lyceum.retrieval.vectors import NumpyVectorStore, Payload, VectorStore
from lyceum.retrieval.vectors.lancedb_store import LanceDBVectorStore
from lyceum.retrieval.vectors.qdrant_store import QdrantVectorStore

DIM = 8


def _unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def _fill(store: VectorStore, n: int = 20) -> list[str]:
    ids = [f"{i:032x}" for i in range(n)]
    vectors = np.stack([_unit(i) for i in range(n)])
    payloads = [
        Payload(
            year=None if i % 5 == 0 else 2000 + i,
            source=f"doc{i % 3}.pdf",
            format="pdf" if i % 2 else "html",
        )
        for i in range(n)
    ]
    store.add(ids, vectors, payloads)
    store.flush()
    return ids


STORES: dict[str, Callable[[Path], VectorStore]] = {
    "numpy": lambda d: NumpyVectorStore(d / "np", DIM),
    "lancedb": lambda d: LanceDBVectorStore(d / "lance", DIM),
    "qdrant-local": lambda d: QdrantVectorStore("test", DIM, path=d / "qdrant"),
}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> VectorStore:
    return STORES[request.param](tmp_path)


def test_search_returns_the_nearest_vector_first(store: VectorStore) -> None:
    ids = _fill(store)
    hits = store.search(_unit(7), k=3)
    assert hits[0][0] == ids[7]
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert len(hits) == 3 and hits[0][1] >= hits[1][1] >= hits[2][1]


def test_filters_run_inside_the_store(store: VectorStore) -> None:
    _fill(store)
    filters = SearchFilters(year_min=2005, year_max=2012, sources=("doc1.pdf",), formats=("pdf",))
    hits = store.search(_unit(0), k=20, filters=filters)
    # i in 5..12, i % 3 == 1, odd, year set (i % 5 != 0): 7
    assert [h[0] for h in hits] == [f"{7:032x}"]


def test_year_bound_excludes_chunks_without_a_year(store: VectorStore) -> None:
    _fill(store)
    hits = store.search(_unit(0), k=20, filters=SearchFilters(year_min=1900))
    assert f"{0:032x}" not in {h[0] for h in hits} and len(hits) == 16


def test_delete_removes_vectors(store: VectorStore) -> None:
    ids = _fill(store)
    store.delete(ids[:5])
    store.flush()
    assert store.count() == 15
    assert ids[3] not in {h[0] for h in store.search(_unit(3), k=20)}


def test_numpy_store_persists_across_instances(tmp_path: Path) -> None:
    first = NumpyVectorStore(tmp_path / "v", DIM)
    ids = _fill(first)
    again = NumpyVectorStore(tmp_path / "v", DIM)
    assert again.count() == 20
    assert again.search(_unit(4), k=1)[0][0] == ids[4]
    filtered = again.search(_unit(4), k=5, filters=SearchFilters(sources=("doc1.pdf",)))
    assert {h[0] for h in filtered} <= {ids[i] for i in range(20) if i % 3 == 1}


def test_numpy_store_refuses_vectors_of_another_dimension(tmp_path: Path) -> None:
    _fill(NumpyVectorStore(tmp_path / "v", DIM))
    with pytest.raises(ValueError, match="re-ingest"):
        NumpyVectorStore(tmp_path / "v", DIM * 2)


def test_mismatched_batch_is_rejected(tmp_path: Path) -> None:
    store = NumpyVectorStore(tmp_path / "v", DIM)
    with pytest.raises(ValueError, match="differ"):
        store.add(["a", "b"], np.stack([_unit(1)]), [Payload()])


def test_ids_lists_every_stored_vector(store: VectorStore) -> None:
    ids = _fill(store)
    store.delete(ids[:2])
    store.flush()
    assert sorted(store.ids()) == ids[2:]


def test_numpy_store_with_files_from_two_flushes_loads_empty(tmp_path: Path) -> None:
    _fill(NumpyVectorStore(tmp_path / "v", DIM))
    shorter = NumpyVectorStore(tmp_path / "w", DIM)
    _fill(shorter, n=5)
    (tmp_path / "w" / "meta.json").replace(tmp_path / "v" / "meta.json")
    assert NumpyVectorStore(tmp_path / "v", DIM).count() == 0
