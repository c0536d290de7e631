from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from lyceum.errors import ConfigError
from lyceum.retrieval.embeddings import Embedder, HashingEmbedder, load_embedder


def test_hashing_embedder_gives_unit_vectors_and_lexical_similarity() -> None:
    embedder = HashingEmbedder(128)
    assert isinstance(embedder, Embedder)
    v = embedder.embed(["red apples and pears", "apples and pears, red", "stock market crash"])
    assert v.shape == (3, 128) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_embedder_is_loaded_once_per_process() -> None:
    assert load_embedder("hashing") is load_embedder("hashing")


def test_a_folder_that_is_not_a_model_is_refused(tmp_path) -> None:
    with pytest.raises(ConfigError, match="not a sentence-transformers model directory"):
        load_embedder(str(tmp_path))


def test_importing_lyceum_retrieval_does_not_import_torch() -> None:
    code = (
        "import sys, lyceum, lyceum.retrieval, lyceum.sources.local; print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_minilm_embeds_offline_with_semantic_similarity() -> None:
    embedder = load_embedder("minilm")
    v = embedder.embed(
        ["A cat sits on the mat.", "A kitten rests on a rug.", "Interest rates rose."]
    )
    assert embedder.dim == 384 and v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
