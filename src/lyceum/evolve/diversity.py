"""Embedding diversity of a set of texts: the mean pairwise cosine distance.

    diversity(T) = 1 - mean_{i != j} cos(e_i, e_j)

over L2-normalised embeddings e of the texts (duplicates count: a set padded with copies
of one text loses diversity). With unit vectors, sum_{i != j} e_i.e_j = |sum_i e_i|^2 - n,
so the mean is computed in O(n) rather than over all pairs. Sets larger than `sample`
are reduced to the `sample` texts with the smallest seeded hash, so the same set always
gives the same number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from lyceum.retrieval.embeddings import Embedder


def deterministic_sample(texts: Sequence[str], size: int, seed: int = 0) -> list[str]:
    """At most `size` texts chosen by a seeded hash of (position, text): order-stable."""
    if len(texts) <= size:
        return list(texts)

    def key(item: tuple[int, str]) -> bytes:
        i, text = item
        return hashlib.blake2b(f"{seed}\x00{i}\x00{text}".encode(), digest_size=8).digest()

    chosen = sorted(enumerate(texts), key=key)[:size]
    return [t for _, t in sorted(chosen)]


def mean_pairwise_distance(vectors: np.ndarray) -> float:
    """1 - mean cosine similarity over ordered pairs of distinct rows (rows unit-norm)."""
    n = vectors.shape[0]
    if n < 2:
        raise ValueError("diversity needs at least two texts")
    total = vectors.sum(axis=0, dtype=np.float64)
    pair_sum = float(total @ total) - float(
        np.einsum("ij,ij->", vectors, vectors, dtype=np.float64)
    )
    return 1.0 - pair_sum / (n * (n - 1))


def diversity(
    texts: Sequence[str], embedder: Embedder, *, sample: int = 2000, seed: int = 0
) -> float:
    """Mean pairwise cosine distance of the texts' embeddings (sampled when large)."""
    chosen = deterministic_sample(texts, sample, seed)
    return mean_pairwise_distance(embedder.embed(chosen))
