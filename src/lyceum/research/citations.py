"""Citations: one bibliography entry per cited document, with a stable key that maps to
its arXiv id, DOI, URL or corpus path and to the notes and passages behind it."""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, Field

from lyceum.research.matching import STOPWORDS
from lyceum.research.state import Passage, ReportSection, ResearchState, Sentence


class BibEntry(BaseModel):
    key: str
    document_key: str
    title: str
    source: str
    url: str | None = None
    path: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    year: int | None = None
    authors: list[str] = Field(default_factory=list)
    passages: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @property
    def location(self) -> str:
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url or self.path or ""


def _ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def base_key(p: Passage) -> str:
    """'lastname2020', else the first title words, else the source name."""
    year = str(p.year) if p.year else ""
    if p.authors:
        last = _ascii_slug(p.authors[0].split(",")[0].split()[-1] if p.authors[0].split() else "")
        if last:
            return last + year
    words = [w for w in re.split(r"\W+", p.title.lower()) if w and w not in STOPWORDS]
    slug = "".join(_ascii_slug(w) for w in words[:2])[:24]
    if p.arxiv_id and not slug:
        slug = "arxiv" + _ascii_slug(p.arxiv_id)
    return (slug or _ascii_slug(p.source) or "source") + year


def cited_sentences(state: ResearchState) -> list[Sentence]:
    return [
        s
        for sec in state.sections
        for s in sec.sentences
        if s.kind == "fact" and s.notes and s.status != "dropped"
    ]


def build_bibliography(state: ResearchState) -> tuple[list[BibEntry], dict[str, str]]:
    """Entries in order of first citation, and note id -> key."""
    entries: dict[str, BibEntry] = {}
    taken: set[str] = set()
    note_keys: dict[str, str] = {}
    for sentence in cited_sentences(state):
        for note_id in sentence.notes:
            note = state.note(note_id)
            passage = state.passages[note.passage_id]
            doc = passage.document_key
            entry = entries.get(doc)
            if entry is None:
                key = base = base_key(passage)
                suffix = ord("a") - 1
                while key in taken:
                    suffix += 1
                    key = f"{base}{chr(suffix)}"
                taken.add(key)
                entry = entries[doc] = BibEntry(
                    key=key,
                    document_key=doc,
                    title=passage.title or doc,
                    source=passage.source,
                    url=passage.url,
                    path=passage.path,
                    arxiv_id=passage.arxiv_id,
                    doi=passage.doi,
                    year=passage.year,
                    authors=passage.authors,
                )
            if passage.id not in entry.passages:
                entry.passages.append(passage.id)
            if note_id not in entry.notes:
                entry.notes.append(note_id)
            note_keys[note_id] = entry.key
    return list(entries.values()), note_keys


def sentence_keys(sentence: Sentence, note_keys: dict[str, str]) -> list[str]:
    return list(dict.fromkeys(note_keys[n] for n in sentence.notes if n in note_keys))


def shown_sentences(section: ReportSection, said: set[str]) -> list[Sentence]:
    """The section's sentences as the report shows them: not dropped, and not already said
    (a rewrite can converge on a sentence another one already states). Updates `said`."""
    shown = []
    for s in section.sentences:
        key = s.text.lower()
        if s.status != "dropped" and key not in said:
            said.add(key)
            shown.append(s)
    return shown
