"""Verify: every cited sentence is checked against the passages it cites.

A sentence the scorer does not find supported is rewritten by the model from its passage
and checked again; failing that, it is replaced by its note's quote (the source's own
words) and checked again; failing that, it is dropped. Every final cited sentence has
passed the check; the counts say how many needed which remedy.

The check has two parts, and a rewrite or a quote faces both, as the draft did: the text
must bear on the question (`Relevance`, the gate the workers apply to evidence: a rewrite
must not drift to another topic), and the claim scorer must find it supported by a cited
passage, read with its page title so "It ..." can be matched to the subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from pydantic import BaseModel

from lyceum.errors import ModelError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams
from lyceum.research import prompts
from lyceum.research.answer_type import OF_THE_SUBJECT, carries, section_kind
from lyceum.research.focus_cut import drop_off_focus, of_the_asked_person
from lyceum.research.matching import (
    content_words,
    evidence_text,
    overlap,
    sentences,
    swaps_words,
    unsafe_statement,
)
from lyceum.research.named import defines_the_asked, judged_text, names, names_subject, unqualified
from lyceum.research.part_subject import place_of_there, standalone_part
from lyceum.research.parts import compared
from lyceum.research.progress import ProgressCallback, ProgressEvent
from lyceum.research.relevance import (
    Relevance,
    another_person,
    another_possessor,
    defines_another_subject,
    gate_target,
    namesake,
    reasons_of_another,
    shares_no_word,
    subtype_definition,
    supertype_definition,
)
from lyceum.research.state import ResearchState, Sentence, SubQuestion, VerificationStats
from lyceum.research.writer import MIN_SUPPORT, clean_sentence, stand_alone
from lyceum.sources.untrusted import wrap_untrusted


class ClaimScorer(Protocol):
    """What `lyceum.claimcheck.faithfulness.FaithfulnessScorer` offers the pipeline: per
    (claim, passage) a pydantic verdict with a `verdict` field ("supported", ...)."""

    async def score_many(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        titles: Sequence[str | None] | None = None,
    ) -> Sequence[Any]: ...


class RewriteOut(BaseModel):
    sentence: str


def verdict_label(v: Any) -> dict[str, Any]:
    """What a sentence keeps of a claim-check verdict."""
    data = v.model_dump(mode="json")
    keep = ("verdict", "probabilities", "quoted_span", "source")
    return {k: data[k] for k in keep if k in data}


# A compared side that names no thing of its own: "one chemical element" and "another".
_UNNAMED_SIDE = re.compile(r"^(?:one|another|other|others|it|they|them|each)\b", re.IGNORECASE)


# A number said of what stands just before it: "… the Soviet Union in 1991".
_SAID_OF = re.compile(r"\w\s+(?:in|on|at|of|from|since|until|by)\s+$", re.IGNORECASE)


def _opens_on(text: str, name: str) -> bool:
    """Whether `text` opens on `name` ("Lahore is …"; "The Lahore Fort …" and "Lahore's
    …" do not)."""
    # Not a possessive ("Pakistan's largest city is Karachi …" is about the city).
    opening = rf"(?:the\s+)?{re.escape(name)}\b(?!['’]|\s+(?-i:[A-Z]))"
    return re.match(opening, text.strip(), re.IGNORECASE) is not None


def _named_sides(read: str, sides: Sequence[str]) -> list[str]:
    """The compared things `read` names, each by its head word ("antibiotics" of "An
    antibiotic is …")."""
    words = content_words(read)
    heads = [(side, content_words(side.split()[-1])) for side in sides]
    return [side for side, head in heads if head and head <= words]


class Verifier:
    """Checks sentences of one run's report against their notes' passages."""

    def __init__(
        self,
        state: ResearchState,
        scorer: ClaimScorer,
        model: Model,
        progress: ProgressCallback,
        *,
        relevance: Relevance | None = None,
        min_relevance: float = 0.0,
        min_part_relevance: float = 0.0,
        min_report_relevance: float = 0.0,
        focus_margin: float | None = None,
        neighbour_floor: float | None = None,
    ) -> None:
        self.state = state
        self.scorer = scorer
        self.model = model
        self.progress = progress
        self.relevance = relevance
        self.min_relevance = min_relevance
        self.min_part_relevance = min_part_relevance
        self.min_report_relevance = min_report_relevance
        self.focus_margin = focus_margin
        self.neighbour_floor = neighbour_floor

    def _passages(self, sentence: Sentence) -> list[tuple[str, str | None]]:
        ids = dict.fromkeys(self.state.note(n).passage_id for n in sentence.notes)
        # Only the sentences that may be quoted count as evidence (and reach a judge model).
        found = [
            (evidence_text(self.state.passages[p].text), self.state.passages[p].title or None)
            for p in ids
        ]
        return [(t, title) for t, title in found if t.strip()]

    async def on_topic(self, text: str, sentence: Sentence) -> bool:
        """Whether `text` bears on the question and on its section's sub-question, is not
        about a namesake of a name in the question, shares a word with the question (or its
        page does: `shares_no_word`), does not define a kind of the subject the question
        does not ask about (`subtype_definition`) nor the kind the subject is one of
        (`supertype_definition`), nor another person than the one it asks
        about (`another_person`), and carries what its part asks for (an
        amount, a date, a name: `answer_type`), does not define another named thing than
        a "What is X?" first part asks about (`defines_another_subject`), and for a part
        asking why someone did something names them (`reasons_of_another`). What the asked
        person's own page says of them passes the relevance bar
        (`focus_cut.of_the_asked_person`)."""
        if namesake(text, self.state.question) is not None:
            return False
        if self.relevance is None or not sentence.notes:
            return True
        note = self.state.note(sentence.notes[0])
        title = self.state.passages[note.passage_id].title
        if (
            shares_no_word(text, title, self.state.question)
            or subtype_definition(text, title, self.state.question)
            or supertype_definition(text, title or "", self.state.question)
            or another_person(text, self.state.question, title or "") is not None
            or another_possessor(text, title or "", self.state.question) is not None
            or defines_another_subject(text, self.state.question)
        ):
            return False
        sq = self.state.sub_question(note.sub_question)
        target = gate_target(self.state.question, sq, self.min_relevance, self.min_part_relevance)
        # What a reader is shown must bear on the question more closely than the evidence
        # the workers may take: the gate's threshold lets neighbouring topics through.
        target = replace(target, threshold=max(target.threshold, self.min_report_relevance))
        # Read as mining and the focus cut read it (`judged_text`): headed by its page's
        # title when the question names the page. Bare, "The boundary of no escape is called
        # the event horizon" (on *Black hole*) fell under the bar and was dropped after
        # mining took it.
        read = judged_text(text, note.quote, title, self.state.question)
        [ok] = await self.relevance.bears_on([read], self.state.question, target)
        root = self.state.sub_question(sq.root)
        if not ok:
            ok = await self._on_a_side(read, root, target.threshold)
        if not ok:
            ok = await self._defines_the_asked(text, read, title, root, target.threshold)
        if not ok:
            ok = of_the_asked_person(self.state, sentence, text)
        if ok and self._names_no_side(read, title, root):
            ok = False
        if ok and root.part is not None and root.part < len(self.state.parts):
            # A section on "how much did it cost?" holds amounts of money, not dates.
            part = self.state.parts[root.part]
            kind = section_kind(part)
            ok = carries(text, kind) and (
                kind not in OF_THE_SUBJECT
                or self._of_the_subject(read, part, read == text, title or "")
            )
            # "What languages are spoken there?" after "What is the capital of Morocco?" is
            # answered by a sentence naming Morocco, not Tunisia's official language.
            place = place_of_there(part, self.state.question)
            ok = ok and (place is None or names(read, place))
            worded = standalone_part(part, self.state.question)
            ok = ok and not reasons_of_another(text, title or "", worded)
        return ok

    def _of_the_subject(self, read: str, part: str, bare: bool, title: str = "") -> bool:
        """Whether `read` (as the report's bar reads it: headed by its page's title when
        the question names the page; `bare` when it does not) names the question's subject,
        when `part` asks a date, a size, an amount or a place of it: a trial report answered
        "When did Tyrannosaurus live?" with "Allosaurus is a genus of theropod dinosaur that
        lived 155 to 143 million years ago", a date of something else. On a page the
        question does not name, the subject must come before the first number: a trial
        report on Tokyo's population printed Sapporo's, "As of July 31, 2023, the city has a
        population of 1,959,750, making it … the largest north of Tokyo"; and the sentence
        must not open on the page's own subject, whose number it gives: a trial report on
        Karachi's population printed "Lahore is the second-largest city in Pakistan, after
        Karachi, … with a population of over 14 million" (on *Lahore*)."""
        question = self.state.question
        if not names_subject(standalone_part(part, question), question):
            return True
        first = next((i for i, c in enumerate(read) if c.isdigit()), len(read))
        if bare and title and first < len(read) and _opens_on(read, unqualified(title)):
            # Unless the number is the subject's own, said of it in the same clause: "…
            # ended with the dissolution of the Soviet Union in 1991" (on *Cold War*), not
            # "… after Karachi, with a population of 14 million".
            clause = re.split(r"[,;:]", read[:first])[-1]
            return _SAID_OF.search(read[:first]) is not None and names_subject(clause, question)
        return names_subject(read[:first] if bare else read, question)

    def _names_no_side(self, read: str, title: str | None, root: SubQuestion) -> bool:
        """Whether `read`, in the section of a part that compares two named things
        (`compared`), names neither, on a page the question does not name: there it is about
        its page's subject. A trial report printed *Meteorite*'s "Meteorites vary greatly in
        size." under "How does a meteoroid differ from a meteor?". A page the question names
        is about its subject ("… 80 to 90 named tropical cyclones form each year", on
        *Tropical cyclone*, for the difference between a hurricane and a typhoon), and sides
        such as "one chemical element" and "another" name no thing."""
        part = root.part
        if part is None or not 0 <= part < len(self.state.parts):
            return False
        if not title or names(self.state.question, title):
            return False
        sides = compared(standalone_part(self.state.parts[part], self.state.question))
        if sides is None or any(_UNNAMED_SIDE.search(side) for side in sides):
            return False
        return not _named_sides(read, sides)

    async def _on_a_side(self, read: str, root: SubQuestion, threshold: float) -> bool:
        """Whether `read`, in the section of a part that compares two things (`compared`),
        names one of them and bears on it as closely as the report's bar asks of a sentence
        for the whole question: each side is half the question ("An antibiotic is the most
        important type of antibacterial agent …" scores 0.46 against "How do vaccines differ
        from antibiotics?", and that report printed vaccines only)."""
        assert self.relevance is not None
        part = root.part if root.part is not None else 0
        if not 0 <= part < len(self.state.parts):
            return False
        # Read with its pronoun resolved: "it" of "How does it differ from a star?" is named
        # by every sentence that says "it".
        sides = compared(standalone_part(self.state.parts[part], self.state.question))
        if sides is None:
            return False
        named = _named_sides(read, sides)
        if not named:
            return False
        cosines = await self.relevance.ascores([read], f"What is {named[0]}?")
        return bool(cosines[0] >= threshold)

    async def _defines_the_asked(
        self, text: str, read: str, title: str | None, root: SubQuestion, threshold: float
    ) -> bool:
        """Whether `text`, in the section of a part that asks only who or what something is
        ("Who was Vincent van Gogh?"), opens as the definition of that thing's own page
        (`defines_page`) and `read` bears on the part as closely as the report's bar asks
        of a sentence for the whole question. The other parts' words dilute a definition's
        score: a trial report on "Who was Vincent van Gogh, and why did he cut off his
        ear?" printed nothing, his page's opening scoring 0.48 against the question and
        0.64 against its first part."""
        assert self.relevance is not None
        part = root.part if root.part is not None else 0
        if not title or not 0 <= part < len(self.state.parts):
            return False
        if not defines_the_asked(text, title, self.state.parts[part]):
            return False
        cosines = await self.relevance.ascores([read], self.state.parts[part])
        return bool(cosines[0] >= threshold)

    async def check(self, text: str, sentence: Sentence) -> tuple[bool, dict[str, Any]]:
        """Supported if it is on topic and any cited passage supports `text`; the label is
        the best one."""
        if not await self.on_topic(text, sentence):
            return False, {"verdict": "off_topic"}
        passages = self._passages(sentence)
        verdicts = await self.scorer.score_many(
            [(text, p) for p, _ in passages], titles=[title for _, title in passages]
        )
        labels = [verdict_label(v) for v in verdicts]
        for label in labels:
            if label["verdict"] == "supported":
                return True, label
        return False, labels[0] if labels else {"verdict": "not_enough_info"}

    async def _rewrite(self, sentence: Sentence) -> str | None:
        passage = self.state.passages[self.state.note(sentence.notes[0]).passage_id]
        messages = prompts.messages(
            "rewrite",
            document=wrap_untrusted(
                evidence_text(passage.text), doc_id=passage.id, title=passage.title
            ),
            sentence=sentence.text,
        )
        try:
            with call_context(caller="research.rewrite"):
                out = await generate_structured(
                    self.model, messages, RewriteOut, GenerateParams(max_tokens=120)
                )
        except ModelError as exc:
            self.state.problem(f"rewrite: {type(exc).__name__}")
            return None
        text = clean_sentence(out.sentence)
        return text if len(text.split()) >= 4 else None

    async def repair(self, sentence: Sentence) -> None:
        """Rewrite, else quote, else drop; sets the sentence's status, text and verdict."""
        notes = [self.state.note(n) for n in sentence.notes]
        candidates: list[tuple[str, list[str]]] = []
        rewritten = await self._rewrite(sentence)
        passage = evidence_text(self.state.passages[notes[0].passage_id].text)
        # The rewrite was made from the first note's passage, so that passage is its evidence.
        # The rewrite read an untrusted passage: it must not carry orders or foreign links.
        # A rewrite that only swaps a word or two of the quote is left for the quote itself.
        # One with more sentences than the sentence is the passage copied, not a rewrite: a
        # trial report on the Minoan civilization printed its whole lead that way, opening
        # on the sentence the report had just printed.
        if (
            rewritten
            and overlap(rewritten, passage) >= MIN_SUPPORT
            and unsafe_statement(rewritten, passage) is None
            and not swaps_words(rewritten, notes[0].quote)
            and len(sentences(rewritten)) <= len(sentences(sentence.text))
        ):
            candidates.append((rewritten, [notes[0].id]))
        candidates.append((clean_sentence(notes[0].quote, notes[0].quote), [notes[0].id]))
        for raw, cited in candidates:
            # A rewrite or a quote may open on "It ..." again: it must stand alone too.
            text = stand_alone(self.state, raw, notes[0])
            if text is None:
                continue
            trial = sentence.model_copy(update={"notes": cited})
            ok, label = await self.check(text, trial)
            if ok:
                sentence.text, sentence.notes, sentence.verdict = text, cited, label
                sentence.status = "rewritten"
                return
        sentence.status = "dropped"

    async def keep_focus(self) -> int:
        """Drop the checked sentences whose focus (`Relevance.focus`) falls more than
        `focus_margin` below the best checked sentence's: on the dev runs' hand labels, most
        sentences that far from the report's best answer a neighbouring question; and those
        from a page the question does not name whose focus is under `neighbour_floor`.
        Returns how many were dropped."""
        if self.relevance is None or self.focus_margin is None:
            return 0
        return await drop_off_focus(
            self.state, self.relevance, self.focus_margin, neighbour_floor=self.neighbour_floor
        )

    async def run(self) -> VerificationStats:
        stats = VerificationStats()
        facts = [
            s for sec in self.state.sections for s in sec.sentences if s.kind == "fact" and s.notes
        ]
        stats.hypotheses = sum(
            s.kind == "hypothesis" for sec in self.state.sections for s in sec.sentences
        )
        for sentence in facts:
            if sentence.status == "draft":
                ok, label = await self.check(sentence.text, sentence)
                sentence.draft_verdict = label
                if ok:
                    sentence.status, sentence.verdict = "supported", label
                elif label.get("verdict") == "off_topic":
                    # A rewrite from the same passage cannot bring it onto the question.
                    sentence.status = "dropped"
                else:
                    await self.repair(sentence)
            stats.checked += 1
            stats.supported += sentence.status == "supported"
            stats.rewritten += sentence.status == "rewritten"
            stats.dropped += sentence.status == "dropped"
            self.progress(
                ProgressEvent(
                    kind="verdict",
                    message=f"{sentence.status}: {sentence.text[:60]}",
                    data={"status": sentence.status, **stats.model_dump()},
                )
            )
        off_focus = await self.keep_focus()
        stats.recount(facts)
        if off_focus:
            self.progress(
                ProgressEvent(
                    kind="verdict",
                    message=f"dropped {off_focus} sentence(s) far from the question's focus",
                    data={"status": "dropped", **stats.model_dump()},
                )
            )
        return stats
