"""Write: one section per root sub-question, drafted from its notes only.

The writer model proposes sentences and the notes they use, but the citation of each
sentence is decided in code: the note whose claim and quote cover most of the sentence's
content words. A sentence no note covers becomes a hypothesis with low confidence; the
model's own hypotheses keep the confidence it states. When the model's output is unusable,
the section is written extractively, one cited sentence per note.

The notes come from untrusted text, so a model may have been steered by them: a drafted
sentence or hypothesis that instructs the reader, or carries a link its cited passages do
not carry (a hypothesis cites nothing, so it may carry no link at all), is not written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from lyceum.errors import ModelError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams
from lyceum.research import prompts
from lyceum.research.matching import (
    evidence_text,
    normalize_space,
    overlap,
    restates,
    unsafe_statement,
)
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Note, ReportSection, ResearchState, Sentence, SubQuestion
from lyceum.sources.untrusted import wrap_untrusted

MIN_SUPPORT = 0.5
MAX_NOTES_SHOWN = 8
MAX_CITATIONS = 2
# Sentences about the writing task itself ("the notes do not say ...") are not content.
_META = re.compile(
    r"\b(the notes?|these notes|hypothes[ie]s|the passage|the document)\b", re.IGNORECASE
)
_BRACKETS = re.compile(r"\s*\[(?:\d+(?:\s*,\s*\d+)*|[a-z]+\d*)\]")


class DraftSentence(BaseModel):
    text: str
    notes: list[int] = Field(default_factory=list, max_length=4)


class DraftHypothesis(BaseModel):
    text: str
    confidence: Literal["high", "medium", "low"]


class SectionOut(BaseModel):
    """What the writer model is asked for."""

    sentences: list[DraftSentence] = Field(max_length=8)
    hypotheses: list[DraftHypothesis] = Field(default_factory=list, max_length=2)


def cite(text: str, notes: Sequence[Note], suggested: Sequence[Note] = ()) -> list[str]:
    """Ids of the notes that support `text` best (at most `MAX_CITATIONS`), or []."""
    scored = sorted(
        ((overlap(text, f"{n.claim} {n.quote}"), i, n) for i, n in enumerate(notes)),
        key=lambda t: (-t[0], t[1]),
    )
    if not scored or scored[0][0] < MIN_SUPPORT:
        return []
    best = scored[0][0]
    chosen = [n for s, _, n in scored if s >= max(MIN_SUPPORT, best - 0.1)]
    for n in suggested:
        if n not in chosen and overlap(text, f"{n.claim} {n.quote}") >= MIN_SUPPORT:
            chosen.append(n)
    return [n.id for n in chosen[:MAX_CITATIONS]]


def clean_sentence(text: str) -> str:
    text = normalize_space(_BRACKETS.sub("", text))
    if text and text[-1] not in ".!?":
        text += "."
    return text


def extractive_section(root: SubQuestion, notes: list[Note], limit: int) -> ReportSection:
    return ReportSection(
        title=root.question,
        sub_question=root.id,
        sentences=[
            Sentence(text=clean_sentence(n.claim), notes=[n.id], draft_text=clean_sentence(n.claim))
            for n in notes[:limit]
        ],
    )


async def write_section(
    model: Model,
    state: ResearchState,
    root: SubQuestion,
    config: ResearchSettings,
    *,
    used_quotes: set[str] | frozenset[str] = frozenset(),
) -> ReportSection:
    """Draft the section of `root`; notes whose quotes earlier sections cited are left out."""
    notes = [n for n in state.notes_for(root.id) if n.quote not in used_quotes]
    notes = list({n.quote: n for n in reversed(notes)}.values())[::-1]  # one note per quote
    if not notes:
        return ReportSection(title=root.question, sub_question=root.id)
    shown = notes[:MAX_NOTES_SHOWN]
    listing = wrap_untrusted(
        "\n".join(f"[{i}] {n.claim}" for i, n in enumerate(shown, start=1)),
        doc_id=f"notes-{root.id}",
    )
    messages = prompts.messages(
        "writer",
        question=state.question,
        title=root.question,
        notes=listing,
        n=min(config.max_sentences_per_section, len(shown) + 1),
    )
    try:
        with call_context(caller="research.writer"):
            out = await generate_structured(
                model, messages, SectionOut, GenerateParams(max_tokens=600)
            )
    except ModelError as exc:
        state.problem(f"writer {root.id}: {type(exc).__name__}; wrote the section extractively")
        return extractive_section(root, notes, config.max_sentences_per_section)

    section = ReportSection(title=root.question, sub_question=root.id)
    seen: list[str] = []

    def refused(text: str, cited: list[str]) -> bool:
        evidence = " ".join(
            evidence_text(state.passages[state.note(n).passage_id].text) for n in cited
        )
        reason = unsafe_statement(text, evidence)
        if reason:
            state.problem(f"writer {root.id}: left out a sentence that {reason}: {text[:80]!r}")
        return reason is not None

    for draft in out.sentences:
        text = clean_sentence(draft.text)
        if len(text.split()) < 4 or restates(text, seen) or _META.search(text):
            continue
        seen.append(text)
        suggested = [shown[i - 1] for i in draft.notes if 1 <= i <= len(shown)]
        cited = cite(text, notes, suggested)
        if refused(text, cited):
            continue
        if cited:
            section.sentences.append(Sentence(text=text, notes=cited, draft_text=text))
        else:
            section.sentences.append(
                Sentence(text=text, kind="hypothesis", confidence="low", draft_text=text)
            )
    for hyp in out.hypotheses[:1]:
        text = clean_sentence(hyp.text)
        if len(text.split()) >= 4 and not restates(text, seen) and not _META.search(text):
            seen.append(text)
            # A "hypothesis" the notes do cover is a cited claim; the check will test it.
            cited = cite(text, notes)
            if refused(text, cited):
                continue
            section.sentences.append(
                Sentence(text=text, notes=cited, draft_text=text)
                if cited
                else Sentence(
                    text=text, kind="hypothesis", confidence=hyp.confidence, draft_text=text
                )
            )
    if not any(s.kind == "fact" for s in section.sentences):
        state.problem(f"writer {root.id}: no sentence traced to a note; wrote it extractively")
        extractive = extractive_section(root, notes, config.max_sentences_per_section)
        section.sentences = (
            extractive.sentences + [s for s in section.sentences if s.kind == "hypothesis"][:1]
        )
    section.sentences = section.sentences[: config.max_sentences_per_section]
    return section
