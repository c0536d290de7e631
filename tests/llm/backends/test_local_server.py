"""The embedded llama.cpp server's settings: speed knobs on, unused features off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.llm.backends.local_server import (
    PROMPT_CACHE_MIB,
    SERVER_ENV,
    server_params,
    without_server_env,
)

xllamacpp = pytest.importorskip("xllamacpp")


def params(**config: object):
    return server_params(
        xllamacpp, Path("/m.gguf"), LocalBackendConfig(**config), "secret", n_threads=3
    )


def test_every_unused_server_feature_is_off_and_the_listener_is_locked() -> None:
    p = params()
    assert p.hostnames == ["127.0.0.1"] and p.port == 0 and p.api_keys == ["secret"]
    assert p.cors_origins == "" and not p.cors_credentials
    assert not p.ui and not p.ui_mcp_proxy
    assert p.server_tools == [] and p.server_tools_runtime == ""
    assert p.mcp_servers_config == "" and p.mcp_servers_json == ""
    assert p.models_dir == "" and p.models_preset == "" and not p.models_autoload
    assert p.slot_save_path == "" and p.path_prompt_cache == ""
    assert not (p.endpoint_slots or p.endpoint_metrics or p.endpoint_props)
    assert not p.parse_special


def test_speed_settings_follow_the_config_and_the_measurements() -> None:
    p = params(n_ctx=1024, n_parallel=2)
    assert (p.n_ctx, p.n_parallel, p.kv_unified) == (1024, 2, True)
    assert p.cpuparams.n_threads == 3 and p.cpuparams_batch.n_threads == 3
    assert p.cache_prompt and p.n_cache_reuse > 0
    assert p.cache_ram_mib == PROMPT_CACHE_MIB < 8192  # not llama.cpp's 8 GiB default
    kinds = xllamacpp.common_speculative_type
    assert list(p.speculative.types) == [kinds.COMMON_SPECULATIVE_TYPE_NONE]  # off by default


def test_speculation_is_the_backends_own_setting() -> None:
    kinds = xllamacpp.common_speculative_type
    p = params(speculation=["ngram_simple"])
    assert list(p.speculative.types) == [kinds.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE]
    p = params(speculation=["ngram_simple", "ngram_map_k"])
    assert list(p.speculative.types) == [
        kinds.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE,
        kinds.COMMON_SPECULATIVE_TYPE_NGRAM_MAP_K,
    ]


def test_an_unknown_speculation_type_is_a_config_error() -> None:
    with pytest.raises(ValidationError, match="speculation"):
        LocalBackendConfig(speculation=["draft_model"])


def test_llama_cpp_environment_switches_are_hidden_while_the_server_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in SERVER_ENV:
        monkeypatch.setenv(name, "x")
    with without_server_env():
        assert not any(name in os.environ for name in SERVER_ENV)
    assert all(os.environ[name] == "x" for name in SERVER_ENV)
