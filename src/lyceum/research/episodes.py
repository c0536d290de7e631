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

from lyceum.research.matching import content_word_list, content_words
from lyceum.research.part_subject import subject
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
    # Counted as `content_words` reads them, stems and all: counting only the words whose
    # stem is the word itself had kept "important" of "Why was Venice important for
    # trade?" and dropped "Venice" and "trade".
    return Counter(content_word_list(text))


def same_subject(question: str, past: str) -> bool:
    """Whether the two questions are about one thing: the words of one's subject
    (`part_subject.subject`, or all its content words when its form shows none) are all
    words of the other. "Why was Venice important for trade?" and "Why was Istanbul
    important to the Ottoman Empire?" share their form and no subject: a trial report on
    Venice was offered the Istanbul run's queries, and its planner made them sections."""

    def subject_words(text: str) -> set[str]:
        about = subject(text)
        return content_words(about.noun) if about else content_words(text)

    mine, theirs = subject_words(question), subject_words(past)
    return (
        bool(mine)
        and bool(theirs)
        and (mine <= content_words(past) or theirs <= content_words(question))
    )


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
        """Up to `k` past episodes with useful queries on the same subject (`same_subject`),
        most similar question first."""
        scored = [
            (similarity(question, e.question), e)
            for e in self.all()
            if e.run_id != exclude_run and e.good_queries and same_subject(question, e.question)
        ]
        scored = [t for t in scored if t[0] >= min_similarity]
        scored.sort(key=lambda t: (-t[0], t[1].run_id))
        return [e for _, e in scored[:k]]
