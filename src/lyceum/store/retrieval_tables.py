"""Corpus tables: the files ingested into each collection and their chunks with provenance.

Vectors and the BM25 index live beside the database in the workspace's index folder; these
rows are the source of truth they are rebuilt from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lyceum.store.base import Base, new_id, utcnow


class CorpusFileRow(Base):
    """One ingested unit (a file, or a LaTeX project by its main file) and its content hash."""

    __tablename__ = "corpus_files"
    __table_args__ = (UniqueConstraint("collection", "path"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    collection: Mapped[str] = mapped_column(String(128), index=True)
    path: Mapped[str] = mapped_column(String(2048))
    content_hash: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16), default="")
    n_documents: Mapped[int] = mapped_column(Integer, default=0)
    n_chunks: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CorpusChunkRow(Base):
    """A chunk of a document, with the document's provenance copied on for cheap lookup."""

    __tablename__ = "corpus_chunks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    collection: Mapped[str] = mapped_column(String(128), index=True)
    file_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("corpus_files.id", ondelete="CASCADE"), index=True
    )
    doc_key: Mapped[str] = mapped_column(String(512), default="")
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(1024), default="")
    source: Mapped[str] = mapped_column(String(2048), default="")
    url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    section: Mapped[str] = mapped_column(String(1024), default="")
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    arxiv_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    doi: Mapped[str | None] = mapped_column(String(256), nullable=True)
    format: Mapped[str] = mapped_column(String(16), default="")
    start_char: Mapped[int] = mapped_column(Integer, default=0)
    end_char: Mapped[int] = mapped_column(Integer, default=0)
    tokens: Mapped[int] = mapped_column(Integer, default=0)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
