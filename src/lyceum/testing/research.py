"""Fakes for research runs: an in-memory corpus searched by word overlap, and a claim scorer
that calls a claim supported when most of its content words are in the passage.

Shared by the research, server and CLI tests, which hand them to `run_research` in place
of the real sources and the trained verifier.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from lyceum.research.matching import content_words, overlap
from lyceum.sources.base import Hit


class MemorySource:
    """Word-overlap search over a dict of documents."""

    def __init__(self, docs: dict[str, tuple[str, str]], name: str = "memory") -> None:
        self.docs = docs
        self.name = name
        self.searches: list[str] = []

    async def search(self, query: str, k: int = 10) -> list[Hit]:
        self.searches.append(query)
        q = content_words(query)
        scored = sorted(
            ((len(q & content_words(t + " " + x)), key) for key, (t, x) in self.docs.items()),
            key=lambda s: (-s[0], s[1]),
        )
        return [self._hit(key, float(score)) for score, key in scored[:k] if score > 0]

    def _hit(self, key: str, score: float = 0.0) -> Hit:
        title, text = self.docs[key]
        return Hit(
            text=text, title=title, path=f"/corpus/{key}.txt", source=self.name, id=key, score=score
        )


class TitledMemorySource(MemorySource):
    """A `MemorySource` that lists its titles and looks a page up by title
    (`TitledSource`); the documents in `hidden` are never returned by a search, as pages
    a question's queries do not retrieve."""

    def __init__(
        self,
        docs: dict[str, tuple[str, str]],
        name: str = "memory",
        hidden: Collection[str] = (),
    ) -> None:
        super().__init__(docs, name)
        self.hidden = frozenset(hidden)
        self.looked_up: list[str] = []

    async def search(self, query: str, k: int = 10) -> list[Hit]:
        return [
            h for h in await super().search(query, k + len(self.hidden)) if h.id not in self.hidden
        ][:k]

    def titles(self) -> frozenset[str]:
        return frozenset(title for title, _ in self.docs.values())

    def page(self, title: str) -> Hit | None:
        self.looked_up.append(title)
        for key, (t, _) in self.docs.items():
            if t == title:
                return self._hit(key)
        return None


@dataclass
class Verdict:
    verdict: str
    score: float

    def model_dump(self, **_: object) -> dict[str, object]:
        return {"verdict": self.verdict, "probabilities": {"supported": self.score}}


class OverlapScorer:
    """Supported when most of the claim's content words are in the passage."""

    def __init__(self, threshold: float = 0.75) -> None:
        self.threshold = threshold
        self.checked: list[tuple[str, str]] = []

    async def score_many(
        self, pairs: Sequence[tuple[str, str]], *, titles: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        self.checked += list(pairs)
        return [
            Verdict(
                "supported" if overlap(c, p) >= self.threshold else "not_enough_info", overlap(c, p)
            )
            for c, p in pairs
        ]
