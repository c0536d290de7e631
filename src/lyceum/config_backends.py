"""Typed options for each backend kind, as they appear under `[models.NAME]` in lyceum.toml.

Part of the settings (`lyceum.config` validates `[models]` with them), so they live in the
config layer; the backends in `lyceum.llm` read them from here. Every class forbids unknown
keys, so a typo in the config is an error, not a silent default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _BackendOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_concurrency: int = Field(
        default=4, ge=1, description="Calls in flight at once to this backend."
    )
    timeout_s: float = Field(
        default=120.0,
        gt=0,
        description="Deadline for one call; for a stream, the longest wait for its next chunk.",
    )
    stream_max_s: float = Field(
        default=1800.0,
        gt=0,
        description="Ceiling on one stream's whole duration, however steadily it produces.",
    )
    price_key: str | None = Field(
        default=None, description="Entry of the pricing table to bill this backend's calls to."
    )


class LocalBackendConfig(_BackendOptions):
    """The embedded llama.cpp model, run in this process on the CPU."""

    kind: Literal["local"] = "local"
    model: str = Field(
        default="qwen2.5-coder-0.5b-instruct",
        description="A name from the embedded catalogue, or a path to any GGUF file.",
    )
    n_ctx: int = Field(
        default=8192,
        ge=256,
        description="Ceiling of the context window. The window allocated starts at 2048 "
        "tokens and grows towards it as calls need (llm/backends/local_context.py).",
    )
    n_threads: int | None = Field(
        default=None,
        ge=1,
        description="CPU threads. Default: every core other processes are not using, "
        "re-checked between calls (a fixed count stalls on a busy machine: with a busy loop "
        "per core, 2 threads decoded 20x slower than 1; benchmarks/local_model.py).",
    )
    n_parallel: int = Field(default=1, ge=1, description="Sequences decoded at once.")
    reproducible: bool = Field(
        default=False,
        description="The same prompt gives the same text whatever the load and whatever "
        "was asked before: the thread count is fixed (n_threads, or every core) and no "
        "prompt prefix is reused from the KV cache. Greedy decoding depends on both "
        "(benchmarks/local_reproducible.py); the cost is prompt time on every call, and "
        "speed on a busy machine.",
    )
    speculation: list[Literal["ngram_simple", "ngram_map_k", "ngram_map_k4v", "ngram_mod"]] = Field(
        default_factory=list,
        description="Draft-free n-gram speculation for every call of this backend (llama.cpp "
        "sets it per server). Off by default: on the calls of a research run no call type "
        "decoded faster with it (benchmarks/speculation_calls.py). To use it for one call "
        "type, give that type's gateway role a second local backend with it on.",
    )
    max_concurrency: int = 1


class OpenAIBackendConfig(_BackendOptions):
    """Any server speaking the OpenAI chat-completions protocol: vLLM, Ollama's /v1,
    llama.cpp's server, OpenAI, OpenRouter, Together."""

    kind: Literal["openai"] = "openai"
    base_url: str = Field(default="https://api.openai.com/v1")
    model: str = Field(description="Model name the server knows, e.g. 'gpt-4o-mini'.")
    api_key_env: str | None = Field(
        default="OPENAI_API_KEY",
        description="Environment variable holding the key; the key itself never goes in config.",
    )
    context_window: int | None = Field(
        default=None,
        description="Known context window. When unset it is probed from the server "
        "(/v1/models metadata, Ollama's /api/show, llama.cpp's /props).",
    )
    on_overflow: Literal["error", "truncate"] = Field(
        default="error",
        description="A prompt longer than the context window: refuse, or drop the oldest "
        "non-system turns with a warning. Never silently truncated by the server.",
    )
    supports_tools: bool = True
    supports_json_schema: bool = True
    extra_body: dict[str, object] = Field(
        default_factory=dict, description="Extra JSON fields sent with every request."
    )


class OllamaBackendConfig(OpenAIBackendConfig):
    kind: Literal["ollama"] = "ollama"  # type: ignore[assignment]
    base_url: str = "http://127.0.0.1:11434/v1"
    api_key_env: str | None = None


class VLLMBackendConfig(OpenAIBackendConfig):
    kind: Literal["vllm"] = "vllm"  # type: ignore[assignment]
    base_url: str = "http://127.0.0.1:8000/v1"
    api_key_env: str | None = "VLLM_API_KEY"


class LlamaCppServerBackendConfig(OpenAIBackendConfig):
    kind: Literal["llamacpp"] = "llamacpp"  # type: ignore[assignment]
    base_url: str = "http://127.0.0.1:8080/v1"
    api_key_env: str | None = "LLAMA_API_KEY"
    model: str = "default"


class AnthropicBackendConfig(_BackendOptions):
    kind: Literal["anthropic"] = "anthropic"
    model: str = "claude-sonnet-4-5"
    api_key_env: str = "ANTHROPIC_API_KEY"
    base_url: str | None = None
    context_window: int = 200_000


class ScriptedBackendConfig(_BackendOptions):
    """A deterministic fake that replays scripted outputs; for tests and demos."""

    kind: Literal["scripted"] = "scripted"
    outputs: list[str] = Field(default_factory=list, description="Replies, in order.")
    default_output: str | None = Field(
        default="ok", description="Reply once the script runs out (None: raise)."
    )
    script_file: Path | None = Field(
        default=None, description="JSON list of outputs, read in addition to `outputs`."
    )


BackendConfig = Annotated[
    LocalBackendConfig
    | OpenAIBackendConfig
    | OllamaBackendConfig
    | VLLMBackendConfig
    | LlamaCppServerBackendConfig
    | AnthropicBackendConfig
    | ScriptedBackendConfig,
    Field(discriminator="kind"),
]
