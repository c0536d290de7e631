"""Vectorized MinHash over batches of documents, bit-compatible with datasketch's `affine32`.

Shingles are k consecutive word tokens. A whole batch of texts is tokenized and hashed in
numpy at once: the batch's UTF-8 bytes are split into tokens (maximal runs of ASCII letters,
digits, `_` or non-ASCII bytes, so every non-ASCII letter counts as a word character), each
token gets a 64-bit polynomial hash from prefix sums, and each shingle's hash is a polynomial
over its tokens' hashes folded to 32 bits. Signatures then follow datasketch 2.x exactly
(scheme "affine32": MurmurHash3 finalizer, then `a * h + b mod 2**32` with datasketch's
seeded parameters), so `MinHash(num_perm, seed, hashfunc=int, scheme="affine32")` fed the
same shingle hashes has the same `hashvalues`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

U32 = np.uint32
U64 = np.uint64
EMPTY = np.iinfo(np.uint32).max
"""Signature value of a document with no shingles (datasketch's initial hash value)."""

_BYTE_BASE = 0x100000001B3  # FNV prime: odd, so invertible modulo 2**64
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)
_BAND_BASE = np.uint64(0xC2B2AE3D27D4EB4F)
_WORD_BYTES = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
    _WORD_BYTES[_c] = True
_WORD_BYTES[128:] = True
_SPACE_BYTES = np.zeros(256, dtype=bool)
for _c in b" \t\n\r\x0b\x0c":
    _SPACE_BYTES[_c] = True
_MAX_ROWS_PER_CHUNK = 4096


def fmix32(h: NDArray[np.uint32]) -> NDArray[np.uint32]:
    """MurmurHash3's 32-bit finalizer, elementwise (datasketch's pre-mix)."""
    h = h ^ (h >> U32(16))
    h = h * U32(0x85EBCA6B)
    h = h ^ (h >> U32(13))
    h = h * U32(0xC2B2AE35)
    return h ^ (h >> U32(16))


def fmix64(h: NDArray[np.uint64]) -> NDArray[np.uint64]:
    h = h ^ (h >> U64(33))
    h = h * U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> U64(33))
    h = h * U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> U64(33))


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int = 1) -> tuple[NDArray[np.uint32], NDArray[np.uint32]]:
    """The (a, b) parameters datasketch's MinHash draws for scheme affine32."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * U32(2) + U32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


class _Powers:
    """Powers of the byte base and of its inverse modulo 2**64, grown on demand."""

    def __init__(self) -> None:
        self.pow = np.ones(1, dtype=U64)
        self.inv = np.ones(1, dtype=U64)

    def ensure(self, n: int) -> None:
        if len(self.pow) >= n:
            return
        size = max(n, 2 * len(self.pow))
        base = np.full(size, _BYTE_BASE, dtype=U64)
        base[0] = 1
        inv = np.full(size, pow(_BYTE_BASE, -1, 1 << 64), dtype=U64)
        inv[0] = 1
        self.pow = np.cumprod(base, dtype=U64)
        self.inv = np.cumprod(inv, dtype=U64)


_POWERS = _Powers()


class _Batch:
    """A batch of texts lowercased into one byte array, with prefix hashes over it."""

    def __init__(self, texts: list[str]) -> None:
        encoded = [t.lower().encode("utf-8", "surrogatepass") for t in texts]
        self.n_docs = len(encoded)
        self.starts = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) + 1 for e in encoded], out=self.starts[1:])
        # A space after every text, so no run of word or non-space bytes crosses two texts.
        self.data = np.frombuffer(b" ".join(encoded) + b" ", dtype=np.uint8)
        n = len(self.data)
        _POWERS.ensure(n + 1)
        self.prefix = np.zeros(n + 1, dtype=U64)
        np.cumsum((self.data.astype(U64) + U64(1)) * _POWERS.pow[:n], out=self.prefix[1:])

    def runs(self, mask: NDArray[np.bool_]) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
        """Hashes of the maximal runs of bytes where `mask` holds, and each run's text index."""
        edges = np.diff(mask.astype(np.int8), prepend=np.int8(0))
        start, end = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        hashes = fmix64((self.prefix[end] - self.prefix[start]) * _POWERS.inv[start])
        return hashes, np.searchsorted(self.starts, start, side="right") - 1


def exact_hashes(texts: list[str]) -> NDArray[np.uint64]:
    """64-bit hash per text of its lowercased form with runs of ASCII whitespace collapsed
    (leading and trailing whitespace ignored): the exact-duplicate key."""
    return _exact_hashes(_Batch(texts))


def _exact_hashes(batch: _Batch) -> NDArray[np.uint64]:
    chunks, doc = batch.runs(~_SPACE_BYTES[batch.data])
    out = np.zeros(batch.n_docs, dtype=U64)
    if len(chunks) == 0:
        return out
    # Polynomial over each text's chunk hashes: sum(chunk_j * B**j), divided by B**first.
    idx = np.arange(len(chunks))
    _POWERS.ensure(len(chunks) + 1)
    weighted = chunks * _POWERS.pow[idx]
    present = np.flatnonzero(np.bincount(doc, minlength=batch.n_docs))
    firsts = np.searchsorted(doc, present)
    sums = np.add.reduceat(weighted, firsts)
    out[present] = fmix64(sums * _POWERS.inv[firsts])
    return out


def _shingles(batch: _Batch, k: int) -> tuple[NDArray[np.uint32], NDArray[np.int64]]:
    if k < 1:
        raise ValueError(f"shingle_size must be at least 1, got {k}")
    tok, doc = batch.runs(_WORD_BYTES[batch.data])
    n_docs = batch.n_docs
    counts = np.bincount(doc, minlength=n_docs) if len(doc) else np.zeros(n_docs, np.int64)
    tok_offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(counts, out=tok_offsets[1:])
    m = len(tok) - k + 1
    if m > 0:
        acc = tok[:m].copy()
        for j in range(1, k):
            acc = acc * _SHINGLE_BASE + tok[j : j + m]
        full = doc[:m] == doc[k - 1 :]  # a shingle must not span two texts
        acc, acc_doc = acc[full], doc[:m][full]
    else:
        acc, acc_doc = np.zeros(0, dtype=U64), np.zeros(0, dtype=np.int64)
    short = np.flatnonzero((counts > 0) & (counts < k))
    if len(short):
        extra = np.empty(len(short), dtype=U64)
        base, mask = int(_SHINGLE_BASE), (1 << 64) - 1
        for i, d in enumerate(short):
            h = 0
            for t in tok[tok_offsets[d] : tok_offsets[d + 1]].tolist():
                h = (h * base + t) & mask
            extra[i] = h
        acc = np.concatenate([acc, extra])
        acc_doc = np.concatenate([acc_doc, short])
        order = np.argsort(acc_doc, kind="stable")
        acc, acc_doc = acc[order], acc_doc[order]
    folded = (acc ^ (acc >> U64(32))).astype(U32)
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(acc_doc, minlength=n_docs), out=offsets[1:])
    return folded, offsets


def shingle_hashes(
    texts: list[str], shingle_size: int = 5
) -> tuple[NDArray[np.uint32], NDArray[np.int64]]:
    """32-bit hashes of the word shingles of each text, concatenated, and `offsets` such that
    text i's shingles are `hashes[offsets[i]:offsets[i + 1]]`. A text with fewer tokens than
    `shingle_size` has one shingle (all its tokens); a text with none has no shingles."""
    return _shingles(_Batch(texts), shingle_size)


def signatures(
    hashes: NDArray[np.uint32], offsets: NDArray[np.int64], num_perm: int = 128, seed: int = 1
) -> NDArray[np.uint32]:
    """MinHash signatures (n_docs x num_perm, uint32) of concatenated shingle hashes.
    Documents without shingles get the all-`EMPTY` signature."""
    a, b = permutations(num_perm, seed)
    n_docs = len(offsets) - 1
    # Permutations run along rows and shingles along columns: the segmented minimum then
    # scans contiguous memory, several times faster than the transposed layout.
    out = np.full((num_perm, n_docs), EMPTY, dtype=U32)
    mixed = fmix32(hashes.astype(U32, copy=False))
    nonempty = np.flatnonzero(offsets[1:] > offsets[:-1])
    buf = np.empty((num_perm, _MAX_ROWS_PER_CHUNK), dtype=U32)
    column_a, column_b = a[:, None], b[:, None]
    i = 0
    while i < len(nonempty):
        # Take documents until their shingles fill the buffer (at least one document).
        first = offsets[nonempty[i]]
        j = i + 1
        while j < len(nonempty) and offsets[nonempty[j] + 1] - first <= _MAX_ROWS_PER_CHUNK:
            j += 1
        docs = nonempty[i:j]
        lo, hi = first, offsets[docs[-1] + 1]
        width = hi - lo
        block = buf[:, :width] if width <= _MAX_ROWS_PER_CHUNK else np.empty((num_perm, width), U32)
        np.multiply(column_a, mixed[None, lo:hi], out=block)
        np.add(block, column_b, out=block)
        out[:, docs] = np.minimum.reduceat(block, offsets[docs] - lo, axis=1)
        i = j
    return np.ascontiguousarray(out.T)


def minhash_texts(
    texts: list[str], *, num_perm: int = 128, shingle_size: int = 5, seed: int = 1
) -> NDArray[np.uint32]:
    """Signatures of a batch of texts."""
    hashes, offsets = shingle_hashes(texts, shingle_size)
    return signatures(hashes, offsets, num_perm, seed)


def fingerprint_batch(
    texts: list[str], *, num_perm: int = 128, shingle_size: int = 5, seed: int = 1
) -> tuple[NDArray[np.uint64], NDArray[np.uint32]]:
    """Exact-duplicate keys and MinHash signatures of a batch, sharing one encoding pass."""
    batch = _Batch(texts)
    hashes, offsets = _shingles(batch, shingle_size)
    return _exact_hashes(batch), signatures(hashes, offsets, num_perm, seed)


def band_keys(sigs: NDArray[np.uint32], bands: int, rows: int) -> NDArray[np.uint64]:
    """One 64-bit key per (document, band): a hash of the band's `rows` signature values.
    Bands use the first `bands * rows` permutations, as datasketch's MinHashLSH does."""
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"{bands} bands x {rows} rows exceed {sigs.shape[1]} permutations")
    view = sigs[:, : bands * rows].reshape(len(sigs), bands, rows).astype(U64)
    key = np.zeros((len(sigs), bands), dtype=U64)
    for r in range(rows):
        key = key * _BAND_BASE + view[:, :, r]
    return fmix64(key)


def estimated_jaccard(sig_a: NDArray[np.uint32], sig_b: NDArray[np.uint32]) -> NDArray[np.float64]:
    """Fraction of equal signature values, row by row (datasketch's `MinHash.jaccard`)."""
    return np.mean(np.atleast_2d(sig_a) == np.atleast_2d(sig_b), axis=1)


@lru_cache(maxsize=64)
def optimal_params(
    threshold: float, num_perm: int, weights: tuple[float, float] = (0.5, 0.5)
) -> tuple[int, int]:
    """(bands, rows) minimizing the weighted false positive and negative probability mass,
    datasketch's `_optimal_param` computed with exact Gauss-Legendre quadrature."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1 (exclusive), got {threshold}")
    nodes, w = np.polynomial.legendre.leggauss(num_perm // 2 + 8)

    def integral(lo: float, hi: float, b: int, r: int) -> float:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        return float((hi - lo) / 2 * np.sum(w * (1 - (1 - s**r) ** b)))

    best, best_error = (0, 0), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = integral(0.0, threshold, b, r)
            fn = (1.0 - threshold) - integral(threshold, 1.0, b, r)
            error = fp * weights[0] + fn * weights[1]
            if error < best_error:
                best, best_error = (b, r), error
    return best


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Chance that two documents of this Jaccard similarity share at least one LSH band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


@lru_cache(maxsize=64)
def recall_params(threshold: float, num_perm: int, recall: float = 0.95) -> tuple[int, int]:
    """(bands, rows) under which a pair at exactly `threshold` becomes a candidate with at
    least `recall` probability, choosing among those the fewest false candidates below it.

    For when candidates are confirmed by their Jaccard estimate: a false candidate then
    only costs a comparison, while a missed one is a duplicate kept. The balanced optimum
    (`optimal_params`) makes a pair just above 0.8 a candidate about half the time, so
    copies with 1 % of their words changed (similarity ~0.81) slipped through.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1 (exclusive), got {threshold}")
    nodes, w = np.polynomial.legendre.leggauss(num_perm // 2 + 8)
    below = threshold / 2 * nodes + threshold / 2
    best, best_fp = optimal_params(threshold, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            if candidate_probability(threshold, b, r) < recall:
                continue
            fp = float(threshold / 2 * np.sum(w * (1 - (1 - below**r) ** b)))
            if fp < best_fp:
                best, best_fp = (b, r), fp
    return best
