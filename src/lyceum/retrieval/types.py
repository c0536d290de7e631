"""What retrieval returns and accepts: search results with provenance, filters, ingest reports."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SearchMode = Literal["hybrid", "dense", "bm25"]


class SearchFilters(BaseModel):
    """Metadata conditions a result must meet. Unset fields do not filter."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year_min: int | None = Field(default=None, description="Earliest year, inclusive.")
    year_max: int | None = Field(default=None, description="Latest year, inclusive.")
    sources: tuple[str, ...] = Field(
        default=(), description="Keep only chunks whose source (path or URL) is one of these."
    )
    formats: tuple[str, ...] = Field(default=(), description="e.g. ('pdf', 'latex').")

    @model_validator(mode="after")
    def _range(self) -> SearchFilters:
        if (
            self.year_min is not None
            and self.year_max is not None
            and self.year_min > self.year_max
        ):
            raise ValueError(f"year_min {self.year_min} is after year_max {self.year_max}")
        return self

    @classmethod
    def year(cls, year: int) -> SearchFilters:
        return cls(year_min=year, year_max=year)

    @property
    def empty(self) -> bool:
        return self == SearchFilters()

    def accepts(self, year: int | None, source: str, format: str) -> bool:
        """The reference semantics every index's filter pushdown must match. A year bound
        excludes chunks without a year."""
        if self.year_min is not None and (year is None or year < self.year_min):
            return False
        if self.year_max is not None and (year is None or year > self.year_max):
            return False
        if self.sources and source not in self.sources:
            return False
        return not (self.formats and format not in self.formats)


class SearchResult(BaseModel):
    """One retrieved chunk and where it came from."""

    chunk_id: str
    text: str
    score: float = Field(description="Fused (or reranked) score; higher is better.")
    rank: int = Field(ge=1)
    collection: str
    title: str = ""
    source: str = Field(default="", description="Path or URL of the document.")
    url: str | None = None
    section: str = ""
    year: int | None = None
    authors: list[str] = Field(default_factory=list)
    arxiv_id: str | None = None
    doi: str | None = None
    format: str = ""
    doc_key: str = ""
    ordinal: int = 0
    start_char: int = 0
    end_char: int = 0
    scores: dict[str, float] = Field(
        default_factory=dict, description="Per-retriever scores: dense, bm25, rrf, rerank."
    )
    metadata: dict[str, Any] = Field(default_factory=dict)

    @property
    def citation(self) -> str:
        """A short human-readable provenance line."""
        where = self.url or self.source
        parts = [p for p in (self.title, self.section, where) if p]
        return " — ".join(parts)


class FileProblem(BaseModel):
    path: str
    error: str


class IngestReport(BaseModel):
    """What one `ingest` call did, per file."""

    collection: str
    added: list[str] = Field(default_factory=list, description="New files.")
    updated: list[str] = Field(default_factory=list, description="Changed files, re-chunked.")
    unchanged: list[str] = Field(default_factory=list)
    failed: list[FileProblem] = Field(default_factory=list)
    missing: list[str] = Field(
        default_factory=list,
        description="Previously ingested files under the given paths "
        "that no longer exist (removed from the index only with prune).",
    )
    pruned: list[str] = Field(default_factory=list)
    documents: int = Field(default=0, description="Documents extracted from added/updated files.")
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_repaired: int = Field(
        default=0,
        description="Vectors added or dropped to bring an index left by an interrupted "
        "ingest back in step with its chunks.",
    )
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.pruned)
