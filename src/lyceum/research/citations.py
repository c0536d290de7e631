"""Citations: one bibliography entry per cited document, with a stable key that maps to
its arXiv id, DOI, URL or corpus path and to the notes and passages behind it; and which
sentences the report shows, so that the Markdown report and the LaTeX paper cite the same.

Only cited sentences are printed: an uncited statement (a drafted sentence no note covers,
or an old run's model hypothesis) is counted as left out, never shown."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from lyceum.research.matching import STOPWORDS
from lyceum.research.part_subject import standalone_part
from lyceum.research.state import Passage, ReportSection, ResearchState, Sentence, SubQuestion


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
    """'lastname2020', else the first title words (past initials), else the source name."""
    year = str(p.year) if p.year else ""
    if p.authors:
        last = _ascii_slug(p.authors[0].split(",")[0].split()[-1] if p.authors[0].split() else "")
        if last:
            return last + year
    # Initials name no one: *B. R. Ambedkar* is "ambedkar", not "br" (but *Saturn V*, *Vitamin
    # C* and *X-ray* keep their letters).
    title = re.sub(r"\b[A-Z]\.\s*", " ", p.title) if re.search(r"\w{2}", p.title) else p.title
    words = [w for w in re.split(r"\W+", title.lower()) if w and w not in STOPWORDS]
    slug = "".join(_ascii_slug(w) for w in words[:2])[:24]
    if p.arxiv_id and not slug:
        slug = "arxiv" + _ascii_slug(p.arxiv_id)
    return (slug or _ascii_slug(p.source) or "source") + year


def printable(sentence: Sentence) -> bool:
    """Whether the report prints `sentence`: it cites a note and the check kept it."""
    return bool(sentence.notes) and sentence.status != "dropped"


def cited_sentences(state: ResearchState) -> list[Sentence]:
    """Every printed sentence once, in the order a reader meets them: the short answer or
    the background, then the sections. Short-answer sentences are copies of section
    sentences, so a copy (same text, same notes) is counted once."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    out = []
    shown_first = [*state.short_answer, *state.background]
    for s in [*shown_first, *(s for sec in state.sections for s in sec.sentences)]:
        key = (s.text.lower(), tuple(s.notes))
        if printable(s) and key not in seen:
            seen.add(key)
            out.append(s)
    return out


def uncited_count(state: ResearchState) -> int:
    """Statements left out of the report because they cite nothing."""
    return sum(not s.notes for sec in state.sections for s in sec.sentences)


def _suffix(n: int) -> str:
    """The n-th disambiguating suffix (1 -> a, 26 -> z, 27 -> aa, ...): letters only, so a
    key stays a plain TeX token however many documents share a base key."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


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
                suffix = 0
                while key in taken:
                    suffix += 1
                    key = f"{base}{_suffix(suffix)}"
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
    """The section's sentences as the report shows them: printed (`printable`), and not
    already said (the short answer says some; a rewrite can converge on a sentence another
    one already states). Updates `said`."""
    shown = []
    for s in section.sentences:
        key = s.text.lower()
        if printable(s) and key not in said:
            said.add(key)
            shown.append(s)
    return shown


SUMMARISED_ABOVE = "Its evidence is summarised in the short answer above."
REPORTED_ABOVE = "Its evidence is reported in the sections above."
NOTHING_PASSED = "Evidence was found for it, but no sentence from it passed the checks."
DOES_NOT_ANSWER = "The evidence found for it does not answer it."
"""The section of a declared part whose checked sentences were dropped for not answering it:
trial reports on "How does yeast make bread rise?" and "What happened to Amelia Earhart?"
had said no sentence passed the checks, though the claim check had supported them."""
ANSWERED_ABOVE = "It is answered elsewhere in this report, by evidence found for another part."
NOT_ANSWERED_ABOVE = "The evidence found for it, shown above, does not answer it."
NO_EVIDENCE = "No evidence was found for this sub-question."


def _judged_off(sentence: Sentence) -> bool:
    """Whether `sentence` was dropped for what it says, not for lack of support: the claim
    check's verdict on it stands (`off_topic`: not about the question, or not answering its
    part)."""
    return (
        sentence.status == "dropped"
        and sentence.verdict is not None
        and sentence.verdict.get("verdict") == "off_topic"
    )


@dataclass
class ShownSection:
    """A body section as shown: its sentences, or `empty` saying why there are none."""

    title: str
    sentences: list[Sentence]
    empty: str = ""


@dataclass
class ShownReport:
    """What the report shows, in order: the short answer (or, when there is none, the
    background on the question's subject), the body sections (which do not repeat it), the
    parts of the question the sources do not cover, the open questions (gaps of the search
    not already listed as not covered), and how many uncited statements were left out."""

    short_answer: list[Sentence]
    sections: list[ShownSection]
    not_covered: list[str]
    uncited: int
    open_questions: list[str] = field(default_factory=list)
    answers_no_part: bool = False
    answers_nothing: bool = False
    background: list[Sentence] = field(default_factory=list)


def shown_report(state: ResearchState) -> ShownReport:
    said: set[str] = set()
    # When the sources answer no part of the question, what they say on other points is no
    # answer to it: a trial report on "How many moons does Jupiter have?" declared its one
    # part and gave "The diameter of Jupiter is 11 times that of Earth …" as its short
    # answer (found for a sub-question of the planner's). Those sentences stay in their
    # sections, below the statement that the question is not answered.
    answers_no_part = bool(state.parts) and all(
        _declared(state, i) for i in range(len(state.parts))
    )
    short_answer = [] if answers_no_part else state.short_answer
    short = shown_sentences(ReportSection(title="", sentences=short_answer), said)
    in_short = {s.text.lower() for s in short}
    sections = []
    for section in state.sections:
        kept = shown_sentences(section, said)
        if not kept and not _answers_a_part(state, section):
            continue  # a heading over nothing, for no part of the question, is noise
        printed = [s.text.lower() for s in section.sentences if printable(s)]
        # A section whose evidence earlier sections all reported still heads its part of
        # the question, so the reader sees each part addressed.
        above = bool(printed) or section.covered_above
        if kept:
            empty = ""
        elif above and declared_section(state, section):
            # Its evidence is printed above, yet the part is listed as not covered: saying
            # "summarised above" would contradict that list.
            empty = NOT_ANSWERED_ABOVE
        elif section.answered_in_body:
            empty = ANSWERED_ABOVE
        elif any(text in in_short for text in printed):
            empty = SUMMARISED_ABOVE
        elif above:
            empty = REPORTED_ABOVE
        elif _answered_elsewhere(state, section):
            empty = ANSWERED_ABOVE
        elif declared_section(state, section) and any(_judged_off(s) for s in section.sentences):
            empty = DOES_NOT_ANSWER
        elif section.sub_question and state.plan and state.notes_for(section.sub_question):
            empty = NOTHING_PASSED
        else:
            empty = NO_EVIDENCE
        sections.append(ShownSection(_heading(state, section), kept, empty))
    # Background stands in for an answer, never beside one.
    answers_nothing = not short and (answers_no_part or not any(s.sentences for s in sections))
    background = [s for s in state.background if printable(s)] if answers_nothing else []
    return ShownReport(
        short_answer=short,
        sections=sections,
        not_covered=[" ".join(p.split()) for p in state.not_covered if p.strip()],
        uncited=uncited_count(state),
        open_questions=_open_questions(state),
        answers_no_part=answers_no_part,
        answers_nothing=answers_nothing,
        background=background,
    )


def _open_questions(state: ResearchState) -> list[str]:
    """Each open gap once, as "question: detail". A gap of a part the report already lists
    as not covered is left out ("When?: no evidence found" under "When was the Great Pyramid
    of Giza built?"), and a part's gap names the part as that list would. So is the gap of
    an aspect (a document the question retrieved, read to widen the reading: `planner`):
    nobody asked it, and a report on the Titanic listed "Why did the Titanic sink, and how
    many people died? (Chernobyl disaster): evidence from one document only". A part's "no
    evidence found" goes too: declared, the list says so; answered, it is not true."""
    out: list[str] = []
    for gap in (g for g in state.gaps if not g.closed):
        sq = _planned(state, gap.sub_question)
        root = _planned(state, sq.root) if sq is not None else None
        if root is not None and root.origin == "aspect":
            continue
        question = sq.question if sq else gap.sub_question
        if sq is not None and sq.part is not None and 0 <= sq.part < len(state.parts):
            # A part the report answers, with evidence another sub-question found, has
            # evidence: a trial report on the Galápagos Islands answered "Why are they
            # famous?" and listed "no evidence found" for it under "Open questions".
            if _declared(state, sq.part) or gap.kind == "no_evidence":
                continue
            question = standalone_part(state.parts[sq.part], state.question)
        line = f"{question}: {gap.detail}"
        if line not in out:
            out.append(line)
    return out


def _answers_a_part(state: ResearchState, section: ReportSection) -> bool:
    """Whether the section stands for a part of the question as asked (or the question has no
    parts to stand for): such a section keeps its heading even when the short answer or the
    sections above say everything it found, so the reader sees each part addressed."""
    if not state.parts:
        return True
    root = _planned(state, section.sub_question)
    if root is not None and root.parent:
        root = _planned(state, root.parent) or root
    return root is None or root.origin == "part" or root.part is not None


def _answered_elsewhere(state: ResearchState, section: ReportSection) -> bool:
    """Whether the section stands for a later part of the question that the report answers
    with another part's evidence (`answer.not_covered` did not declare it)."""
    root = _planned(state, section.sub_question)
    if state.verification is None or root is None or root.part is None:
        return False  # before the claim check, nothing is answered yet
    return 0 < root.part < len(state.parts) and not _declared(state, root.part)


def declared_section(state: ResearchState, section: ReportSection) -> bool:
    """Whether the section stands for a part of the question the report declares not
    covered."""
    root = _planned(state, section.sub_question)
    return (
        root is not None
        and root.part is not None
        and 0 <= root.part < len(state.parts)
        and _declared(state, root.part)
    )


def _declared(state: ResearchState, i: int) -> bool:
    """Whether the report lists part `i` under "What the sources do not cover" (as
    `answer.not_covered` words it, or as asked)."""
    part = state.parts[i]
    return bool({part, standalone_part(part, state.question)} & set(state.not_covered))


def _planned(state: ResearchState, sq_id: str | None) -> SubQuestion | None:
    """The plan's sub-question `sq_id`, if the plan still has it."""
    plan = state.plan.sub_questions if state.plan else []
    return next((sq for sq in plan if sq.id == sq_id), None)


def _heading(state: ResearchState, section: ReportSection) -> str:
    """The section's sub-question's title (its heading, else its question); the title the
    section was written with when the plan no longer has it."""
    root = _planned(state, section.sub_question)
    return " ".join((root.title if root else section.title).split())
