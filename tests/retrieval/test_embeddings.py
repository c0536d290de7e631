from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from lyceum.config import load_settings
from lyceum.errors import ConfigError
from lyceum.retrieval import open_index
from lyceum.retrieval.embeddings import (
    Embedder,
    HashingEmbedder,
    default_threads,
    load_embedder,
)
from lyceum.retrieval.settings import RetrievalSettings

from ..own_team import ran_on_ended_threads, threads_of


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


def test_minilm_embeds_offline_with_semantic_similarity() -> None:
    embedder = load_embedder("minilm")
    v = embedder.embed(
        ["A cat sits on the mat.", "A kitten rests on a rug.", "Interest rates rose."]
    )
    assert embedder.dim == 384 and v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_embed_threads_default_to_the_cores_others_leave_free() -> None:
    assert 1 <= default_threads() <= (os.cpu_count() or 1)
    following = load_embedder("minilm")
    assert following.threads is None
    assert 1 <= following._threads_now() <= (os.cpu_count() or 1)
    fixed = load_embedder("minilm", threads=3)
    assert fixed.threads == 3 and fixed._threads_now() == 3
    with pytest.raises(ValueError, match="embed_threads"):
        RetrievalSettings(embed_threads=0)


def test_the_index_embeds_with_the_configured_threads(workspace) -> None:
    settings = load_settings(workspace, sections={"retrieval": {"embed_threads": 1}})
    assert open_index(settings, "docs").embedder.threads == 1


def test_minilm_reports_its_input_limit_from_its_config() -> None:
    assert load_embedder("minilm").max_tokens == 256
    assert HashingEmbedder().max_tokens is None


def test_minilm_runs_on_its_own_thread_count_and_restores_torch_s() -> None:
    import torch

    embedder = load_embedder("minilm", threads=1)
    model = embedder._load()
    seen = []
    real_encode = model.encode

    def encode(*args, **kwargs):
        seen.append(torch.get_num_threads())
        return real_encode(*args, **kwargs)

    torch.set_num_threads(2)
    model.encode = encode
    try:
        embedder.embed(["one query"])
    finally:
        del model.encode
    assert seen == [1] and torch.get_num_threads() == 2


def test_minilm_computes_on_a_thread_that_ends_with_the_call() -> None:
    # Torch's OpenMP team lives as long as the thread that started it, and a team left
    # behind slows the embedded model's decode (lyceum.llm.backends.openmp_team).
    embedder = load_embedder("minilm", threads=1)
    threads = threads_of(embedder._load(), "encode", lambda: embedder.embed(["one query"]))
    assert ran_on_ended_threads(threads)
