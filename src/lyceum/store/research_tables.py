"""Research tables: episodes (the strategy of each finished run) and the papers runs read.

The run itself is a core `runs` row with kind="research"; its `state` is the checkpoint.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lyceum.store.base import Base, new_id, utcnow


class ResearchEpisodeRow(Base):
    """What one run searched for and which queries produced supported evidence."""

    __tablename__ = "research_episodes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    run_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("runs.id", ondelete="CASCADE"), index=True, unique=True
    )
    question: Mapped[str] = mapped_column(Text)
    good_queries: Mapped[list[str]] = mapped_column(JSON, default=list)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    checked: Mapped[int] = mapped_column(Integer, default=0)
    supported: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ResearchPaperRow(Base):
    """A document a run read, and whether the report cited it."""

    __tablename__ = "research_papers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    run_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("runs.id", ondelete="CASCADE"), index=True
    )
    document_key: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(String(1024), default="")
    source: Mapped[str] = mapped_column(String(128), default="")
    location: Mapped[str] = mapped_column(String(2048), default="")
    cited: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
