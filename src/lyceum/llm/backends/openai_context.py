"""How long an OpenAI-compatible server's context is, and how many tokens a prompt takes.

Servers disagree on where they say their context length (vLLM's /v1/models, llama.cpp's
/props, Ollama's /api/show) and on whether they tokenize for us (llama.cpp's and vLLM's
/tokenize); these functions ask each way. Without a tokenizer a prompt is estimated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import httpx

from lyceum.llm.types import Message

# Without the server's tokenizer, a prompt is counted at 3 characters a token rather than
# the usual 4: code, numbers and non-English text take more tokens than English prose, and
# an undercount here is what lets Ollama truncate silently. Each message also pays for the
# chat template's role markers (Qwen's `<|im_start|>role\n ... <|im_end|>\n` is 5 tokens).
ESTIMATE_CHARS_PER_TOKEN = 3
MESSAGE_OVERHEAD_TOKENS = 8

TokenizerDialect = Literal["llama.cpp", "vllm"]


async def probe_context_window(http: httpx.AsyncClient, base_url: str, model: str) -> int | None:
    """The context length the server reports for `model`, from the first endpoint that
    says it; None when none does."""
    root = server_root(base_url)
    probes = (
        ("GET", f"{base_url}/models", None),
        ("GET", f"{root}/props", None),
        ("POST", f"{root}/api/show", {"model": model}),
    )
    for method, url, body in probes:
        try:
            resp = await http.request(method, url, json=body, timeout=5.0)
        except httpx.HTTPError:
            continue
        if resp.status_code != 200:
            continue
        try:
            window = context_from_metadata(resp.json(), model)
        except ValueError:
            continue
        if window:
            return window
    return None


def server_root(base_url: str) -> str:
    """The server's root, where its own (non-OpenAI) endpoints live."""
    return base_url.removesuffix("/v1")


async def server_token_count(
    http: httpx.AsyncClient, base_url: str, model: str, text: str, dialect: TokenizerDialect
) -> int | None:
    """Tokens of `text` by the server's own /tokenize, or None when it cannot say."""
    body: dict[str, Any] = (
        {"content": text} if dialect == "llama.cpp" else {"model": model, "prompt": text}
    )
    try:
        resp = await http.post(f"{server_root(base_url)}/tokenize", json=body, timeout=10.0)
        data = resp.json() if resp.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("count"), int):
        return int(data["count"])
    tokens = data.get("tokens")
    return len(tokens) if isinstance(tokens, list) else None


def estimated_tokens(messages: Sequence[Message]) -> list[int]:
    """Each message's tokens at 3 characters a token, template overhead included."""
    return [
        math.ceil(len(m.content) / ESTIMATE_CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS
        for m in messages
    ]


def context_from_metadata(data: Any, model: str) -> int | None:
    """Find a context length in /v1/models (vLLM: max_model_len), /props (llama.cpp:
    default_generation_settings.n_ctx) or /api/show (Ollama: model_info.*.context_length
    and an explicit num_ctx parameter, which is what actually bounds the prompt)."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("data"), list):
        for entry in data["data"]:
            if (isinstance(entry, dict) and entry.get("id") in (model, None)) or len(
                data["data"]
            ) == 1:
                for key in ("max_model_len", "context_length", "context_window", "n_ctx"):
                    if isinstance(entry, dict) and isinstance(entry.get(key), int):
                        return int(entry[key])
                meta = entry.get("meta") if isinstance(entry, dict) else None
                if isinstance(meta, dict) and isinstance(meta.get("n_ctx_train"), int):
                    return None  # training context, not the server's: wait for /props
        return None
    settings = data.get("default_generation_settings")
    if isinstance(settings, dict) and isinstance(settings.get("n_ctx"), int):
        return int(settings["n_ctx"])
    if isinstance(data.get("n_ctx"), int):
        return int(data["n_ctx"])
    params = data.get("parameters")
    if isinstance(params, str):
        for line in params.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "num_ctx" and parts[1].isdigit():
                return int(parts[1])
    info = data.get("model_info")
    if isinstance(info, dict):
        lengths = [
            v for k, v in info.items() if k.endswith(".context_length") and isinstance(v, int)
        ]
        if lengths:
            # Ollama serves with num_ctx (default 2048-4096), not the trained length,
            # unless num_ctx was set above: assume its default to be safe.
            return min(lengths[0], 2048)
    return None
