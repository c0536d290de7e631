"""The corpus-wide half of deduplication: fingerprints spilled to disk, then clustered.

Per document only fingerprints are kept, never text: an exact-match hash, a MinHash
signature and one LSH key per band. They are appended to files in a work directory as
batches arrive; `finish()` reads one band file at a time, sorts its keys to find buckets,
verifies candidate pairs against signatures read back row by row, and joins documents with
union-find. Memory is a few arrays of one machine word per document.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from lyceum.data.minhash import EMPTY, band_keys, estimated_jaccard, fingerprint_batch

KIND_KEPT, KIND_EXACT, KIND_NEAR = 0, 1, 2
_ALL_PAIRS_MAX_BUCKET = 32
_VERIFY_CHUNK = 4096


@dataclass
class Fingerprints:
    """Fingerprints of one batch of texts (computed in a worker process)."""

    exact: NDArray[np.uint64]
    signatures: NDArray[np.uint32]
    bands: NDArray[np.uint64]
    lengths: NDArray[np.int64]
    has_shingles: NDArray[np.bool_]


def fingerprint_texts(
    texts: list[str],
    *,
    num_perm: int,
    shingle_size: int,
    seed: int,
    bands: int,
    rows: int,
) -> Fingerprints:
    """Exact hash, MinHash signature and LSH band keys of each text."""
    exact, sigs = fingerprint_batch(texts, num_perm=num_perm, shingle_size=shingle_size, seed=seed)
    return Fingerprints(
        exact=exact,
        signatures=sigs,
        bands=band_keys(sigs, bands, rows),
        lengths=np.array([len(t) for t in texts], dtype=np.int64),
        has_shingles=~np.all(sigs == EMPTY, axis=1),
    )


@dataclass
class Clusters:
    """Outcome per document (index = position in the input stream)."""

    representative: NDArray[np.int64]
    kind: NDArray[np.int8]
    n_clusters: int

    @property
    def keep(self) -> NDArray[np.bool_]:
        return self.kind == KIND_KEPT

    @property
    def exact_duplicates(self) -> int:
        return int(np.sum(self.kind == KIND_EXACT))

    @property
    def near_duplicates(self) -> int:
        return int(np.sum(self.kind == KIND_NEAR))


class _UnionFind:
    """Disjoint sets over 0..n-1 whose root is always the smallest index of its set."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n, dtype=np.int64)

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    def union_pairs(self, left: NDArray[np.int64], right: NDArray[np.int64]) -> None:
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            ri, rj = self.find(i), self.find(j)
            if ri != rj:
                self.parent[max(ri, rj)] = min(ri, rj)

    def roots(self) -> NDArray[np.int64]:
        parent = self.parent
        while True:
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                return parent
            parent = nxt


@lru_cache(maxsize=_ALL_PAIRS_MAX_BUCKET + 1)
def _pairs_of(size: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    return np.triu_indices(size, k=1)


def _bucket_pairs(
    keys: NDArray[np.uint64], index: NDArray[np.int64], all_pairs: bool
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs (i < j) of documents sharing a key: all pairs in buckets up to
    `_ALL_PAIRS_MAX_BUCKET` members when `all_pairs`, else each member with the bucket's first."""
    order = np.argsort(keys, kind="stable")
    sorted_keys, sorted_idx = keys[order], index[order]
    new_run = np.ones(len(sorted_keys), dtype=bool)
    new_run[1:] = sorted_keys[1:] != sorted_keys[:-1]
    run_id = np.cumsum(new_run) - 1
    run_start = np.flatnonzero(new_run)
    run_size = np.diff(np.append(run_start, len(sorted_keys)))
    member = ~new_run
    firsts = sorted_idx[run_start[run_id[member]]]
    lefts, rights = [firsts], [sorted_idx[member]]
    if all_pairs:
        for start, size in zip(
            run_start[run_size > 2].tolist(), run_size[run_size > 2].tolist(), strict=True
        ):
            if size > _ALL_PAIRS_MAX_BUCKET:
                continue
            members = sorted_idx[start : start + size]
            a, b = _pairs_of(size)
            keep = a > 0  # pairs with the first member are already listed
            lefts.append(members[a[keep]])
            rights.append(members[b[keep]])
    left, right = np.concatenate(lefts), np.concatenate(rights)
    return np.minimum(left, right), np.maximum(left, right)


class SignatureFile:
    """Signatures appended row by row to a file and read back by index without mapping it."""

    def __init__(self, path: Path, num_perm: int) -> None:
        self.path = path
        self.num_perm = num_perm
        self.row_bytes = num_perm * 4
        self._fh = path.open("ab")

    def append(self, sigs: NDArray[np.uint32]) -> None:
        self._fh.write(np.ascontiguousarray(sigs, dtype=np.uint32).tobytes())

    def close(self) -> None:
        self._fh.close()

    def rows(self, indices: NDArray[np.int64]) -> NDArray[np.uint32]:
        self._fh.flush()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            chunks = [os.pread(fd, self.row_bytes, i * self.row_bytes) for i in indices.tolist()]
        finally:
            os.close(fd)
        return np.frombuffer(b"".join(chunks), dtype=np.uint32).reshape(len(chunks), self.num_perm)


class IdFile:
    """Document ids appended as JSON lines, looked up by position."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = path.open("ab")
        self._offsets_path = path.with_suffix(".offsets")
        self._offsets_fh = self._offsets_path.open("ab")
        self._offsets: NDArray[np.int64] | None = None
        self._pos = 0

    def append(self, ids: list[str]) -> None:
        offsets = []
        for doc_id in ids:
            offsets.append(self._pos)
            line = (json.dumps(doc_id, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
            self._fh.write(line)
            self._pos += len(line)
        self._offsets_fh.write(np.array(offsets, dtype=np.int64).tobytes())
        self._offsets = None

    def lookup(self, indices: NDArray[np.int64] | list[int]) -> list[str]:
        if self._offsets is None:
            self._fh.flush()
            self._offsets_fh.flush()
            self._offsets = np.fromfile(self._offsets_path, dtype=np.int64)
        out = []
        with self.path.open("rb") as fh:
            for i in np.asarray(indices, dtype=np.int64).tolist():
                fh.seek(int(self._offsets[i]))
                out.append(json.loads(fh.readline()))
        return out

    def close(self) -> None:
        self._fh.close()
        self._offsets_fh.close()


class DedupIndex:
    """Collects fingerprints batch by batch in `workdir`, then clusters the whole corpus."""

    def __init__(
        self,
        workdir: Path,
        *,
        num_perm: int,
        bands: int,
        rows: int,
        threshold: float,
        exact: bool = True,
        near: bool = True,
        verify: bool = True,
        keep: str = "first",
    ) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.bands, self.rows, self.threshold = bands, rows, threshold
        self.exact, self.near, self.verify, self.keep = exact, near, verify, keep
        self.signatures = SignatureFile(workdir / "signatures.u32", num_perm)
        self.ids = IdFile(workdir / "ids.jsonl")
        self._band_files = [(workdir / f"band{b:03d}.u64").open("ab") for b in range(bands)]
        self._columns = {
            name: (workdir / f"{name}.bin").open("ab") for name in ("exact", "lengths", "shingled")
        }
        self.count = 0

    def add(self, ids: list[str], fp: Fingerprints) -> None:
        if len(ids) != len(fp.exact):
            raise ValueError(f"{len(ids)} ids for {len(fp.exact)} fingerprints")
        self.ids.append(ids)
        self.signatures.append(fp.signatures)
        for b, fh in enumerate(self._band_files):
            fh.write(np.ascontiguousarray(fp.bands[:, b]).tobytes())
        self._columns["exact"].write(fp.exact.tobytes())
        self._columns["lengths"].write(fp.lengths.tobytes())
        self._columns["shingled"].write(fp.has_shingles.astype(np.bool_).tobytes())
        self.count += len(ids)

    def _column(self, name: str, dtype: type) -> NDArray:
        self._columns[name].flush()
        return np.fromfile(self.workdir / f"{name}.bin", dtype=dtype)

    def _near_pairs(self, exact: NDArray[np.uint64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        shingled = np.flatnonzero(self._column("shingled", np.bool_))
        lefts, rights = [], []
        for b, fh in enumerate(self._band_files):
            fh.flush()
            keys = np.fromfile(self.workdir / f"band{b:03d}.u64", dtype=np.uint64)[shingled]
            left, right = _bucket_pairs(keys, shingled, all_pairs=self.verify)
            lefts.append(left)
            rights.append(right)
        n = max(self.count, 1)
        codes = np.unique(np.concatenate(lefts) * n + np.concatenate(rights))
        left, right = codes // n, codes % n
        if self.exact:  # equal texts are already joined by the exact pass
            different = exact[left] != exact[right]
            left, right = left[different], right[different]
        if not self.verify:
            return left, right
        passed = np.zeros(len(left), dtype=bool)
        for lo in range(0, len(left), _VERIFY_CHUNK):
            hi = lo + _VERIFY_CHUNK
            passed[lo:hi] = self.similarity(left[lo:hi], right[lo:hi]) >= self.threshold
        return left[passed], right[passed]

    def similarity(self, left: NDArray[np.int64], right: NDArray[np.int64]) -> NDArray[np.float64]:
        """Estimated Jaccard similarity of documents `left[k]` and `right[k]`."""
        if len(left) == 0:
            return np.zeros(0)
        return estimated_jaccard(self.signatures.rows(left), self.signatures.rows(right))

    def finish(self) -> Clusters:
        """Cluster every document added so far."""
        n = self.count
        uf = _UnionFind(n)
        exact = self._column("exact", np.uint64)
        if self.exact and n:
            left, right = _bucket_pairs(exact, np.arange(n, dtype=np.int64), all_pairs=False)
            uf.union_pairs(left, right)
        if self.near and n:
            uf.union_pairs(*self._near_pairs(exact))
        roots = uf.roots()
        representative = roots.copy()
        if self.keep == "longest" and n:
            lengths = self._column("lengths", np.int64)
            order = np.lexsort((np.arange(n), -lengths, roots))
            first = np.ones(n, dtype=bool)
            first[1:] = roots[order][1:] != roots[order][:-1]
            best = np.empty(n, dtype=np.int64)
            best[roots[order][first]] = order[first]
            representative = best[roots]
        kind = np.full(n, KIND_KEPT, dtype=np.int8)
        removed = representative != np.arange(n)
        kind[removed] = np.where(
            exact[removed] == exact[representative[removed]], KIND_EXACT, KIND_NEAR
        )
        sizes = np.bincount(roots, minlength=n) if n else np.zeros(0, np.int64)
        return Clusters(representative=representative, kind=kind, n_clusters=int(np.sum(sizes > 1)))

    def close(self) -> None:
        self.signatures.close()
        self.ids.close()
        for fh in [*self._band_files, *self._columns.values()]:
            fh.close()
