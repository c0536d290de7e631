"""The `[retrieval]` section of lyceum.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lyceum.config import Settings, feature_settings


class RetrievalSettings(BaseModel):
    """How documents are chunked, embedded, indexed and searched."""

    model_config = ConfigDict(extra="forbid")

    chunk_tokens: int = Field(
        default=256,
        ge=16,
        le=8192,
        description="Longest chunk in embedding-model tokens. Each document's chunks are "
        "shortened so that the model's special tokens, the document title (cut to 32 tokens) "
        "and the chunk fit the model's input (MiniLM: 256), which would otherwise drop the "
        "chunk's tail unseen.",
    )
    chunk_overlap: int = Field(
        default=50, ge=0, description="Tokens shared by consecutive chunks of a document."
    )
    embedding_model: str = Field(
        default="minilm",
        description="'minilm' (all-MiniLM-L6-v2 from its wheel), 'hashing' (no model: "
        "feature hashing, for machines without torch), or a sentence-transformers model dir.",
    )
    embed_batch_size: int = Field(default=64, ge=1, description="Texts per embedding batch.")
    embed_threads: int | None = Field(
        default=None,
        ge=1,
        description="Torch threads while embedding (queries and ingest). Default: every core "
        "other processes are not using, re-checked per call, as for the local model.",
    )
    vector_store: Literal["numpy", "lancedb", "qdrant"] = Field(
        default="numpy",
        description="numpy: exact search over a float32 matrix file in the workspace "
        "(the measured default); lancedb: LanceDB table in the workspace; qdrant: a Qdrant "
        "server at `qdrant_url`, or Qdrant's local mode in the workspace when no URL is set.",
    )
    qdrant_url: str | None = Field(default=None, description="e.g. http://localhost:6333")
    qdrant_api_key_env: str = Field(
        default="QDRANT_API_KEY", description="Environment variable holding the Qdrant API key."
    )
    default_collection: str = Field(
        default="default", description="Collection used when none is named."
    )
    candidates: int = Field(
        default=50, ge=1, description="Results taken from each retriever before fusion."
    )
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal rank fusion constant.")
    dense_weight: float = Field(
        default=1.0,
        ge=0.0,
        description="Weight of each dense ranking in hybrid fusion: a chunk at rank r adds "
        "dense_weight / (rrf_k + r); 0 leaves BM25 alone deciding. Equal weights (the "
        "default) unless queries like yours, not your test set, say otherwise.",
    )
    bm25_weight: float = Field(
        default=1.0,
        ge=0.0,
        description="Weight of each BM25 ranking in hybrid fusion (see dense_weight).",
    )
    index_dir: Path | None = Field(
        default=None, description="Where indexes live. Default: <workspace>/indexes."
    )

    @model_validator(mode="after")
    def _overlap_below_size(self) -> RetrievalSettings:
        if self.dense_weight == 0 and self.bm25_weight == 0:
            raise ValueError("dense_weight and bm25_weight cannot both be 0")
        if self.chunk_overlap >= self.chunk_tokens:
            raise ValueError(
                f"chunk_overlap ({self.chunk_overlap}) must be smaller than chunk_tokens "
                f"({self.chunk_tokens})"
            )
        return self


def retrieval_settings(settings: Settings) -> RetrievalSettings:
    return feature_settings(settings, "retrieval", RetrievalSettings)


def index_root(settings: Settings) -> Path:
    configured = retrieval_settings(settings).index_dir
    return configured if configured is not None else settings.workspace / "indexes"
