"""What the sources say of the question's subject, for a report that answers none of it.

Trial reports on "How does tuberculosis spread, and how is it treated?" and "What is uranium
used for, and where is it mined?" printed nothing but "The sources searched do not answer
this question" and the parts not covered: the collection's leads say neither, and every
sentence found was rightly dropped. Honest, but a reader learned nothing, not even what
the collection holds on the subject. Such a report now gives the opening of the page on the
question's subject ("Tuberculosis … is a contagious disease usually caused by Mycobacterium
tuberculosis (MTB) bacteria."), said to be background and not an answer, cited and checked
like any other sentence.
"""

from __future__ import annotations

import re

from lyceum.research.citations import cited_sentences
from lyceum.research.matching import evidence_text, sentences
from lyceum.research.named import names, unqualified
from lyceum.research.part_subject import subject
from lyceum.research.relevance import subject_pages
from lyceum.research.state import Note, Passage, ResearchState, Sentence
from lyceum.research.verify import ClaimScorer, verdict_label

BACKGROUND_INTRO = "What they say of {subject}:"
"""Opens the background paragraph, after the statement that the question is not answered."""


def background_intro(question: str) -> str:
    about = subject(question)
    return BACKGROUND_INTRO.format(subject=about.noun if about else "its subject")


def subject_opening(state: ResearchState) -> tuple[Passage, str] | None:
    """The first page read whose title the question's subject names (`subject_pages`:
    *Tuberculosis*, not *Tuberculosis vaccines*), with its opening sentence, when that
    sentence opens on the page's name ("Uranium is a chemical element; …", "Tuberculosis,
    also known … as consumption, is …": it names what it is about, so it stands alone)."""
    passages = list(state.passages.values())
    found = subject_pages(state.question, [(p.title, p.text) for p in passages])
    for title, _ in found:
        page = next(p for p in passages if p.title == title)
        opening = sentences(evidence_text(page.text))[:1]
        if opening and _opens_on(opening[0], unqualified(title)):
            return page, opening[0]
    return None


_IN_A_FIELD = re.compile(r"^In (?:[a-z]+ ){0,2}[a-z]+,\s+")


def _opens_on(text: str, name: str) -> bool:
    """Whether `text` opens on `name` (after an article, or in the plural: "A yeast is …",
    "Chameleons are …", which trial reports left out), or on its first word and names its
    last later, as a person's page does ("Galileo di Vincenzo Bonaiuti de' Galilei, commonly
    referred to as Galileo Galilei …", "Amelia Mary Earhart was …")."""
    # A field first: "In physics, gravity, also known as gravitation, is …" (a trial report
    # on "Who discovered gravity?" gave no background).
    text = _IN_A_FIELD.sub("", text, count=1)
    if re.match(rf"(?:(?:the|an?)\s+)?{re.escape(name)}(?:e?s)?\b", text, re.IGNORECASE):
        return True
    first, last = name.split()[0], name.split()[-1]
    return (
        len(name.split()) > 1
        and text.split()[0] == first
        and (names(text, name) or last in text.split(",")[0].split())
    )


def _note(state: ResearchState, page: Passage, text: str) -> Note:
    """A note of the run that quotes `text` from `page`, or a new one under the first
    sub-question (notes hang on a sub-question; this one answers none)."""
    for note in state.notes:
        if note.passage_id == page.id and note.quote == text:
            return note
    assert state.plan is not None and state.plan.sub_questions
    root = state.plan.sub_questions[0].id
    note = Note(
        id=f"{root}.b1",
        sub_question=root,
        claim=text,
        quote=text,
        passage_id=page.id,
        extracted_by="background",
    )
    state.notes.append(note)
    return note


async def subject_background(state: ResearchState, scorer: ClaimScorer) -> list[Sentence]:
    """The subject page's opening as a checked sentence, or nothing: no page on the
    subject was read, its opening is no definition, a section already prints it, or the
    claim check does not support it."""
    found = subject_opening(state)
    if found is None:
        return []
    page, text = found
    if text.lower() in {s.text.lower() for s in cited_sentences(state)}:
        return []
    (verdict,) = await scorer.score_many([(text, evidence_text(page.text))], titles=[page.title])
    label = verdict_label(verdict)
    if label.get("verdict") != "supported":
        return []
    note = _note(state, page, text)
    return [
        Sentence(
            text=text,
            notes=[note.id],
            status="supported",
            draft_text=text,
            verdict=label,
            draft_verdict=label,
            drafted_by="code",
        )
    ]
