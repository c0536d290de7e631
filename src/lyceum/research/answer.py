"""The report's opening: a short answer to the question as asked, and the parts of the
question the sources searched do not answer.

Both are chosen from what the claim check kept, never written anew: the short answer is
3-5 checked sentences, chosen as the one that bears most on each part of the question and
then the most focused of the rest, and read as a paragraph, part by part; a part
whose sub-question ended with no checked sentence is declared not covered, so a reader
sees the gap instead of an answer that silently skips it.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from lyceum.research.answer_type import (
    ASKED_BY_KIND,
    SECTION_KEEPS_CONTEXT,
    AnswerType,
    asked_type,
    asks_reason,
    asks_standing,
    asks_the_effect_on,
    asks_what_was_found,
    carries,
    counts_what_is_asked,
    effect_on_anyone,
    names_the_action,
    names_the_affected,
    names_the_originator,
    names_the_relation,
    names_the_superlative,
    names_the_work,
    names_the_year,
    names_what_is_located,
    names_what_it_matters_to,
    section_kind,
    states_a_measure,
    states_reason,
)
from lyceum.research.citations import cited_sentences, declared_section, printable
from lyceum.research.focus_cut import drop_off_focus
from lyceum.research.matching import content_words, restates, sentences
from lyceum.research.named import defines_the_asked, focus_texts, names, names_subject, side_opened
from lyceum.research.part_subject import (
    PRONOUN,
    is_participle,
    standalone_part,
    subject,
)
from lyceum.research.parts import (
    asks_what_it_names,
    defines_a_member,
    defines_another,
    defines_as_a_kind_of,
    distinctive_names,
    distinctive_words,
    names_a_form,
    names_a_kind,
    names_members,
    names_the_predicate,
)
from lyceum.research.relevance import Relevance, defines_another_subject
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import ReportSection, ResearchState, Sentence
from lyceum.research.writer import paragraph_order

DECLARED_REASON = "its part is declared not covered"
"""Why `drop_unanswering` dropped a sentence: it was printed when its part was judged."""
SHORT_ANSWER_MAX = 5
SHORT_ANSWER_MIN = 3
SHORT_ANSWER_MARGIN = 0.25
"""Past its first `SHORT_ANSWER_MIN` sentences the short answer takes only sentences whose
focus is within this of the best one's. Chosen on the 132 dev hand labels of the time,
where 93 % of the sentences that close were on topic; on today's 289 dev labels 75 %, and on
the test labels, which did not choose it, 80 %, against 54 % and 59 % for all labelled
sentences (benchmarks/results/report_focus.json, margin 0.25)."""


async def settle_answer(
    state: ResearchState, relevance: Relevance, config: ResearchSettings
) -> None:
    """Once the claim check is done: the short answer, the body's focus, each section fitted
    to its part, and the parts no checked sentence answers (`state.not_covered`), judged in
    turn, each on what the one before left."""
    elsewhere = config.min_part_answer_elsewhere

    async def uncovered(declared: Collection[str] = ()) -> list[str]:
        return await not_covered(
            state, relevance, config.min_part_answer, elsewhere, declared=declared
        )

    state.short_answer = await short_answer(state, relevance, min_elsewhere=elsewhere)
    answers = give_bare_parts_their_answers(state)
    await keep_body_focus(state, relevance, config.report_body_margin, keep=answers)
    await fit_sections(state, relevance, config.min_part_answer)
    state.not_covered = await uncovered()
    await move_answers_of_other_parts(state, relevance, config.min_part_answer)
    left_out: set[str] = set()
    if answers_declared(state):
        left_out = declared_roots(state)
        state.short_answer = await short_answer(
            state, relevance, left_out=left_out, min_elsewhere=elsewhere
        )
    if drop_unanswering(state):
        # A sentence dropped from a declared part may have answered another part.
        state.not_covered = await uncovered(state.not_covered)
    # Printed, it holds 3-5 sentences as the reader counts them, chosen as the short answer
    # counted in quotes was (not from parts declared only since: their sentences stay where
    # that one had them); the quotes it leaves out stand in their sections.
    state.short_answer = await short_answer(
        state, relevance, left_out=left_out, min_elsewhere=elsewhere, by_sentence=True
    )
    # What only the short answer counted in quotes spared, and the final one left out, now
    # stands under its part's heading and must fit it: the dev report on World War I
    # printed the war's definition and death toll under "What triggered World War I?".
    if (await fit_sections(state, relevance, config.min_part_answer))[1]:
        state.not_covered = await uncovered(state.not_covered)
    mark_answers_in_the_body(state)


def mark_answers_in_the_body(state: ResearchState) -> None:
    """Mark the section of each answered part that prints nothing of its own, when no
    short-answer sentence is the kind of statement that answers its part (`could_answer`)
    and a sentence printed under another part is: its heading then points there, not to
    the short answer. A trial report said "Its evidence is summarised in the short answer
    above" under "Why is a biopsy done?", whose answer, "Biopsies are most commonly
    performed for insight into …", stood under "What is a biopsy?"."""
    in_short = _short_texts(state)
    for i, section in _part_sections(state).items():
        section.answered_in_body = False
        if declared_section(state, section):
            continue
        if any(_printed_fact(s) and s.text.lower() not in in_short for s in section.sentences):
            continue

        def answers(sentence: Sentence, part: int = i) -> bool:
            title = state.source_title(sentence)
            return could_answer(sentence.text, state.parts, part, title=title)

        if any(answers(s) for s in state.short_answer):
            continue
        section.answered_in_body = any(
            answers(s)
            for other in state.sections
            if other is not section
            for s in other.sentences
            if _printed_fact(s) and s.text.lower() not in in_short
        )


def _short_texts(state: ResearchState) -> set[str]:
    """The lower-cased texts of the short answer's sentences."""
    return {s.text.lower() for s in state.short_answer}


def _checked(state: ResearchState) -> list[tuple[str, Sentence]]:
    """(root sub-question id, sentence) for every sentence that passed the claim check."""
    return [
        (sec.sub_question or "", s) for sec in state.sections for s in sec.sentences if s.checked
    ]


async def short_answer(
    state: ResearchState,
    relevance: Relevance,
    limit: int = SHORT_ANSWER_MAX,
    *,
    left_out: Collection[str] = (),
    min_elsewhere: float | None = None,
    by_sentence: bool = False,
) -> list[Sentence]:
    """Checked sentences that answer the question, up to `limit` quotes, or with
    `by_sentence` (the report's final short answer) up to `limit` sentences as the reader
    counts them (a quote joined to the one before it is two; the one per part and per
    compared side are kept whatever their length). While the report is judged, the short
    answer counted in quotes is what the body's focus cut and the fitting of sections spare
    (`keep_body_focus`, `fit_sections`): counted in sentences from the start, the dev report
    on Chernobyl lost "The reactor components ruptured … This was followed by a reactor core
    fire …", a nugget, dropped from its section as naming no Chernobyl. Per part of the
    question
    (in order) its most focused sentence (`Relevance.focus`, which told on-topic sentences
    from off-topic ones better than the cosine to the question on both label splits) of
    those that could answer it (`could_answer`: a cause for "why", a date for "when"), then
    the most focused of the rest: enough to make `SHORT_ANSWER_MIN`, and more only when
    close to the best (`SHORT_ANSWER_MARGIN`); printed part by part, each part's sentences
    in their passages' order (`_in_reading_order`). The sections of the sub-questions in
    `left_out` give none (`declared_roots`). A part asking for a kind of statement or a
    cause whose own section kept no sentence takes the most focused sentence of another
    section that is one and scores `min_elsewhere` for it (`_found_elsewhere`), when given."""
    checked = [(root, s) for root, s in _checked(state) if root not in left_out]
    if not checked:
        return []
    scores = await relevance.focus(focus_texts(state, [s for _, s in checked]), state.question)
    ranked = sorted(range(len(checked)), key=lambda i: -scores[i])
    best = scores[ranked[0]]
    part_of = {
        sq.id: sq.part
        for sq in (state.plan.sub_questions if state.plan else [])
        if sq.part is not None
    }
    chosen: list[int] = []
    sides: list[int] = []
    for part in sorted(set(part_of.values())):
        own = [i for i in ranked if part_of.get(checked[i][0]) == part]
        # The most focused sentence that is the kind of statement the part asks for, if
        # one is: the dev report on "What killed the dinosaurs?" had opened on the most
        # focused, "In the Jurassic, birds evolved from …", above the sentence that says the
        # Cretaceous-Paleogene extinction event killed them.
        fitting = (
            [i for i in own if could_answer(checked[i][1].text, state.parts, part)]
            if part < len(state.parts)
            else []
        )
        # A part asking what something is opens on the sentence defining it: a trial report
        # on typhoid fever opened on "In severe cases, people may experience confusion."
        # (focus 1.54) above "Typhoid fever … is an orally contracted disease …" (1.50).
        defining = (
            [i for i in fitting or own if _opens_the_definition(state, checked[i][1], part)]
            if part < len(state.parts)
            else []
        )
        if own:
            chosen.append((defining or fitting or own)[0])
            if part < len(state.parts):
                sides += _other_side(state, state.parts[part], chosen[-1], own, checked)
        elif min_elsewhere is not None and part < len(state.parts):
            found = await _found_elsewhere(state, relevance, part, ranked, checked, min_elsewhere)
            if found is not None and found not in chosen:
                chosen.append(found)
    chosen += [i for i in sides if i not in chosen]
    chosen = chosen[:limit]
    # The rest fill up to `limit` quotes, or sentences as the reader counts them: a quote
    # given the sentence before it is two (half the dev short answers had run to six or
    # seven sentences).
    told = sum(_length(checked[i][1], by_sentence) for i in chosen)
    for i in ranked:
        if told >= limit:
            break
        length = _length(checked[i][1], by_sentence)
        if i in chosen or told + length > limit:
            continue
        if defines_another_subject(checked[i][1].text, state.question):
            continue
        if told < SHORT_ANSWER_MIN or scores[i] >= best - SHORT_ANSWER_MARGIN:
            chosen.append(i)
            told += length
    picked: list[tuple[int | None, Sentence]] = []
    for i in chosen:
        sentence = checked[i][1]
        if not restates(sentence.text, [p.text for _, p in picked]):
            picked.append((part_of.get(checked[i][0]), sentence.model_copy(deep=True)))
    return _in_reading_order(state, picked)


def _opens_the_definition(state: ResearchState, sentence: Sentence, part: int) -> bool:
    """Whether `sentence` defines what part `part` asks to have defined (`defines_the_asked`:
    "What is typhoid fever?") and quotes the opening of that thing's page; not "Typhoid
    fever was first described in 1829." later on the page."""
    if not defines_the_asked(sentence.text, state.source_title(sentence), state.parts[part]):
        return False
    note = state.note(sentence.notes[0])
    return state.passages[note.passage_id].text.lstrip().startswith(note.quote.strip())


def _length(sentence: Sentence, by_sentence: bool) -> int:
    """How much of the short answer's room `sentence` takes: its sentences, or one quote."""
    return len(sentences(sentence.text)) if by_sentence else 1


async def _found_elsewhere(
    state: ResearchState,
    relevance: Relevance,
    part: int,
    ranked: list[int],
    checked: list[tuple[str, Sentence]],
    min_elsewhere: float,
) -> int | None:
    """The most focused of `checked` (by `ranked`) that could answer part `part`, a part
    asking for a kind of statement or a cause, and scores `min_elsewhere` for it; None for
    an untyped part. A trial report on "What is the Rosetta Stone, where was it found, and
    why is it important?" kept "… making the Rosetta Stone key to deciphering the Egyptian
    scripts" in the first part's section, left it out of the short answer, and then dropped
    it as far from the report's focus, while calling the third part answered elsewhere."""
    asked = standalone_part(state.parts[part], state.question)
    if asked_type(asked) is None and not asks_reason(asked):
        return None
    fitting = [
        i
        for i in ranked
        if could_answer(checked[i][1].text, state.parts, part)
        and not defines_another_subject(checked[i][1].text, state.question)
    ]
    if not fitting:
        return None
    texts = focus_texts(state, [checked[i][1] for i in fitting])
    scores = await relevance.part_scores(texts, state.question, part)
    return next(
        (i for i, score in zip(fitting, scores, strict=True) if score >= min_elsewhere), None
    )


def _other_side(
    state: ResearchState,
    part: str,
    best: int,
    own: list[int],
    checked: list[tuple[str, Sentence]],
) -> list[int]:
    """For a part comparing two things, the most focused of `own` (its sentences' indices
    into `checked`, best first) that opens the page of a side the part's `best` does not
    open (`side_opened`): a test report answered "What is the difference between special
    and general relativity?" with general relativity's definition alone."""

    def opened(i: int) -> str | None:
        notes = checked[i][1].notes
        return side_opened(state, state.note(notes[0]), part) if notes else None

    sides = {opened(best)}
    out = []
    for i in own:
        side = opened(i)
        if side is not None and side not in sides:
            sides.add(side)
            out.append(i)
    return out


def _in_reading_order(
    state: ResearchState, picked: list[tuple[int | None, Sentence]]
) -> list[Sentence]:
    """The short answer as a paragraph: the parts of the question in their order (then
    what other sub-questions found), each part's sentences as a section orders them
    (`writer.paragraph_order`: by passage, each in its passage's order). Chosen by focus, a
    dev report had read "Presently, most electricity from nuclear power is produced by
    fission …", then Chernobyl, then "Nuclear power is the use of nuclear reactions …"."""
    parts = sorted({part for part, _ in picked}, key=lambda p: (p is None, p or 0))
    ordered: list[Sentence] = []
    for part in parts:
        group = [s for p, s in picked if p == part]
        asked = state.parts[part] if part is not None and part < len(state.parts) else None
        ordered += paragraph_order(state, asked or state.question, group)
    return ordered


async def not_covered(
    state: ResearchState,
    relevance: Relevance,
    min_answer: float,
    min_elsewhere: float,
    *,
    declared: Collection[str] = (),
) -> list[str]:
    """The parts of the question that no checked sentence answers, each worded to read on
    its own (`standalone_part`), and those already `declared` (as worded here): a part stays
    declared once its own sentences are dropped for not answering it, though another part's
    evidence may then pass the lower bar for it (the dev report on coral reefs had gone on
    to say "What causes coral bleaching?" was answered elsewhere). A part needs a checked
    sentence whose score for that part (`Relevance.part_scores`) reaches `min_answer` when
    some of the part's own evidence is printed, or, for a later part, `min_elsewhere` when
    none is (the first part is not answered by another part's evidence alone, unless it asks
    for a kind of statement, a date or a name, and one reaches `min_answer`). The first
    part is held to it too: the dev report on "What killed the dinosaurs?" printed only
    sentences on dinosaur genera, the best scoring 0.53 for it, and had taken the part as
    answered by its own evidence being printed at all. For later parts: evidence on the
    question's subject alone does not answer "what limits their effectiveness?", and the
    reader is told so, but a short answer that says "50% more carbon dioxide" answers "how
    much has it increased?" whichever sub-question found it. A part that asks for an amount,
    a date or a name (`answer_type`) is answered only by such a sentence, and a part that
    names something of its own (`distinctive_names`: "Do black holes emit Hawking
    radiation?") only by a sentence that names it."""
    if state.plan is None:
        return []
    cited = cited_sentences(state)
    cited_notes = {n for s in cited for n in s.notes}
    missing = []
    for i, part in enumerate(state.parts):
        worded = standalone_part(part, state.question)
        if worded in declared:
            missing.append(worded)
            continue
        own = part_notes(state, i)
        own_printed = any(n in cited_notes for n in own)
        # A first part asking for a kind of statement (a date, a name, an amount) is
        # answered by one wherever it was found, at the higher bar: a trial report printed
        # "The invention of the printing press by Johannes Gutenberg in 1439 …", found for
        # an aspect, in its short answer and declared "When was the printing press
        # invented?" all the same. An untyped first part still needs its own evidence.
        typed_first = i == 0 and asked_type(worded) is not None
        if i > 0 or own_printed or typed_first:
            bar = min_answer if own_printed or i == 0 else min_elsewhere
            # Read as the short answer and the focus read them (`focus_texts`): on the page
            # the question names, under its title. Bare, "Fossils are found in … formations
            # … dated to … 69 to 66 million years ago" scores 0.44 for "When did
            # Tyrannosaurus live?" (0.71 on *Tyrannosaurus*), and a trial report declared it.
            scores = await relevance.part_scores(focus_texts(state, cited), state.question, i)
            # Another part's evidence answers an untyped part only when it names a word of
            # the part's own, as a sentence moved under its heading must (`_move_to_parts`):
            # trial reports called "What is at Messier 87's centre?" and "How is Rosh
            # Hashanah celebrated?" answered elsewhere by leads that say neither.
            elsewhere = not own_printed and i > 0
            answered = any(
                (
                    score >= bar
                    or _answers_by_its_shape(s.text, worded, state.question, state.source_title(s))
                )
                and could_answer(s.text, state.parts, i)
                and (not elsewhere or names_its_own_word(s.text, state.parts, i, moved=False))
                for s, score in zip(cited, scores, strict=True)
            )
        else:
            answered = False
        if not answered:
            missing.append(worded)
    return missing


def give_bare_parts_their_answers(state: ResearchState) -> set[str]:
    """Move to the section of each part that prints nothing the checked sentences of other
    sections (not the short answer) that answer it by their shape (`_answers_by_its_shape`)
    and can stand under it (`could_answer`, `names_its_own_word`); returns their lower-cased
    texts, which the body's focus cut then keeps. A trial report on "Who was Rumi, and what
    did he write?" had read "The Masnavi is an extensive Persian masnavi written by Rumi …"
    for the first part, whose focus it falls far under (0.79 for that part, 0.16 for the
    second), dropped it, and declared what he wrote."""
    if state.plan is None:
        return set()
    in_short = _short_texts(state)
    moved: set[str] = set()
    for i, bare in _part_sections(state).items():
        if any(_printed_fact(s) for s in bare.sentences):
            continue
        worded = standalone_part(state.parts[i], state.question)
        for section in state.sections:
            if section is bare:
                continue
            printed = sum(_printed_fact(s) for s in section.sentences)
            for sentence in list(section.sentences):
                title = state.source_title(sentence)
                if (
                    _printed_fact(sentence)
                    and printed > 1  # a section's last sentence stays: its part needs it
                    and sentence.text.lower() not in in_short | moved  # given once only
                    and _answers_by_its_shape(sentence.text, worded, state.question, title)
                    and could_answer(sentence.text, state.parts, i, in_section=True, title=title)
                    and names_its_own_word(sentence.text, state.parts, i)
                ):
                    section.sentences.remove(sentence)
                    bare.sentences.append(sentence)
                    moved.add(sentence.text.lower())
                    printed -= 1
    return moved


def _printed_fact(sentence: Sentence) -> bool:
    return sentence.kind == "fact" and printable(sentence)


def _part_sections(
    state: ResearchState, excluded: Collection[str] = ()
) -> dict[int, ReportSection]:
    """The first section of each part of the question, by part, of the root sub-questions
    not in `excluded`."""
    sections: dict[int, ReportSection] = {}
    for section in state.sections:
        root = state.sub_question(section.sub_question) if section.sub_question else None
        if (
            root is not None
            and root.part is not None
            and 0 <= root.part < len(state.parts)
            and root.id not in excluded
        ):
            sections.setdefault(root.part, section)
    return sections


async def keep_body_focus(
    state: ResearchState,
    relevance: Relevance,
    margin: float | None,
    keep: Collection[str] = (),
) -> int:
    """Drop the checked sentences outside the short answer and `keep` whose focus
    (`Relevance.focus`) falls more than `margin` below the best checked sentence's. The
    short answer holds each part's most focused sentence; past it, most sentences a report
    printed on the dev questions were on a neighbouring subject (a third on topic, against
    three in four in the short answer), so the body is held to a closer margin than the
    report's focus cut. Returns how many; the verification counts take them as dropped."""
    if margin is None:
        return 0
    dropped = await drop_off_focus(
        state,
        relevance,
        margin,
        keep=_short_texts(state) | set(keep),
        reason="outside the short answer and far from its focus",
    )
    if dropped:
        _recount(state)
    return dropped


def declared_roots(state: ResearchState) -> set[str]:
    """The sub-questions whose sections stand for parts the report declares not covered."""
    return {sec.sub_question or "" for sec in state.sections if declared_section(state, sec)}


def answers_declared(state: ResearchState) -> bool:
    """Whether the short answer holds a sentence of a section whose part the report
    declares not covered. Chosen before the parts were judged, it had opened the dev report
    on "What killed the dinosaurs?" with "Allosaurus is a genus of theropod dinosaur that
    lived 155 to 143 million years ago …" as that part's answer, above the statement that
    the sources do not answer it."""
    declared = declared_roots(state)
    short = _short_texts(state)
    return any(root in declared and s.text.lower() in short for root, s in _checked(state))


async def move_answers_of_other_parts(
    state: ResearchState, relevance: Relevance, min_answer: float
) -> int:
    """Move each checked sentence of a section whose part the report declares not covered,
    and that answers another part, to that part's section (the best scoring part when
    several). Else `drop_unanswering` drops it with the declared part, and the part it
    answered loses its answer: a report on "Why did the Titanic sink, and how many people
    died?" declared the first part (its sentences name no cause), dropped "… resulting in
    the deaths of up to 1,635 people" with it, then declared the second too and printed
    nothing. Where it moves is `_move_to_parts`'s choice. Returns how many were moved."""
    if state.plan is None:
        return 0
    declared = declared_roots(state)
    moving = [
        (section, sentence)
        for section in state.sections
        if section.sub_question in declared
        for sentence in section.sentences
        if sentence.kind == "fact" and printable(sentence)
    ]
    moved = await _move_to_parts(state, relevance, min_answer, moving, declared)
    return sum(moved)


UNFIT_REASON = "printed under a part of the question it cannot answer"
"""Why `fit_sections` dropped a sentence."""


async def fit_sections(
    state: ResearchState, relevance: Relevance, min_answer: float
) -> tuple[int, int]:
    """Under a part's heading a sentence reads as that part's answer, so a sentence of the
    body (not the short answer) that is not the kind of statement its part asks for
    (`could_answer`) moves to a part it answers (`_move_to_parts`), or is dropped. The
    dev report on "What triggered World War I, and how did it end?" printed "The conflict
    saw important developments in weaponry …" under "What triggered World War I?", and the
    one on the fall of the Western Roman Empire "The Western Empire collapsed in 476 …"
    under "Why did the Western Roman Empire fall?" (it answers "when"). Returns (moved,
    dropped); the verification counts take the dropped ones as dropped."""
    if state.plan is None:
        return 0, 0
    in_short = _short_texts(state)
    moving = []
    for section in state.sections:
        root = state.sub_question(section.sub_question) if section.sub_question else None
        if root is None or root.part is None or not 0 <= root.part < len(state.parts):
            continue
        moving += [
            (section, sentence)
            for sentence in section.sentences
            if sentence.kind == "fact"
            and printable(sentence)
            and sentence.text.lower() not in in_short
            and not could_answer(
                sentence.text,
                state.parts,
                root.part,
                in_section=True,
                title=state.source_title(sentence),
            )
        ]
    moved = await _move_to_parts(state, relevance, min_answer, moving, declared_roots(state))
    dropped = 0
    for (_, sentence), went in zip(moving, moved, strict=True):
        if not went:
            sentence.status = "dropped"
            sentence.verdict = {"verdict": "off_topic", "reason": UNFIT_REASON}
            dropped += 1
    if dropped:
        _recount(state)
    return sum(moved), dropped


async def _move_to_parts(
    state: ResearchState,
    relevance: Relevance,
    min_answer: float,
    moving: list[tuple[ReportSection, Sentence]],
    excluded: Collection[str],
) -> list[bool]:
    """Move each (section, sentence) of `moving` to the section of another part it answers
    (the best scoring part when several), of the parts whose sections are not in
    `excluded`; returns, per sentence, whether it moved. Under that part's heading the
    sentence reads as its answer, so it must be one (or context its section keeps,
    `SECTION_KEEPS_CONTEXT`): the kind of statement the part asks for (`could_answer`),
    naming a word of the part's own ("people" of "How many people
    died?") unless the part asks for a date, an amount or a name, which the sentence then
    carries ("When did it happen?" has no word of its own), and scoring `min_answer` for it,
    the bar of a part's own evidence. "Allosaurus is a genus of theropod dinosaur …",
    dropped with "What killed the dinosaurs?" in a dev report, scores 0.59 for "Which
    dinosaurs survived?" but names no survival."""
    targets = _part_sections(state, excluded)
    if not moving:
        return []
    texts = [sentence.text for _, sentence in moving]
    titles = [state.source_title(sentence) for _, sentence in moving]
    worded = {part: standalone_part(state.parts[part], state.question) for part in targets}
    best: list[tuple[float, int] | None] = [None] * len(moving)
    for part in targets:
        # A section that keeps its context takes what an untyped part's would (the dev
        # report on diabetes moved "Diabetes mellitus … is … characterized by sustained high
        # blood sugar levels" under "How does insulin regulate blood sugar?").
        scores = await relevance.part_scores(texts, state.question, part)
        for i, text in enumerate(texts):
            if targets[part] is moving[i][0] or not could_answer(
                text, state.parts, part, in_section=True, title=titles[i]
            ):
                continue
            if not names_its_own_word(text, state.parts, part):
                continue
            # Answering by its shape, as `not_covered` reads it: "… between Iraq and a
            # 42-country coalition …" (0.3 for "Which countries fought in it?") stayed
            # under a declared "What caused the Gulf War?" in a trial report and was
            # dropped with it, after `not_covered` had counted it the second part's answer.
            answers = scores[i] >= min_answer or _answers_by_its_shape(
                text, worded[part], state.question, titles[i]
            )
            if answers and (best[i] is None or scores[i] > best[i][0]):
                best[i] = (scores[i], part)
    for (section, sentence), chosen in zip(moving, best, strict=True):
        if chosen is not None:
            section.sentences.remove(sentence)
            targets[chosen[1]].sentences.append(sentence)
    return [chosen is not None for chosen in best]


def names_its_own_word(text: str, parts: list[str], i: int, *, moved: bool = True) -> bool:
    """Whether `text` names a word of part `i` no other part has (`distinctive_words`:
    "people" of "How many people died?"), or another form of one (`names_a_form`:
    "celebration" of "How is it celebrated?"), as a sentence must that answers an untyped part
    (`section_kind`: one asking for no kind of statement, or whose section keeps context)
    with another part's evidence. True for a typed part, whose kind the sentence carries
    instead ("When did it happen?" has no word of its own). A sentence `moved` under the
    part's heading reads as its answer there and must name one; a sentence left where it
    is, answering the part from another section, may instead name what a yes/no or "Which
    X …?" part asks or what a part asks the effect on, which `could_answer` checks its own
    way (`asks_what_it_names`, `asks_the_effect_on`: "Caffeine acts by blocking the binding
    of adenosine …" answers "How does it affect the body?"), and answers a part with no
    word of its own ("What is Hamlet about?") if it scores."""
    if section_kind(parts[i]) is not None:
        return True
    if not moved and asks_what_it_names(parts[i]):
        return True
    if not moved and asks_the_effect_on(parts[i]):
        # On no one in particular ("the body", "them"), any sentence names the target, so
        # it must state an effect.
        return not effect_on_anyone(parts[i]) or carries(text, AnswerType.EFFECT)
    own = distinctive_words(parts, i)
    deed = _purpose_verb(parts[i])
    if deed is not None:
        # "Why is it done?": its word of its own may be the deed, which a purpose does not
        # repeat ("Biopsies are most commonly performed for insight into …"); `could_answer`
        # asks for the purpose instead. Its other words of its own still count.
        own -= set(content_words(deed))
        if not own:
            return True
    if not own:
        return not moved
    return names_a_form(own, text)


def drop_unanswering(state: ResearchState) -> int:
    """Drop the checked sentences printed only under a part the report declares not covered
    (not in the short answer): the report has judged that they do not answer that part, and
    under its heading they would read as its answer ("What causes coral bleaching?" over
    "The Great Barrier Reef is the world's largest coral reef system …"). Returns how many;
    the verification counts take them as dropped."""
    in_short = _short_texts(state)
    dropped = 0
    for section in state.sections:
        if not declared_section(state, section):
            continue
        for s in section.sentences:
            if s.kind == "fact" and printable(s) and s.text.lower() not in in_short:
                s.status = "dropped"
                s.verdict = {"verdict": "off_topic", "reason": DECLARED_REASON}
                dropped += 1
    if dropped:
        _recount(state)
    return dropped


def _recount(state: ResearchState) -> None:
    """The verification counts again, after sentences were dropped from the report."""
    if state.verification is not None:
        state.verification.recount(
            [s for sec in state.sections for s in sec.sentences if s.kind == "fact" and s.notes]
        )


def part_notes(state: ResearchState, i: int) -> set[str]:
    """The ids of the notes the sub-questions of part `i` gathered: the part's own evidence."""
    return {n.id for root in state.roots() if root.part == i for n in state.notes_for(root.id)}


_WHY_PASSIVE = re.compile(
    r"^why (?:was|were|is|are|has been|have been) .+? (?P<verb>[a-z]+)\s*\??$", re.IGNORECASE
)


def names_the_event(text: str, part: str) -> bool:
    """Whether `text` names what a "Why was X <done>?" part asks the cause of: a form of
    its participle ("abandoned" ~ "abandonment", "assassinated" ~ "assassination"). A trial
    report took "Why was Machu Picchu abandoned?" as answered by "… Machu Picchu was built
    as an estate for Pachacuti", a purpose of its building. True for any other part."""
    m = _WHY_PASSIVE.match(" ".join(part.split()))
    if m is None or not is_participle(m.group("verb")):
        return True
    if asked_type(part) in (AnswerType.SIGNIFICANCE, AnswerType.DISTINCTION):
        # "Why is the Golden Temple sacred?" asks its standing, not the cause of an event:
        # "… its holiest site" answers it (a trial report declared it beside that).
        return True
    if m.group("verb").lower() in _PURPOSE_VERBS:
        # "Why is sewage treatment needed?", "Why is a biopsy done?" ask what it is for,
        # which its purpose says without the word: "… aims to remove contaminants …,
        # thereby preventing water pollution …", "Biopsies are most commonly performed for
        # insight into …" (trial reports declared both parts beside such sentences).
        return True
    return names_a_form(content_words(m.group("verb")), text)


_PURPOSE_VERBS = frozenset(["needed", "required", "necessary", "wanted", "done", "performed"])


def _purpose_verb(part: str) -> str | None:
    """The verb of a part asking what something is done or needed for ("done" of "Why is
    a biopsy done?", "needed" of "Why is sewage treatment needed?"), or None."""
    m = _WHY_PASSIVE.match(" ".join(part.split()))
    verb = m.group("verb") if m is not None else ""
    return verb if verb.lower() in _PURPOSE_VERBS else None


_HOW_PASSIVE = re.compile(r"^how (?:is|are|was|were) .+? (?P<verb>[a-z]+)\s*\??$", re.IGNORECASE)
# What follows a participle that says how it is done: "venerated under various titles",
# "celebrated with lamps", "made from milk", "celebrated by lighting lamps"; not "built for
# the pharaoh", "built as a mausoleum", "built by Ming emperor Yongle" (for whom, what for,
# by whom), "celebrated in October" (when).
_MANNER_AFTER = (
    r"(?:\s+(?:mainly|mostly|chiefly|largely|often|usually|widely))?"
    r"\s+(?:under|with|from|through|using|via|by\s+(?-i:[a-z]+ing))\b"
)


def states_the_manner(text: str, part: str) -> bool:
    """Whether `text` says how a "How is X <done>?" part's deed is done: its participle, or
    a form of it, followed by how ("Mary is an important figure of Christianity, venerated
    under various titles …" for "How is Mary, mother of Jesus venerated?", 0.48 for the
    part against a bar of 0.54: a trial report printed it in its short answer and declared
    the part all the same)."""
    m = _HOW_PASSIVE.match(" ".join(part.split()))
    if m is None or not is_participle(m.group("verb")):
        return False
    verb = content_words(m.group("verb").lower())
    return any(
        names_a_form(verb, said.group(0)) for said in re.finditer(rf"\b[a-z]+{_MANNER_AFTER}", text)
    )


def _answers_by_its_shape(text: str, part: str, question: str, title: str = "") -> bool:
    """Whether `text`, naming the question's subject, answers `part` by its shape whatever
    its relevance score, which the part's wording leaves low: a statement of a kind the part
    asks for (`ASKED_BY_KIND`: "… a rivalry between the United States and the Soviet Union"
    scored 0.25 for "Who were the two sides?"), a definition as a kind of one of the
    alternatives it asks between ("Corals are colonial marine invertebrates …", 0.24 for "Is
    it an animal or a plant?"), or members of the kind a "Which X …?" part asks for ("…
    Iran … Turkey … Iraq", 0.31 for "Which countries does it cross?"), or a discovery for a
    part asking what was discovered (`asks_what_was_found`), or its fame or what sets it
    apart for a part asking so (`asks_standing`: "… often considered the first computer
    programmer", 0.12 for "Why is she remembered?"), or how a "How is X <done>?" part's deed is
    done (`states_the_manner`); trial reports had declared each."""
    shaped = (
        asked_type(part) in ASKED_BY_KIND
        or (asks_what_was_found(part) and carries(text, AnswerType.DISCOVERY))
        or (asks_standing(part) and carries(text, asked_type(part)))
        or defines_as_a_kind_of(text, part)
        or names_members(text, part)
        or defines_a_member(text, part)
        or states_the_manner(text, part)
    )
    return shaped and (
        names_subject(text, question) or _named_before_its_apposition(text, question, title)
    )


def _named_before_its_apposition(text: str, question: str, title: str) -> bool:
    """Whether `text`, on the page titled by the question's whole subject, names the subject
    as it is named before its apposition: "Mary is … venerated under various titles" on
    *Mary, mother of Jesus* ("Who was Mary, mother of Jesus, …?"). Another name on that page
    is not the subject ("Pompey was assassinated …" on *Julius Caesar*)."""
    about = subject(question)
    if about is None or "," not in about.noun or not _subject_page(title, question):
        return False
    return names(text, about.noun.split(",")[0])


def could_answer(
    text: str, parts: list[str], i: int, *, in_section: bool = False, title: str = ""
) -> bool:
    """Whether `text` is the kind of statement that can answer part `i`, whatever its score
    (`in_section`: or stand in its section, where a kind of `SECTION_KEEPS_CONTEXT` is not
    asked of every sentence: around how vaccines work, what a vaccine contains):
    it carries what the part asks for (`answer_type`), counts what a "how many" part counts
    (`counts_what_is_asked`), says who did it for a "Who invented …?" part
    (`names_the_originator`), names the relation a "Who was X's father?" part asks about
    (`names_the_relation`), names the thing a part places on or in another
    (`names_what_is_located`), names what a part asks the effect on (`names_the_affected`)
    or what something matters to (`names_what_it_matters_to`),
    states unranked the superlative a "Which … is the largest …?" part asks about
    (`names_the_superlative`), states the year a part names (`names_the_year`), names a
    work of the art a "What did X paint?" part asks about (`names_the_work`),
    states a cause when the part asks why (`states_reason`) and names what a "Why was X
    abandoned?" part asks the cause of (`names_the_event`),
    names what the part names of its own (`distinctive_names`), or is quoted from a page
    whose `title` names the part's subject (`_subject_page`: "Encompassing a variety of
    polities …, it was ruled by the Rurik dynasty" from *Kievan Rus'* is about Kievan
    Rus'), and
    for a yes/no part names what it asks about (`names_the_predicate`: "Is caffeine
    addictive?" is not answered by a sentence without a form of "addictive"), and
    for a "Which X …?" part names an X or something the question does not (`names_a_kind`:
    "DNA replication is the process by which a cell makes exact copies of its DNA" names no
    enzyme), and for a "What was X?" part does not define another named thing
    (`defines_another`: "The Mexican–American War … was an invasion …")."""
    names = distinctive_names(parts, i)
    # Its kind read with its pronoun resolved: "How does it spread?" after "What is cholera?"
    # asks a disease's route of infection (`answer_type`), which "it" does not show.
    worded = standalone_part(parts[i], parts[0]) if i else parts[i]
    # "How long has it existed?" after "What is the Great Red Spot on Jupiter?": "it" is the
    # first part's subject, placed as the first part places it.
    placed = parts[0] if i and PRONOUN.search(parts[i]) else parts[i]
    kind = asked_type(worded)
    context = in_section and kind in SECTION_KEEPS_CONTEXT
    return (
        (context or (carries(text, kind) and names_the_action(text, worded)))
        and counts_what_is_asked(text, parts[i])
        and names_the_originator(text, parts[i])
        and names_the_relation(text, parts[i])
        and names_what_is_located(text, placed)
        and names_the_affected(text, parts[i])
        and names_what_it_matters_to(text, parts[i])
        and names_the_superlative(text, parts[i])
        and names_the_year(text, parts[i])
        and states_a_measure(text, worded)
        and names_the_work(text, parts[i])
        and (not asks_reason(parts[i]) or states_reason(text, worded))
        and names_the_event(text, parts[i])
        and (
            not names
            or bool(names & content_words(text))
            or bool(names & _subject_page(title, worded))
        )
        and names_a_kind(text, parts, i)
        and names_the_predicate(text, parts, i, _subject_of(parts[i]))
        and not defines_another(text, worded)
    )


def _subject_page(title: str, part: str) -> set[str]:
    """The content words of `title` when it names the whole subject of `part` (*Kievan Rus'*
    for "What was Kievan Rus'?", *Chernobyl disaster* for "What happened at Chernobyl?"):
    a sentence of that page is about it. None for a page on something the part relates its
    subject to (*Adolf Hitler* for "What was Mussolini's relationship with Hitler?", whose
    sentences on Hitler alone do not answer it)."""
    about = subject(part)
    if not title or about is None:
        return set()
    named = content_words(title)
    return named if content_words(about.noun) <= named else set()


def _subject_of(part: str) -> str:
    """The subject of a yes/no part ("Saturn" of "Does Saturn have rings?"), if its form
    shows one."""
    about = subject(part)
    return about.noun if about is not None else ""
