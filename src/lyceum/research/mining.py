"""Mine: the sentences of the passages read that answer a part of the question best become
notes, whether or not a worker picked them.

A worker sees one passage for one sub-question and names at most `notes_per_passage` of its
sentences; the embedded model often names the passage's opening definition rather than the
sentence that answers. On the benchmark's runs nine nuggets in ten stood in a passage read
and only about half in a note (the Columbian exchange report read "diseases ... resulted in
an 80 to 95 percent reduction in the Indigenous population" for "what was it" and never
used it for "how did it affect the Indigenous peoples"). So once gathering is over, every
sentence of every passage read is scored against each part of the question, as the focus
cut scores it (its cosine to the question plus its part score, `Relevance.part_scores`),
and the best `mine_per_part` that no note quotes yet, that pass the relevance gate of the
part's section, and that score at least `min_mined_part_score` for the part become
notes of that section. No model call; the claim check, the standalone rules and the focus
cut apply to them as to every note.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lyceum.research.answer_type import carries, section_kind
from lyceum.research.named import in_named_context
from lyceum.research.relevance import Relevance, another_topic, gate_target
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Note, Passage, ResearchState, SubQuestion
from lyceum.research.workers import readable_sentences


def section_for(state: ResearchState, part: int) -> SubQuestion | None:
    """The root sub-question that answers part `part`: the one made from it, else the first
    root when the question has a single part."""
    roots = state.roots()
    for sq in roots:
        if sq.part == part:
            return sq
    return roots[0] if roots and len(state.parts) == 1 else None


def on_topic_sentences(state: ResearchState) -> Iterator[tuple[str, Passage]]:
    """Every readable sentence of the passages read, with its passage, in reading order;
    none of a page about another topic than the question's (`relevance.another_topic`)."""
    for passage in state.passages.values():
        if another_topic(passage.title or "", passage.text, state.question) is None:
            for sentence in readable_sentences(passage):
                yield sentence, passage


def _candidates(state: ResearchState) -> list[tuple[str, str]]:
    """(sentence, passage id) of every readable sentence of the passages read
    (`on_topic_sentences`), once each, in reading order, minus those a note already quotes."""
    quoted = {n.quote for n in state.notes}
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for sentence, passage in on_topic_sentences(state):
        if sentence not in quoted and sentence not in seen:
            seen.add(sentence)
            out.append((sentence, passage.id))
    return out


def in_context(state: ResearchState, quoted: Sequence[tuple[str, str]]) -> list[str]:
    """Each (sentence, passage id) headed by its page's title when the question names the
    page (`in_named_context`), as the focus reads it."""
    return [
        in_named_context(text, state.passages[pid].title, state.question) for text, pid in quoted
    ]


async def _part_scores(
    relevance: Relevance, question: str, scored: Sequence[str], part: int
) -> tuple[list[float], list[float]]:
    """Each text's score for part `part` (`Relevance.part_scores`), and that plus its cosine
    to the question: how mining ranks an answer."""
    to_question = await relevance.ascores(scored, question)
    answers = await relevance.part_scores(scored, question, part)
    return answers, [a + q for a, q in zip(answers, to_question, strict=True)]


async def answer_scores(
    state: ResearchState, relevance: Relevance, quoted: Sequence[tuple[str, str]], part: int
) -> list[float]:
    """How well each (sentence, passage id) answers part `part` of the question, as mining
    ranks them: its part score plus its cosine to the question, read headed by its page's
    title when the question names the page (`in_named_context`)."""
    return (await _part_scores(relevance, state.question, in_context(state, quoted), part))[1]


@dataclass(frozen=True)
class PartFit:
    """How texts fit the section of one part of the question: whether each passes the
    section's gate, its score for the part, and mining's rank of it (that score plus its
    cosine to the question)."""

    section: SubQuestion
    bears: list[bool]
    answers: list[float]
    ranks: list[float]

    def takes(self, i: int, config: ResearchSettings) -> bool:
        """Whether text `i` may become a note of the section: through its gate and at
        `min_mined_part_score` for the part."""
        return self.bears[i] and self.answers[i] >= config.min_mined_part_score


async def part_fit(
    state: ResearchState,
    relevance: Relevance,
    config: ResearchSettings,
    scored: Sequence[str],
    part: int,
) -> PartFit | None:
    """How the `scored` texts (read as `in_context` reads them) fit part `part`'s section;
    None when no section answers the part."""
    section = section_for(state, part)
    if section is None:
        return None
    target = gate_target(
        state.question, section, config.min_sentence_relevance, config.min_part_relevance
    )
    bears = await relevance.bears_on(scored, state.question, target)
    answers, ranks = await _part_scores(relevance, state.question, scored, part)
    return PartFit(section, bears, answers, ranks)


async def rank_part_notes(
    state: ResearchState, relevance: Relevance, root: SubQuestion
) -> dict[str, float]:
    """Scores of the notes of a part's section (`answer_scores`), by note id; empty for a
    section made from no part. A section keeps its best notes: in reading order, the dev
    report on the fall of the Western Roman Empire cut the worker's note "The Roman Empire
    lost the strengths … modern historians posit factors including …" for "Why did the
    Western Roman Empire fall?", read after six notes on what the empire was; mining had
    passed it over because a note quoted it already."""
    notes = state.notes_for(root.id)
    if root.part is None or not notes or not 0 <= root.part < len(state.parts):
        return {}
    scores = await answer_scores(
        state, relevance, [(n.quote, n.passage_id) for n in notes], root.part
    )
    return {n.id: score for n, score in zip(notes, scores, strict=True)}


async def mine_answers(
    state: ResearchState, relevance: Relevance, config: ResearchSettings
) -> list[Note]:
    """New notes (`extracted_by="mined"`), best first per part, in part order."""
    if config.mine_per_part == 0 or state.plan is None:
        return []
    candidates = _candidates(state)
    if not candidates:
        return []
    texts = [text for text, _ in candidates]
    # Scored as the report's focus reads them: headed by their page's title when the question
    # names the page ("Black Death: The disease was caused by …"; `in_named_context`).
    scored = in_context(state, candidates)
    taken: set[str] = set()
    mined: list[Note] = []
    for part in range(len(state.parts)):
        fit = await part_fit(state, relevance, config, scored, part)
        if fit is None:
            continue
        section = fit.section
        # A part that asks for a date, a size, a name … takes only sentences that state one,
        # as its claim check would: "How big was Tyrannosaurus?" had taken "Fossils … dated
        # to … 69 to 66 million years ago" (0.89 for it), which the check then dropped, and
        # "When did it live?" never had it.
        # A part whose section keeps its context (`section_kind`) takes any: held to the
        # kind, "How do antibiotics work?" left "… bacteria have developed resistance …" to
        # the declared resistance part in the dev report, which dropped it.
        kind = section_kind(state.parts[part])
        ranked = sorted(
            (
                i
                for i in range(len(texts))
                if fit.takes(i, config) and texts[i] not in taken and carries(texts[i], kind)
            ),
            key=lambda i: -fit.ranks[i],
        )
        count = sum(n.sub_question == section.id and n.extracted_by == "mined" for n in state.notes)
        for i in ranked[: config.mine_per_part]:
            taken.add(texts[i])
            count += 1
            mined.append(
                Note(
                    id=f"{section.id}.m{count}",
                    sub_question=section.id,
                    claim=texts[i],
                    quote=texts[i],
                    passage_id=candidates[i][1],
                    extracted_by="mined",
                )
            )
    return mined
