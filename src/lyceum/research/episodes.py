"""Episodes: the strategy of each finished research run (the queries and sources that
produced supported evidence), and the most similar past episodes for a new question.

Similarity is cosine over content-word counts of the questions: cheap, deterministic,
and good enough to surface "this was asked before, these queries worked".
"""

from __future__ import annotations

import math
from collections import Counter

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select

from lyceum.research.matching import content_words, words
from lyceum.store.db import Database
from lyceum.store.research_tables import ResearchEpisodeRow


class ResearchEpisode(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    run_id: str
    question: str
    good_queries: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    checked: int = 0
    supported: int = 0

    def as_hint(self) -> str:
        """One line for the planner's prompt."""
        return f"{self.question} -> {'; '.join(self.good_queries[:4])}"


def _vector(text: str) -> Counter[str]:
    keep = content_words(text)
    return Counter(w for w in words(text) if w in keep or w.rstrip("s") in keep)


def similarity(a: str, b: str) -> float:
    va, vb = _vector(a), _vector(b)
    dot = sum(va[w] * vb[w] for w in va)
    norm = math.sqrt(sum(v * v for v in va.values())) * math.sqrt(sum(v * v for v in vb.values()))
    return dot / norm if norm else 0.0


class EpisodeStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, episode: ResearchEpisode) -> None:
        """Store (or replace) the episode of a run."""
        with self._db.session() as session:
            session.execute(
                delete(ResearchEpisodeRow).where(ResearchEpisodeRow.run_id == episode.run_id)
            )
            session.add(ResearchEpisodeRow(**episode.model_dump()))

    def all(self) -> list[ResearchEpisode]:
        with self._db.session() as session:
            rows = session.scalars(
                select(ResearchEpisodeRow).order_by(ResearchEpisodeRow.created_at)
            )
            return [ResearchEpisode.model_validate(r) for r in rows]

    def similar(
        self,
        question: str,
        k: int = 2,
        *,
        exclude_run: str | None = None,
        min_similarity: float = 0.2,
    ) -> list[ResearchEpisode]:
        """Up to `k` past episodes with useful queries, most similar question first."""
        scored = [
            (similarity(question, e.question), e)
            for e in self.all()
            if e.run_id != exclude_run and e.good_queries
        ]
        scored = [t for t in scored if t[0] >= min_similarity]
        scored.sort(key=lambda t: (-t[0], t[1].run_id))
        return [e for _, e in scored[:k]]
