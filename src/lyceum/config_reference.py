"""The configuration reference: every table of lyceum.toml with every key, its default and
its meaning, generated from the settings models so it cannot drift from them.

`lyceum init` writes it as the workspace's lyceum.toml; `lyceum init --print` shows it.
A key whose default is "unset" is written commented out, since TOML has no null.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lyceum.config import FEATURE_TABLES, GatewaySettings, StoreSettings, table_model
from lyceum.config_backends import LocalBackendConfig

HEADER = """\
# Lyceum configuration. Every key is optional; the values shown are the defaults, and a
# commented key is unset by default. Environment variables override this file:
# LYCEUM_GATEWAY__MAX_RETRIES=5, LYCEUM_RESEARCH__MAX_ROUNDS=3, and so on.
# Generated from the settings models; 'lyceum init --print' prints it again.
"""

MODEL_KINDS = """\
# ---------------------------------------------------------------------------
# [models.NAME]: one table per backend; `kind` picks it:
#   local      in-process llama.cpp (xllamacpp); `model` is a catalogue name or a GGUF path
#   openai     any OpenAI-compatible server (OpenAI, OpenRouter, Together, vLLM, ...)
#   ollama     Ollama's /v1 endpoint          vllm       a vLLM server
#   llamacpp   llama.cpp's llama-server       anthropic  Anthropic's Messages API
#   scripted   a deterministic fake for tests and demos
# API keys are never written here: name the environment variable that holds them.
#
# [models.api]
# kind = "openai"
# model = "gpt-4o-mini"
# api_key_env = "OPENAI_API_KEY"
#
# [models.ollama]
# kind = "ollama"
# model = "qwen2.5:7b-instruct"
# base_url = "http://127.0.0.1:11434/v1"
# ---------------------------------------------------------------------------
"""

PRICING = """\
# ---------------------------------------------------------------------------
# [pricing."MODEL"]: USD per million tokens, by model name; extends the built-in table.
# [pricing."my-finetune"]
# input_per_mtok = 0.20
# output_per_mtok = 0.80
# ---------------------------------------------------------------------------
"""


LINE = 110  # a longer meaning is cut to its first sentence


def toml_value(value: Any) -> str:
    """`value` as a TOML literal (strings in JSON's escaping, which TOML shares)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return toml_value(value.value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (str, Path)):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    raise TypeError(f"no TOML literal for {type(value).__name__}")


def _meaning(model: type[BaseModel], name: str) -> str:
    """A field's description on one line; a subclass that only changes a default inherits
    its base's description."""
    for cls in model.__mro__:
        fields = getattr(cls, "model_fields", {})
        if name in fields and fields[name].description:
            text = " ".join(str(fields[name].description).split())
            first, sep, _ = text.partition(". ")
            return first + "." if sep and len(text) > LINE else text
    return ""


def table_text(name: str, model: type[BaseModel], values: BaseModel | None = None) -> str:
    """`[name]` with every field of `model`: a comment line with its meaning, then the key
    and its default (commented out when unset)."""
    values = values if values is not None else model()
    doc = " ".join((model.__doc__ or "").split())
    doc = "" if doc.startswith("`[") else doc
    lines = [f"[{name}]" + (f"  # {doc}" if doc else "")]
    for field in model.model_fields:
        meaning = _meaning(model, field)
        if meaning:
            lines.append(f"# {meaning}")
        value = getattr(values, field)
        lines.append(f"# {field} = (unset)" if value is None else f"{field} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def reference_toml() -> str:
    """The whole reference: models, gateway, store, pricing, then every feature table."""
    parts = [
        HEADER,
        MODEL_KINDS,
        table_text("models.local", LocalBackendConfig),
        table_text("gateway", GatewaySettings),
        table_text("store", StoreSettings),
        PRICING,
    ]
    parts.extend(table_text(table, table_model(table)) for table in FEATURE_TABLES)
    return "\n".join(parts)
