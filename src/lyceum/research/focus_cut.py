"""The report's focus cut: a checked sentence far from the report's best is left out.

A sentence's focus is `Relevance.focus` of it as the report reads it (`named.focus_texts`).
Absolute scores do not separate an answer from a neighbouring subject; the distance to the
report's most focused sentence does (`benchmarks/report_focus.py`). The verifier cuts every
checked sentence at `report_focus_margin`, and the report's body, past the short answer, is
cut again at the closer `report_body_margin` (`answer.keep_body_focus`).

A sentence from a page the question does not name (`named.names`: "Steam turbine" for a
question on the steam engine, "Coral reef fish" for one on coral reefs) is on a neighbouring
subject more often than not: on the dev hand labels 66 of 169 such sentences were on topic,
against 121 of 173 from pages the question names. So it must also reach an absolute focus,
`min_neighbour_focus`, chosen on those labels (`benchmarks/report_focus.py`). Except a
sentence that states a cause of the question's subject when the question asks why or what
caused it (`states_asked_reason`): "The Cretaceous–Paleogene extinction event caused the
extinction of all the non-avian dinosaurs …" answers "What killed the dinosaurs?" from a page
the question does not name, at a focus of 1.07. On the hand labels all 13 such sentences
(both splits) were on topic. Nor a sentence that states, of the question's subject, what a
part asks for by its kind (`states_asked_kind`: a work for "What did he paint?"). A page
the question names only as the head of a longer name (*Galaxy* of "the Andromeda Galaxy")
counts as one it does not name.
"""

from __future__ import annotations

from collections.abc import Collection

from lyceum.research.answer_type import (
    ASKED_BY_KIND,
    asked_type,
    asks_reason,
    carries,
    names_the_work,
    states_reason,
)
from lyceum.research.named import focus_texts, heads_a_compound, names, names_subject
from lyceum.research.part_subject import standalone_part
from lyceum.research.parts import defines_a_member, question_parts
from lyceum.research.relevance import Relevance, on_the_asked_persons_page
from lyceum.research.state import ResearchState, Sentence

NEIGHBOUR_REASON = "from a page the question does not name, and not squarely on the question"


async def drop_off_focus(
    state: ResearchState,
    relevance: Relevance,
    margin: float,
    *,
    keep: Collection[str] = (),
    reason: str | None = None,
    neighbour_floor: float | None = None,
) -> int:
    """Drop the checked sentences whose focus falls more than `margin` below the best
    checked sentence's, or, from a page the question does not name, below
    `neighbour_floor`; except those whose lower-cased text is in `keep`. Each gets an
    "off_topic" verdict with its focus, the best focus and `reason` if given. Returns how
    many were dropped (the caller recounts the verification)."""
    checked = [s for sec in state.sections for s in sec.sentences if s.checked]
    if not checked:
        return 0
    scores = await relevance.focus(focus_texts(state, checked), state.question)
    best = max(scores)
    dropped = 0
    for sentence, score in zip(checked, scores, strict=True):
        if sentence.text.lower() in keep or of_the_asked_person(state, sentence):
            continue
        far = score < best - margin
        neighbour = (
            not far
            and neighbour_floor is not None
            and score < neighbour_floor
            and not _named(state, sentence)
            and not states_asked_reason(sentence.text, state.question)
            and not states_asked_kind(sentence.text, state.question)
            and not states_asked_instance(sentence.text, state.question)
        )
        if not (far or neighbour):
            continue
        why = NEIGHBOUR_REASON if neighbour else reason
        sentence.status = "dropped"
        sentence.verdict = {
            "verdict": "off_topic",
            "focus": round(score, 3),
            "best_focus": round(best, 3),
            **({"reason": why} if why else {}),
        }
        dropped += 1
    return dropped


def of_the_asked_person(state: ResearchState, sentence: Sentence, text: str | None = None) -> bool:
    """Whether the sentence (worded as `text`, if given), in the section of a part asking who
    someone was, is what that person's own page says of them
    (`relevance.on_the_asked_persons_page`): a trial report on Lucille Ball kept only her
    page's opening, her awards falling 0.6 under it, and 0.37 against the question under
    the report's relevance bar (`verify.Verifier.on_topic`)."""
    if not sentence.notes:
        return False
    note = state.note(sentence.notes[0])
    root = state.sub_question(state.sub_question(note.sub_question).root)
    if root.part is None or not 0 <= root.part < len(state.parts):
        return False
    passage = state.passages[note.passage_id]
    return on_the_asked_persons_page(
        sentence.text if text is None else text, passage.title, state.parts[root.part], passage.text
    )


def _named(state: ResearchState, sentence: Sentence) -> bool:
    """Whether the question names the page the sentence's first note quotes, other than as
    the head of a longer name (`named.heads_a_compound`: *Galaxy* for the Andromeda Galaxy
    is a neighbouring page)."""
    title = state.source_title(sentence)
    return names(state.question, title) and not heads_a_compound(state.question, title)


def states_asked_reason(text: str, question: str) -> bool:
    """Whether `text` states a cause (`answer_type.states_reason`) and names the question's
    subject (`part_subject.subject`), the question asking why or what caused something."""
    why = [
        worded
        for worded in (standalone_part(p, question) for p in question_parts(question))
        if asks_reason(worded)
    ]
    return any(states_reason(text, part) for part in why) and names_subject(text, question)


def states_asked_kind(text: str, question: str) -> bool:
    """Whether `text` names the question's subject and states what one of its parts asks
    for by its kind (`answer_type.ASKED_BY_KIND`: the sides of a conflict, a manner of
    death, a work, a field of study): "The Last Supper is a mural painting by … Leonardo da
    Vinci" answers "What did Leonardo da Vinci paint?" from a page the question does not
    name, and a trial report dropped it under the neighbour floor and declared the part."""
    for p in question_parts(question):
        part = standalone_part(p, question)
        kind = asked_type(part)
        if kind in ASKED_BY_KIND and carries(text, kind) and names_the_work(text, part):
            return names_subject(text, question)
    return False


def states_asked_instance(text: str, question: str) -> bool:
    """Whether `text` names the question's subject and opens by saying that something named
    is one of what a "which" part asks for (`parts.defines_a_member`): "The Hoover Dam is a
    concrete arch-gravity dam in the Black Canyon of the Colorado River, …" answers "Which
    dams control it?" after "How was the Colorado River used …", from a page the question
    does not name (a trial report dropped it under the neighbour floor and declared the
    part)."""
    return names_subject(text, question) and any(
        defines_a_member(text, standalone_part(part, question)) for part in question_parts(question)
    )
