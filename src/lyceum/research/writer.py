"""Write: one section per root sub-question, drafted from its notes only.

The writer model proposes sentences and the notes they use, but the citation of each
sentence is decided in code: the note whose claim and quote cover most of the sentence's
content words. Only cited sentences reach the report: a sentence no note covers is kept in
the state as a left-out statement (kind "hypothesis", status "dropped") so the run can say
how many there were, and is never printed. When the model's output is unusable, the section
is written extractively, one cited sentence per note; the notes a usable draft left out are
added the same way, since a small model drops evidence the relevance gate let through.

Every sentence must stand alone (`standalone.resolve`): an opening pronoun is replaced by
the subject its passage's title names, and a sentence that points back at text the reader
never sees is left out, unless it is a note's quote as written: then it is given the
sentence before it in its passage as its opening (`stand_alone`), once in the report. The
sentences are then ordered as a paragraph: grouped by passage, the group most on the
question first, each group in its passage's order.

The notes come from untrusted text, so a model may have been steered by them: a drafted
sentence that instructs the reader, or carries a link its cited passages do not carry, is
not written.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from lyceum.claimcheck.faithfulness import locate, split_sentences
from lyceum.errors import ModelError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams
from lyceum.research import prompts
from lyceum.research.citations import printable
from lyceum.research.matching import (
    evidence_text,
    normalize_space,
    overlap,
    quotable,
    restates,
    swaps_words,
    unsafe_statement,
)
from lyceum.research.named import names, side_opened
from lyceum.research.settings import ResearchSettings
from lyceum.research.standalone import dangling, resolve
from lyceum.research.state import Note, ReportSection, ResearchState, Sentence, SubQuestion
from lyceum.sources.untrusted import wrap_untrusted

MIN_SUPPORT = 0.5
MAX_NOTES_SHOWN = 8
MAX_CITATIONS = 2
MAX_JOINED_CHARS = 450
"""Longest quote a sentence before it may join (`stand_alone`)."""
MAX_JOINED_BACK = 2
"""Sentences before a quote that may be joined to it, the first of them standing alone."""
# A quote that points at two things ("Both use …", "Neither was …").
_OF_TWO = re.compile(r"(?:both|either|neither)\b", re.IGNORECASE)
# A quote that points at one thing ("It was one of the last …"), and a sentence whose
# subject is a plural common noun ("Fossils are found …", "The first settlers were …").
_OF_ONE = re.compile(r"(?:it|its|he|his|she|her)\b", re.IGNORECASE)
_PLURAL_SUBJECT = re.compile(
    r"(?:(?:the|these|those|some|many|most|several|such)\s+)?(?:[a-z-]+\s+){0,2}"
    r"[a-z-]+[^s\W]s\s+(?:are|were|have|had|do|did)\b"
)
# Sentences about the writing task itself ("the notes do not say ...") are not content.
_META = re.compile(
    r"\b(the notes?|these notes|hypothes[ie]s|the passage|the document)\b", re.IGNORECASE
)
_BRACKETS = re.compile(r"\s*\[(?:\d+(?:\s*,\s*\d+)*|[a-z]+\d*)\]")


class DraftSentence(BaseModel):
    text: str
    notes: list[int] = Field(default_factory=list, max_length=4)


class SectionOut(BaseModel):
    """What the writer model is asked for. Answers cached before the writer stopped asking
    for hypotheses still parse: their `hypotheses` key is ignored."""

    sentences: list[DraftSentence] = Field(max_length=8)


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


def clean_sentence(text: str, source: str = "") -> str:
    """`text` as a report sentence: without the citation marks a model writes ("[2]",
    "[bigbang]"), ending in one full stop. A bracket its `source` (the quote it comes from)
    holds is the page's own: an editor's insertion ("the 1911 Nobel Prize in Chemistry
    "[for] the discovery of …"") or a sound ("[h]"), kept as written."""

    def mark(m: re.Match[str]) -> str:
        return m.group(0) if source and m.group(0).strip() in source else ""

    text = normalize_space(_BRACKETS.sub(mark, text))
    # A sentence ending in a quotation closes inside it: '… of wireless telegraphy."' (a
    # trial report printed '… telegraphy.".').
    if text and text.rstrip("\"'”’)")[-1:] not in (".", "!", "?"):
        text += "."
    # A page's own typo, "… the first circumnavigation of the Earth.." (*Magellan expedition*,
    # printed so in a trial report); an ellipsis ("…", "...") stays.
    text = re.sub(r"(?<!\.)\.\.$", ".", text)
    # Where the collection's leads lost a parenthesis, a space stays before the comma:
    # "Kyoto, officially Kyoto City , is …" (153 times in the 10,000 leads; printed so in a
    # trial report).
    return re.sub(r"(?<=[^\W\d]) +(?=[,;:.](?:\s|$))", "", text)


def stand_alone(
    state: ResearchState, text: str, note: Note, *, with_before: bool = False
) -> str | None:
    """`text`, citing `note`, made to stand alone with its passage's title and the text
    before the note's quote (`standalone.resolve`), or None when it cannot.

    With `with_before` (for `text` that is the quote itself), a quote that points back at
    the sentence before it ("This tidal locking …", "These gases absorb …", "In doing so,
    the water goes through …") is given that sentence, made to stand alone in turn, as its
    opening: the reader sees what it points at. When that sentence points back as well,
    the two before it are given, the first standing alone (`MAX_JOINED_BACK`). On the dev
    runs such quotes held nuggets the reports had left out (the Moon's tidal forces, the
    water cycle's phases, what triggered World War I)."""
    passage = state.passages[note.passage_id]
    span = locate(note.quote, passage.text)
    alone = resolve(text, passage.title, passage.text[: span.start] if span else None)
    if alone is not None or not with_before or span is None:
        return alone
    before = split_sentences(passage.text[: span.start])
    # The sentence before, or, when that one points back too ("They were shot at close
    # range …" before "The incident was one of the key events that led to World War I"),
    # the two before: the opening must stand alone.
    for back in range(1, MAX_JOINED_BACK + 1):
        chain = before[-back:]
        if len(chain) < back or not all(quotable(s.text) for s in chain):
            return None
        opening = resolve(chain[0].text, passage.title, passage.text[: chain[0].start])
        if opening is None:
            continue
        previous = " ".join([opening, *(s.text for s in chain[1:])])
        if len(previous) + len(text) > MAX_JOINED_CHARS:
            return None
        if _OF_TWO.match(text) and not re.search(r"\b(?:and|or|nor)\b", previous):
            # A test report printed "The adaptive immune system provides … Both use
            # molecules and cells …": both were named two sentences back; one thing before
            # is not two.
            return None
        if _OF_ONE.match(text) and _PLURAL_SUBJECT.match(_uncapitalised(chain[-1].text)):
            # "Fossils are found in … It was one of the last known members of the
            # tyrannosaurids …" (dev, Tyrannosaurus): the plural before "It" is not what it
            # points at, which is further back.
            return None
        return f"{previous} {text}"
    return None


def _uncapitalised(text: str) -> str:
    return text[:1].lower() + text[1:]


def paragraph_order(
    state: ResearchState, question: str, sentences: Sequence[Sentence]
) -> list[Sentence]:
    """Cited sentences ordered to read as a paragraph: grouped by the passage of their first
    note, the groups of pages `question` names first (a trial report on Lesotho opened on
    *South Africa*'s "South Africa also encloses Lesotho.", above Lesotho's definition), then
    the group that says most about `question` (ties keep their order), each group in its
    passage's order, so that a sentence follows the one it continues."""
    groups: dict[str, list[Sentence]] = {}
    for s in sentences:
        groups.setdefault(state.note(s.notes[0]).passage_id, []).append(s)

    def position(s: Sentence) -> int:
        note = state.note(s.notes[0])
        span = locate(note.quote, state.passages[note.passage_id].text)
        return span.start if span else sys.maxsize

    def key(group: list[Sentence]) -> tuple[bool, float]:
        title = state.source_title(group[0])
        return (not names(question, title), -max(overlap(question, s.text) for s in group))

    ranked = sorted(groups.values(), key=key)
    return [s for group in ranked for s in sorted(group, key=position)]


@dataclass
class _Draft:
    """The sentences of one section as they are accepted, and what was left out."""

    state: ResearchState
    root: SubQuestion
    facts: list[Sentence] = field(default_factory=list)
    uncited: list[Sentence] = field(default_factory=list)
    not_alone: list[str] = field(default_factory=list)
    checked: bool = False
    """Sentences printed already have been checked: a new quote that would extend one as
    its opening is left out rather than change a checked text (`refill_section`)."""

    @property
    def said(self) -> list[str]:
        """What the section says so far."""
        return [s.text for s in self.facts]

    def unsafe(self, text: str, cited: Sequence[str]) -> bool:
        evidence = " ".join(
            evidence_text(self.state.passages[self.state.note(n).passage_id].text) for n in cited
        )
        reason = unsafe_statement(text, evidence)
        if reason:
            self.state.problem(
                f"writer {self.root.id}: left out a sentence that {reason}: {text[:80]!r}"
            )
        return reason is not None

    def add(self, text: str, cited: list[str], by: Literal["model", "code"] = "model") -> None:
        """Accept `text` as a cited sentence when it stands alone, says something new and
        is safe; an uncited `text` is recorded as left out."""
        if not cited:
            earlier = self.said + [s.text for s in self.uncited]
            if not restates(text, earlier) and not self.unsafe(text, cited):
                self.uncited.append(
                    Sentence(
                        text=text,
                        kind="hypothesis",
                        confidence="low",
                        status="dropped",
                        draft_text=text,
                    )
                )
            return
        note = self.state.note(cited[0])
        quoted = by == "code" and text == clean_sentence(note.quote, note.quote)
        alone = stand_alone(self.state, text, note, with_before=quoted)
        if alone is None:
            self.not_alone.append(dangling(text) or "does not stand alone")
            return
        # Nothing is said twice: not a sentence printed already, alone or as the opening
        # another quote was given; and a sentence printed as this one's opening becomes
        # this one, where it stands.
        printed = [*self._printed(), *self.facts]
        if any(alone.lower() in x.text.lower() for x in printed):
            return
        opening = next((x for x in printed if x.text.lower() in alone.lower()), None)
        if opening is not None:
            if not self.checked and not self.unsafe(alone, cited):
                opening.text = opening.draft_text = alone
                opening.notes = list(dict.fromkeys([*opening.notes, *cited]))[:MAX_CITATIONS]
            return
        if restates(alone, self.said) or self.unsafe(alone, cited):
            return
        self.facts.append(Sentence(text=alone, notes=cited, draft_text=alone, drafted_by=by))

    def _printed(self) -> list[Sentence]:
        """The cited sentences earlier sections print."""
        return [x for sec in self.state.sections for x in sec.sentences if printable(x)]

    def report_left_out(self) -> None:
        if self.uncited:
            self.state.problem(
                f"writer {self.root.id}: left out {len(self.uncited)} uncited statement(s) "
                "that no note supports"
            )
        if self.not_alone:
            self.state.problem(
                f"writer {self.root.id}: left out {len(self.not_alone)} sentence(s) that do "
                f"not stand alone (first: {self.not_alone[0]})"
            )


def _extract(draft: _Draft, notes: Sequence[Note]) -> None:
    for n in notes:
        draft.add(clean_sentence(n.claim, n.quote), [n.id], by="code")


def _section(draft: _Draft, limit: int, notes: Sequence[Note] = ()) -> ReportSection:
    """The section's sentences: the `limit` that cite the earliest of `notes` (the order
    they were offered in), ordered as a paragraph."""
    rank = {n.id: i for i, n in enumerate(notes)}
    kept = sorted(
        draft.facts, key=lambda s: min((rank.get(n, len(rank)) for n in s.notes), default=len(rank))
    )
    facts = paragraph_order(draft.state, draft.root.question, kept[:limit])
    draft.report_left_out()
    return ReportSection(
        title=draft.root.title, sub_question=draft.root.id, sentences=facts + draft.uncited
    )


def _offered(
    state: ResearchState,
    root: SubQuestion,
    used_quotes: set[str] | frozenset[str],
    rank: Mapping[str, float] | None,
) -> list[Note]:
    """The notes a section of `root` offers, one per quote, best first: not those whose quotes
    `used_quotes` holds; for an aspect section, only its page's; for a part comparing two
    things, the opening of each one's own page first."""
    notes = [n for n in state.notes_for(root.id) if n.quote not in used_quotes]
    if root.origin == "aspect":
        # An aspect section is what the document it is headed by says on the question; a
        # note from another page its search read would stand under the wrong title
        # ("Allosaurus" over "Well-known genera include Alamosaurus, Apatosaurus, ...").
        notes = [n for n in notes if state.passages[n.passage_id].title == root.heading]
    notes = list({n.quote: n for n in reversed(notes)}.values())[::-1]  # one note per quote
    # Mined notes are the sentences that answer the question's parts best
    # (`research/mining.py`): they are offered first and kept first.
    if rank:
        notes.sort(key=lambda n: (-rank.get(n.id, float("-inf")), n.extracted_by != "mined"))
    else:
        notes.sort(key=lambda n: n.extracted_by != "mined")
    if root.part is not None and 0 <= root.part < len(state.parts):
        # A comparison's section offers each side's definition first (`side_opened`).
        part = state.parts[root.part]
        notes.sort(key=lambda n: side_opened(state, n, part) is None)
    return notes


def refill_room(section: ReportSection, config: ResearchSettings) -> int:
    """How many drafts `refill_section` may add to `section`: the places under
    `max_sentences_per_section` its printed facts leave, none when the check dropped none."""
    facts = [s for s in section.sentences if s.kind == "fact" and s.notes]
    kept = sum(printable(s) for s in facts)
    return 0 if kept == len(facts) else max(0, config.max_sentences_per_section - kept)


def refill_section(
    state: ResearchState,
    section: ReportSection,
    root: SubQuestion,
    config: ResearchSettings,
    rank: Mapping[str, float] | None = None,
) -> int:
    """Offer the section's best notes it left out, as quoted, in the places of sentences the
    claim check dropped: up to `max_sentences_per_section` printed in all. Returns how many
    draft sentences were added; they are checked like every draft.

    A section keeps its `max_sentences_per_section` best notes before the check, and the
    check drops the off-topic ones among them: the dev report on the Big Bang dropped three
    of its six and printed three, while "… the universe has been expanding for 13.8 billion
    years" waited unused among its notes. A note whose sentence was checked once, kept or
    dropped, is not offered again."""
    room = refill_room(section, config)
    if not room:
        return 0
    kept = [s for s in section.sentences if s.kind == "fact" and s.notes and printable(s)]
    checked = {
        state.note(n).quote for sec in state.sections for x in sec.sentences for n in x.notes
    }
    notes = _offered(state, root, checked, rank)
    if not notes:
        return 0
    draft = _Draft(state, root, facts=list(kept), checked=True)
    for n in notes:
        if len(draft.facts) - len(kept) >= room:
            break
        draft.add(clean_sentence(n.claim, n.quote), [n.id], by="code")
    added = draft.facts[len(kept) :]
    section.sentences += added
    return len(added)


def reorder_section(state: ResearchState, section: ReportSection, root: SubQuestion) -> None:
    """The printed facts of `root`'s section ordered as a paragraph after a refill, as the
    section was first (`paragraph_order` on the sub-question), ahead of what it does not
    print."""
    shown = [s for s in section.sentences if s.kind == "fact" and s.notes and printable(s)]
    # By identity: two sentences may be equal field for field.
    rest = [s for s in section.sentences if not any(s is x for x in shown)]
    section.sentences = paragraph_order(state, root.question, shown) + rest


async def write_section(
    model: Model,
    state: ResearchState,
    root: SubQuestion,
    config: ResearchSettings,
    *,
    used_quotes: set[str] | frozenset[str] = frozenset(),
    rank: Mapping[str, float] | None = None,
) -> ReportSection:
    """Draft the section of `root`; notes whose quotes earlier sections cited are left out,
    and so are sentences inside what they print (`_Draft.add`).
    `rank` scores notes by id (`research.mining.rank_part_notes`): the best are offered and
    kept first; without it mined notes come first, then the rest in reading order."""
    notes = _offered(state, root, used_quotes, rank)
    limit = config.max_sentences_per_section
    draft = _Draft(state, root)
    if not notes:
        return _section(draft, limit)
    if config.draft_with_model is False:  # None (not resolved by the run): the model drafts
        _extract(draft, notes)
        return _section(draft, limit, notes)
    shown = notes[:MAX_NOTES_SHOWN]
    listing = wrap_untrusted(
        "\n".join(f"[{i}] {n.claim}" for i, n in enumerate(shown, start=1)),
        doc_id=f"notes-{root.id}",
    )
    messages = prompts.messages(
        "writer",
        question=state.question,
        title=root.title,
        notes=listing,
        n=min(limit, len(shown) + 1),
    )
    try:
        with call_context(caller="research.writer"):
            out = await generate_structured(
                model, messages, SectionOut, GenerateParams(max_tokens=600)
            )
    except ModelError as exc:
        state.problem(f"writer {root.id}: {type(exc).__name__}; wrote the section extractively")
        _extract(draft, notes)
        return _section(draft, limit, notes)

    for sentence in out.sentences:
        text = clean_sentence(sentence.text)
        if len(text.split()) < 4 or _META.search(text):
            continue
        suggested = [shown[i - 1] for i in sentence.notes if 1 <= i <= len(shown)]
        cited = cite(text, notes, suggested)
        swapped = next(
            (q for q in (state.note(n).quote for n in cited) if swaps_words(text, q)), None
        )
        # A light edit of a quote is where a small model swaps a subject: the quote says it.
        draft.add(
            clean_sentence(swapped, swapped) if swapped else text,
            cited,
            "code" if swapped else "model",
        )
    if not draft.facts:
        state.problem(f"writer {root.id}: no sentence traced to a note; wrote it extractively")
    # Notes the draft did not use are evidence that passed the relevance gate: a small
    # model drops them (or paraphrases them past tracing), so they go in as the source
    # words; the ones the draft restates are skipped by `add`.
    drafted = {n for s in draft.facts for n in s.notes}
    _extract(draft, [n for n in notes if n.id not in drafted])
    return _section(draft, limit, notes)
