"""The `Embedder` protocol: a model that maps texts to vectors.

Defined here, with the other model protocols, because the gateway's semantic cache embeds
prompts; retrieval's embedders (`lyceum.retrieval.embeddings`) implement it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors of length `dim` (cosine = dot product)."""

    name: str
    max_tokens: int | None
    """Longest input in model tokens, special tokens included (None: no limit); the rest
    of a longer text would be silently cut."""

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...
