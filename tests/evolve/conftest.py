from __future__ import annotations

import pytest

from lyceum.evolve.examples import CandidateExample
from lyceum.retrieval.embeddings import HashingEmbedder

TOPICS = [
    "photosynthesis in plants", "the french revolution", "prime number theorem",
    "plate tectonics", "the immune system", "compiler optimisation", "baroque music",
    "black hole thermodynamics", "roman aqueducts", "protein folding", "game theory",
    "ocean currents", "the printing press", "quantum entanglement", "bee colonies",
    "monetary policy", "volcanic eruptions", "medieval castles", "neural networks",
    "glacier formation",
]  # fmt: skip


def make_example(i: int, *, synthetic: bool = False, depth: int = 0, quality: float = 1.0,
                 topic: str | None = None, kind: str = "sft") -> CandidateExample:  # fmt: skip
    subject = topic or TOPICS[i % len(TOPICS)]
    return CandidateExample(
        id=f"ex{i}",
        kind=kind,
        instruction=f"Explain {subject} briefly.",
        output=f"A short account of {subject}, number {i}.",
        rejected="I do not know." if kind == "dpo" else None,
        synthetic=synthetic,
        generation_depth=depth,
        quality=quality,
    )


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder(384)


@pytest.fixture
def example_factory():
    """make_example(i, synthetic=..., depth=..., quality=..., topic=..., kind=...)."""
    return make_example
