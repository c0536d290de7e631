"""Self-improvement loop tables: gated batches, their reviews, the accepted corpus examples,
registry versions and every registry transition."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lyceum.store.base import Base, new_id, utcnow


class EvolveBatchRow(Base):
    """A candidate batch file, identified by the sha256 of its content, and its gate decision.

    status: refused (gate said no) -> gated (gate said yes, awaiting review) -> accepted | rejected.
    """

    __tablename__ = "evolve_batches"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(Text, default="")
    n_examples: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="refused", index=True)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class EvolveReviewRow(Base):
    """One approve/reject of a batch after looking at a seeded sample of it."""

    __tablename__ = "evolve_reviews"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    batch_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("evolve_batches.id", ondelete="CASCADE"), index=True
    )
    approved: Mapped[bool] = mapped_column(Boolean)
    scripted: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewer: Mapped[str] = mapped_column(String(128), default="")
    sample_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EvolveExampleRow(Base):
    """An example of an accepted batch: part of the validated corpus from then on."""

    __tablename__ = "evolve_examples"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    batch_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("evolve_batches.id", ondelete="CASCADE"), index=True
    )
    example_id: Mapped[str] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(16), default="sft")
    quality: Mapped[float] = mapped_column(Float, default=0.0)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=True)
    generation_depth: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EvolveVersionRow(Base):
    """A registry version (a prompt addendum or a model route/adapter) and its metrics.

    status: candidate | production | backup | retired | rolled_back.
    """

    __tablename__ = "evolve_versions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(256), default="")
    number: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="candidate", index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    parent_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EvolveTransitionRow(Base):
    """Every registry event: registered, arena, promoted, demoted, rolled back, restored.

    `seq` numbers the transitions in the order they were written (the log's order: rows of
    one flush can share `created_at`).
    """

    __tablename__ = "evolve_transitions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    version_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("evolve_versions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    event: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str] = mapped_column(String(16), default="")
    to_status: Mapped[str] = mapped_column(String(16), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
