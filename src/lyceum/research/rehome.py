"""A note its part cannot use moves to the part it answers.

A worker reads for one sub-question and notes the sentences that bear on it, but a sentence
can bear on the sub-question without being the kind of statement its part asks for. The
dev report on "Who invented the printing press, and how did it change the spread of
knowledge in Europe?" noted "The invention and global spread of the printing press
transformed book production and communication during the early modern period" while
reading for "Who invented the printing press?". A section on a "who" part prints names
(`answer_type`), so the claim check dropped it as off the question; and mining, which takes
no sentence a note already quotes, never offered it to the second part, which it answers
better than any sentence the report printed.

So, before mining, a note of a part that asks for an amount, a date or a name
(`answer_type.asked_type`) and does not carry one moves to the section of another part
whose gate it passes, for which it scores at least `min_mined_part_score` (mining's bar)
and whose asked kind it carries, as mining and the claim check would take it there; of
several, the one mining's score ranks first. A note no other part takes stays where it is,
and the claim check drops it as before. No model call.

A note of a why-part that states no cause (`answer_type.states_reason`) moves the same way,
but only to a part that asks for a kind of statement it carries: a trial report on "How
are diamonds formed, and why are they so hard?" had noted "Graphite converts to diamond
under extremely high pressure and temperature" for the why-part, and dropped it when that
part was declared. Moved to an untyped part, such a note makes that part's own evidence,
held to the higher bar `min_part_answer` rather than `min_part_answer_elsewhere`: the dev
report on the French Revolution then declared "What ideas did it leave behind?", which
"Many of the French Revolution's ideas are considered fundamental principles of liberal
democracy …" had answered from another part's section.

A note of a section made from no part (an aspect the plan found in the titles retrieved)
that quotes a page the question names moves the same way to a part that asks for a kind of
statement or a cause, when it is one: a trial report on "What was the Spanish flu, and how
many people did it kill?" noted "Estimates of deaths range from 17 million to 50 million
…" from *Spanish flu* under an aspect headed "Samora Machel", whose section the claim check
then dropped as off the question; mining takes no sentence a note quotes, so the second part
was declared not covered.
"""

from __future__ import annotations

from lyceum.research.answer_type import (
    asked_type,
    asks_reason,
    carries,
    section_kind,
    states_reason,
)
from lyceum.research.mining import in_context, part_fit, section_for
from lyceum.research.named import names
from lyceum.research.relevance import Relevance
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Note, ResearchState, SubQuestion


def _fits(quote: str, part: str) -> bool:
    """Whether `quote` is the kind of statement `part` asks for: an amount, a date, a name
    (`answer_type`), or a cause when it asks why."""
    return carries(quote, asked_type(part)) and (
        not asks_reason(part) or states_reason(quote, part)
    )


def _stuck(state: ResearchState) -> list[tuple[Note, int | None]]:
    """(note, its part) for the notes of a typed or why-part's section that are not of its
    kind, and (note, None) for the notes of a section made from no part that quote a page
    the question names."""
    out: list[tuple[Note, int | None]] = []
    for part, asked in enumerate(state.parts):
        root = section_for(state, part)
        # A section that keeps its context (`section_kind`: how vaccines work, what a
        # vaccine is) can use every note, so none is stuck; moving them changed the dev
        # reports on insulin and the water cycle without adding a nugget.
        if root is None or (section_kind(asked) is None and not asks_reason(asked)):
            continue
        out += [(n, part) for n in state.notes_for(root.id) if not _fits(n.quote, asked)]
    for root in state.roots():
        if root.part is None:
            out += [(n, None) for n in state.notes_for(root.id) if _on_named_page(state, n)]
    return out


def _may_move(state: ResearchState, own: int | None, part: int) -> bool:
    """Whether a stuck note of part `own` (None: of an aspect's section) may move to `part`.
    An aspect's note goes only where it is the kind of statement, or the cause, asked for;
    a why-part's note only where it carries the kind asked for (see the module): moved to an
    untyped part it raised that part's bar."""
    target = state.parts[part]
    if own is None:
        return asked_type(target) is not None or asks_reason(target)
    return asked_type(target) is not None or asked_type(state.parts[own]) is not None


def _on_named_page(state: ResearchState, note: Note) -> bool:
    return names(state.question, state.passages[note.passage_id].title or "")


async def rehome_notes(
    state: ResearchState, relevance: Relevance, config: ResearchSettings
) -> list[tuple[str, str]]:
    """Move the notes their part cannot use (see the module) to the section of the part they
    answer; returns (note id, new sub-question id) per note moved."""
    if state.plan is None or len(state.parts) < 2:
        return []
    stuck = _stuck(state)
    if not stuck:
        return []
    scored = in_context(state, [(n.quote, n.passage_id) for n, _ in stuck])
    best: list[tuple[float, SubQuestion] | None] = [None] * len(stuck)
    for part in range(len(state.parts)):
        fit = await part_fit(state, relevance, config, scored, part)
        if fit is None:
            continue
        for i, (note, own) in enumerate(stuck):
            fits = (
                part != own
                and fit.takes(i, config)
                and _fits(note.quote, state.parts[part])
                and _may_move(state, own, part)
            )
            if fits and (best[i] is None or fit.ranks[i] > best[i][0]):
                best[i] = (fit.ranks[i], fit.section)
    moves: list[tuple[str, str]] = []
    for (note, _), chosen in zip(stuck, best, strict=True):
        if chosen is not None:
            note.sub_question = chosen[1].id
            moves.append((note.id, chosen[1].id))
    return moves
