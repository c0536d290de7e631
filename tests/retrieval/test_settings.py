from __future__ import annotations

from pathlib import Path

import pytest

from lyceum.config import load_settings
from lyceum.errors import ConfigError
from lyceum.retrieval.settings import retrieval_settings


def test_retrieval_variables_override_the_file(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "lyceum.toml").write_text("[retrieval]\nchunk_tokens = 200\nchunk_overlap = 20\n")
    monkeypatch.setenv("LYCEUM_RETRIEVAL__CHUNK_TOKENS", "128")
    monkeypatch.setenv("LYCEUM_RETRIEVAL__EMBED_THREADS", "1")
    config = retrieval_settings(load_settings(workspace))
    assert (config.chunk_tokens, config.chunk_overlap, config.embed_threads) == (128, 20, 1)


def test_a_misspelt_retrieval_variable_is_an_error(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYCEUM_RETRIEVAL__CHUNK_TOKEN", "128")
    with pytest.raises(ConfigError, match="chunk_token"):
        retrieval_settings(load_settings(workspace))
