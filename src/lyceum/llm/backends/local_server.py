"""The llama.cpp server settings of the embedded model: speed knobs and lock-down.

Speed (numbers from benchmarks/local_model.py, benchmarks/results/local_model*.json):
- threads: every core nobody else is using (`local_threads`); a fixed "all cores" falls
  10x behind one thread on a busy machine.
- prompt reuse: `cache_prompt` on every request keeps the longest common prefix of the
  previous prompt in the slot's KV cache; `n_cache_reuse` also reuses chunks of at least
  that many tokens that moved (the same passage after a different instruction); the RAM
  prompt cache keeps prompts of earlier callers, so alternating callers do not evict each
  other. It is sized (`PROMPT_CACHE_MIB`) instead of llama.cpp's default 8 GiB.
- slots: `n_parallel` sequences decode in one batch, sharing one KV pool (`kv_unified`).
- speculation: draft-free n-gram speculation (`ngram_simple`): when the last tokens
  written also occur earlier in the prompt or output, the tokens that followed them there
  are proposed as a draft and checked in one batch. On a synthetic word-for-word copy it
  decoded 1.60x faster, but replaying a research run's own calls (speculation_calls.py)
  no call type gained: the planner, writer and rewriter drafted spans that were mostly
  rejected (11-39% accepted) and decoded 0.57-0.80x as fast as without, the worker drafted
  nothing. llama.cpp sets it per server, not per request, so it is a backend setting
  (`LocalBackendConfig.speculation`, off by default) and a call type that gains from it
  gets its own local backend through its gateway role.

Lock-down: the server always opens an HTTP listener (no switch turns it off), so it is
made useless to anyone else: loopback only, an ephemeral port, a random key that never
leaves this process, CORS allowing no origin, and every feature Lyceum does not use
switched off explicitly rather than left to llama.cpp's defaults — the web UI and its MCP
proxy, server-side tools, MCP servers, the model router (models dir, presets, autoload),
slot save/restore and the slots, metrics and props endpoints. llama.cpp also reads a few
environment variables at start-up (`AIP_MODE` switches it into Vertex AI's route layout);
`without_server_env` hides them while the server is built.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from lyceum.llm.backend_config import LocalBackendConfig

# Reuse a moved chunk of the cached prompt when it is at least this many tokens long:
# shorter matches cost more KV shifting than they save in prefill.
CACHE_REUSE_MIN_TOKENS = 64
# Host-RAM prompt cache. Qwen2.5-0.5B keeps 12 KiB of K/V per token, so 256 MiB holds
# ~21k tokens of earlier prompts: every research worker's context at once.
PROMPT_CACHE_MIB = 256

# Environment variables llama.cpp's server reads by itself (checked with `strings` on the
# xllamacpp 2026.10 binary): Vertex AI mode and its routes, and the ggml backend path.
SERVER_ENV = ("AIP_MODE", "AIP_HTTP_PORT", "AIP_HEALTH_ROUTE", "AIP_PREDICT_ROUTE")


@contextlib.contextmanager
def without_server_env() -> Iterator[None]:
    """Hide `SERVER_ENV` from llama.cpp while a server is built; restore it after."""
    saved = {name: os.environ.pop(name) for name in SERVER_ENV if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def server_params(
    xllamacpp: Any,
    path: Path,
    config: LocalBackendConfig,
    api_key: str,
    n_threads: int,
    adapters: Sequence[str] = (),
) -> Any:
    """llama.cpp's `CommonParams` for this model: the speed settings and the lock-down;
    LoRA `adapters` (GGUF files) are loaded at scale 0, and a request picks its own
    (see `local_adapters`)."""
    params = xllamacpp.CommonParams()
    params.model.path = str(path)
    if adapters:
        params.lora_adapters = [_lora_info(xllamacpp, a) for a in adapters]
        params.lora_init_without_apply = True
    params.n_ctx = config.n_ctx
    params.n_parallel = config.n_parallel
    # One KV pool shared by the slots, so each sequence may use the whole window.
    params.kv_unified = True
    params.cpuparams.n_threads = n_threads
    params.cpuparams_batch.n_threads = n_threads
    params.cache_prompt = True
    params.n_cache_reuse = CACHE_REUSE_MIN_TOKENS
    params.cache_ram_mib = PROMPT_CACHE_MIB
    if config.speculation:
        kinds = xllamacpp.common_speculative_type
        params.speculative.types = [
            getattr(kinds, f"COMMON_SPECULATIVE_TYPE_{name.upper()}") for name in config.speculation
        ]
    # Keep n_ctx exactly as configured rather than shrunk to "fit" free memory.
    params.fit_params = False
    params.offline = True
    params.verbosity = 3 if os.environ.get("LYCEUM_LLAMA_LOG") else -1
    # Text in a request is text: "<|im_start|>" in a passage must not become a control token.
    params.parse_special = False
    params.special = False
    _lock_down(params, api_key)
    return params


def _lora_info(xllamacpp: Any, path: str) -> Any:
    info = xllamacpp.CommonAdapterLoraInfo()
    info.path = path
    info.scale = 1.0
    return info


def _lock_down(params: Any, api_key: str) -> None:
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.api_keys = [api_key]
    params.api_prefix = ""
    params.cors_origins = ""
    params.cors_credentials = False
    params.cors_methods = ""
    params.cors_headers = ""
    params.ui = False
    params.ui_mcp_proxy = False
    params.ui_config_json = ""
    params.public_path = ""
    params.server_tools = []
    params.server_tools_runtime = ""
    params.mcp_servers_config = ""
    params.mcp_servers_json = ""
    params.models_dir = ""
    params.models_preset = ""
    params.models_autoload = False
    params.slot_save_path = ""
    params.path_prompt_cache = ""
    params.endpoint_slots = False
    params.endpoint_metrics = False
    params.endpoint_props = False
    params.n_threads_http = 2
