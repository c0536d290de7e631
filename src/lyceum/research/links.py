"""Follow the links: read the pages that the passages read name.

A passage read often names the page that answers the question, where the question's own
queries never retrieve it. "What killed the dinosaurs?" retrieves dinosaur genera, whose
pages name the *Cretaceous–Paleogene extinction event*; "What triggered World War I?"
retrieves the war's fronts and treaties, which name the *Assassination of Archduke Franz
Ferdinand*. An encyclopedia's reader follows such a link; so does a run.

After a round of reading, the titles of the sources' documents (`TitledSource`) that a
sentence of a passage read names word for word are the candidates, less the pages read and
the pages of a namesake or sibling of the question's names (`relevance.another_topic`). The
`LOOKUPS` candidates whose titles are closest to the question are looked up (the page's
opening passage, `TitledSource.page`), and a page is read only if one of its sentences
reaches `min_neighbour_focus`: that is the focus a sentence of a page the question does not
name must reach to be printed (`focus_cut.py`), so a page below it cannot give the report a
sentence. The best `follow_links` pages are read in the next round as follow-up
sub-questions (origin "link"), each under the part of the question its best sentence
answers best. No model call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lyceum.research.mining import on_topic_sentences, section_for
from lyceum.research.named import MIN_TITLE_CHARS, in_named_context
from lyceum.research.relevance import Relevance, another_instance, another_topic, subject_pages
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import ResearchState, SubQuestion
from lyceum.research.workers import page_by_title, passage_from_hit, readable_sentences
from lyceum.sources.base import Source, TitledSource

LOOKUPS = 8
"""Candidate titles looked up per round, the closest to the question first."""
_WORD = re.compile(r"[^\W_]+(?:['’.–-][^\W_]+)*")


@dataclass(frozen=True)
class Link:
    """A page a passage read names, looked up and worth reading."""

    title: str
    focus: float
    part: int


@dataclass(frozen=True)
class TitleIndex:
    """The titles of the documents of the sources that can list them (`TitledSource`)."""

    by_lower: dict[str, str]
    longest: int

    @classmethod
    def of(cls, sources: Sequence[Source]) -> TitleIndex:
        by_lower: dict[str, str] = {}
        for source in sources:
            if isinstance(source, TitledSource):
                for title in source.titles():
                    if len(title) >= MIN_TITLE_CHARS:
                        by_lower.setdefault(" ".join(title.split()).lower(), title)
        return cls(by_lower, max((len(t.split()) for t in by_lower), default=0))

    def named(self, text: str) -> list[str]:
        """The titles `text` names word for word (case aside), left to right; at each word
        the longest ("Cretaceous–Paleogene extinction event", not "Extinction event")."""
        spans = [m.span() for m in _WORD.finditer(text)]
        found: list[str] = []
        i = 0
        while i < len(spans):
            for j in range(min(len(spans), i + self.longest), i, -1):
                phrase = " ".join(text[spans[i][0] : spans[j - 1][1]].split()).lower()
                if phrase in self.by_lower:
                    found.append(self.by_lower[phrase])
                    i = j
                    break
            else:
                i += 1
        return found


def candidates(state: ResearchState, titles: TitleIndex) -> list[str]:
    """Titles the passages read name, once each in reading order: not read already (the
    page naming them included) and not a namesake's or a sibling's page."""
    read = {(p.title or "").lower() for p in state.passages.values()}
    out: list[str] = []
    for sentence, _ in on_topic_sentences(state):
        for title in titles.named(sentence):
            if title.lower() in read or title in out:
                continue
            if another_topic(title, "", state.question) is None:
                out.append(title)
    return out


async def find_links(
    state: ResearchState,
    sources: Sequence[Source],
    relevance: Relevance,
    config: ResearchSettings,
) -> list[Link]:
    """The pages worth reading that the passages read name, best focus first, at most
    `follow_links`."""
    if config.follow_links == 0 or config.min_neighbour_focus is None:
        return []
    titles = candidates(state, TitleIndex.of(sources))
    if not titles:
        return []
    closeness = await relevance.ascores(titles, state.question)
    ranked = sorted(zip(titles, closeness, strict=True), key=lambda tc: -tc[1])[:LOOKUPS]
    named = subject_pages(
        state.question, [(p.title or "", p.text) for p in state.passages.values()]
    )
    links: list[Link] = []
    for title, _ in ranked:
        hit = page_by_title(sources, title)
        if hit is None:
            continue
        if another_topic(hit.title, hit.text, state.question) is not None:
            continue
        if another_instance(hit.title, hit.text, named) is not None:
            continue  # Allosaurus, named on *Tyrannosaurus*: another genus
        passage = passage_from_hit(hit, title, config.passage_chars)
        sentences = readable_sentences(passage)
        if not sentences:
            continue
        texts = [in_named_context(s, passage.title, state.question) for s in sentences]
        focus = await relevance.focus(texts, state.question)
        best = max(range(len(texts)), key=lambda i: focus[i])
        if focus[best] < config.min_neighbour_focus:
            continue
        part_scores = [
            (await relevance.part_scores([texts[best]], state.question, part))[0]
            for part in range(len(state.parts))
        ]
        part = max(range(len(part_scores)), key=lambda k: part_scores[k]) if part_scores else 0
        links.append(Link(title=hit.title, focus=focus[best], part=part))
    links.sort(key=lambda link: -link.focus)
    return links[: config.follow_links]


def link_follow_ups(
    state: ResearchState, links: Sequence[Link], next_round: int
) -> list[SubQuestion]:
    """One follow-up sub-question per part with links, reading only the linked pages."""
    by_root: dict[str, list[Link]] = {}
    roots = state.roots()
    for link in links:
        root = section_for(state, link.part) or (roots[0] if roots else None)
        if root is not None:
            by_root.setdefault(root.id, []).append(link)
    out = []
    for root_id, group in by_root.items():
        root = state.sub_question(root_id)
        titles = [link.title for link in group]
        out.append(
            SubQuestion(
                id=f"{root_id}.l{next_round}",
                question=root.question,
                queries=titles,
                round=next_round,
                origin="link",
                part=root.part,
                parent=root_id,
                links=titles,
                reason="named by a passage read: " + "; ".join(titles),
            )
        )
    return out
