"""A note its part cannot use moves to the part of the question it answers."""

from collections import Counter
from pathlib import Path

import pytest

from lyceum.config import load_settings
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.research import run_research
from lyceum.research.live import LiveView
from lyceum.research.progress import ProgressEvent
from lyceum.research.rehome import rehome_notes
from lyceum.research.relevance import load_relevance
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Note, Passage, Plan, ResearchState, SubQuestion
from lyceum.testing.research import MemorySource, OverlapScorer

from .conftest import planned_state, research_responder

QUESTION = (
    "Who invented the printing press, and how did it change the spread of knowledge in Europe?"
)
PARTS = [
    "Who invented the printing press?",
    "How did the printing press change the spread of knowledge in Europe?",
]
# The dev report's passage: its worker for the "who" part noted the last sentence, which
# names no one, and the claim check dropped it as off the question.
PRESS = (
    "A printing press is a machine that transfers ink onto materials such as paper or cloth "
    "by applying pressure to an inked surface. It marked a major advance on earlier methods, "
    "in which ink was applied to the printing surface and the paper was rubbed by hand to "
    "transfer it. The invention and global spread of the printing press transformed book "
    "production and communication during the early modern period."
)
GUTENBERG = (
    "Johannes Gutenberg was a German inventor and craftsman who invented the movable-type "
    "printing press."
)
TRANSFORMED = PRESS.rsplit(". ", 1)[1]
MACHINE = PRESS.split(". ")[0] + "."


def _state() -> ResearchState:
    state = ResearchState(run_id="r", question=QUESTION)
    state.parts = list(PARTS)
    state.plan = Plan(
        sub_questions=[
            SubQuestion(id=f"q{i + 1}", question=part, origin="part", part=i)
            for i, part in enumerate(PARTS)
        ]
    )
    state.passages["p1"] = Passage(
        id="p1", source="s", hit_id="h1", title="Printing press", text=PRESS
    )
    state.passages["p2"] = Passage(
        id="p2", source="s", hit_id="h2", title="Johannes Gutenberg", text=GUTENBERG
    )
    for i, (quote, pid) in enumerate([(GUTENBERG, "p2"), (MACHINE, "p1"), (TRANSFORMED, "p1")]):
        state.notes.append(
            Note(id=f"q1.n{i + 1}", sub_question="q1", claim=quote, quote=quote, passage_id=pid)
        )
    return state


async def test_a_note_that_names_no_one_moves_from_a_who_part_to_the_part_it_answers() -> None:
    state = _state()
    moves = await rehome_notes(state, load_relevance("minilm"), ResearchSettings())
    assert moves == [("q1.n3", "q2")]
    assert state.note("q1.n3").sub_question == "q2"
    assert [n.quote for n in state.notes_for("q2")] == [TRANSFORMED]


async def test_notes_that_carry_a_name_or_answer_no_other_part_stay() -> None:
    state = _state()
    await rehome_notes(state, load_relevance("minilm"), ResearchSettings())
    # Gutenberg's sentence names him; the machine's definition names no one either, but
    # says nothing of the spread of knowledge, so no other part takes it.
    assert [n.id for n in state.notes_for("q1")] == ["q1.n1", "q1.n2"]


async def test_an_untyped_part_or_a_single_part_question_moves_nothing() -> None:
    state = _state()
    state.parts = ["How did the printing press change the spread of knowledge in Europe?"]
    assert await rehome_notes(state, load_relevance("minilm"), ResearchSettings()) == []
    state = _state()
    state.parts[0] = "What is a printing press?"
    assert await rehome_notes(state, load_relevance("minilm"), ResearchSettings()) == []
    assert all(n.sub_question == "q1" for n in state.notes)


@pytest.mark.parametrize(
    ("first", "moved"),
    [("How do antibiotics work?", []), ("How much do antibiotics cost?", [("q1.n1", "q2")])],
)
async def test_a_note_of_a_part_asking_how_something_works_stays_as_its_context(
    first: str, moved: list[tuple[str, str]]
) -> None:
    # Only a mechanism answers "How do antibiotics work?", but its section keeps what it
    # can hold as context (`SECTION_KEEPS_CONTEXT`), so no note of it is stuck; the same
    # note under a part asking an amount moves to the part it answers.
    fleming = "Penicillin was discovered by Alexander Fleming in 1928."
    state = planned_state(
        f"{first[:-1]}, and who discovered penicillin?", [first, "Who discovered penicillin?"]
    )
    state.passages["p1"] = Passage(
        id="p1", source="s", hit_id="h1", title="Penicillin", text=fleming
    )
    state.notes.append(
        Note(id="q1.n1", sub_question="q1", claim=fleming, quote=fleming, passage_id="p1")
    )
    assert await rehome_notes(state, load_relevance("minilm"), ResearchSettings()) == moved


async def test_a_run_that_moves_a_note_reports_each_sections_notes_to_the_live_view(
    tmp_path: Path, workspace: Path
) -> None:
    # The move was announced in an event without the sub-question's count, and the live
    # view of `lyceum research` stopped the run with "KeyError: 'notes'".
    (workspace / "lyceum.toml").write_text('[retrieval]\nembedding_model = "hashing"\n')
    view = LiveView()
    moved: list[ProgressEvent] = []

    def progress(event: ProgressEvent) -> None:
        view(event)
        if event.kind == "note" and "moved" in event.message:
            moved.append(event)

    model = ScriptedBackend([], default_output=None).enqueue(*[research_responder] * 50)
    model.embedded = True
    result = await run_research(
        QUESTION,
        out_dir=tmp_path / "out",
        settings=load_settings(),
        config=ResearchSettings(max_rounds=1, compile_pdf=False),
        model=model,
        sources=[
            MemorySource(
                {"press": ("Printing press", PRESS), "gutenberg": ("Johannes Gutenberg", GUTENBERG)}
            )
        ],
        scorer=OverlapScorer(),
        progress=progress,
    )
    state = result.state
    assert moved, "the run moved no note: the scenario no longer tests the move"
    assert {n.sub_question for n in state.notes if n.quote == TRANSFORMED} == {"q2"}
    counts = Counter(n.sub_question for n in state.notes)
    assert all(view.sub_questions[sq]["notes"] == n for sq, n in counts.items())


def _one_page_state(
    question: str, parts: list[str], title: str, quotes: list[str], noted_by: str
) -> ResearchState:
    """A state with one section per part and `quotes` (one page's sentences) noted by the
    sub-question `noted_by`."""
    state = ResearchState(run_id="r", question=question)
    state.parts = list(parts)
    state.plan = Plan(
        sub_questions=[
            SubQuestion(id=f"q{i + 1}", question=part, origin="part", part=i)
            for i, part in enumerate(parts)
        ]
    )
    text = " ".join(quotes)
    state.passages["p1"] = Passage(id="p1", source="s", hit_id="h1", title=title, text=text)
    for i, quote in enumerate(quotes):
        state.notes.append(
            Note(
                id=f"{noted_by}.n{i + 1}",
                sub_question=noted_by,
                claim=quote,
                quote=quote,
                passage_id="p1",
            )
        )
    return state


async def test_a_note_stating_no_cause_moves_from_a_why_part_to_the_part_it_answers() -> None:
    # A trial report on diamonds noted how graphite becomes diamond while reading for "Why
    # are they so hard?"; the part was declared and the sentence dropped with it.
    state = _one_page_state(
        "How are diamonds formed, and why are they so hard?",
        ["How are diamonds formed?", "Why are diamonds so hard?"],
        "Diamond",
        [
            "Diamond has the highest hardness and thermal conductivity of any natural material.",
            "Graphite converts to diamond under extremely high pressure and temperature.",
        ],
        noted_by="q2",
    )
    moves = await rehome_notes(state, load_relevance("minilm"), ResearchSettings())
    assert moves == [("q2.n2", "q1")]
    # The hardness states no cause either, but says nothing of how diamonds form: it stays.
    assert [n.id for n in state.notes_for("q2")] == ["q2.n1"]


async def test_a_why_parts_note_does_not_move_to_an_untyped_part() -> None:
    # The dev report on the French Revolution: moved into "What ideas did it leave behind?",
    # the note became that part's own evidence, held to a higher bar, and the part was
    # declared. The dates move to the "when" part, which asks for them.
    state = _one_page_state(
        "What caused the French Revolution, when did it take place, and what ideas did it "
        "leave behind?",
        [
            "What caused the French Revolution?",
            "When did it take place?",
            "What ideas did it leave behind?",
        ],
        "French Revolution",
        [
            "The French Revolution was a period of political and societal change in France "
            "that began with the Estates General of 1789 and ended with the Coup of 18 "
            "Brumaire on 9 November 1799.",
            "Many of the revolution's ideas are considered fundamental principles of liberal "
            "democracy, and its values remain central to modern French political discourse.",
        ],
        noted_by="q1",
    )
    moves = await rehome_notes(state, load_relevance("minilm"), ResearchSettings())
    assert moves == [("q1.n1", "q2")]
    assert state.note("q1.n2").sub_question == "q1"


SPANISH_FLU = "What was the Spanish flu, and how many people did it kill?"
FLU_DEATHS = (
    "Estimates of deaths range from 17 million to 50 million, and possibly as high as 100 "
    "million, making it one of the deadliest pandemics in history."
)
FLU_DEFINED = (
    "The 1918–1920 flu pandemic, also known as the Great Influenza epidemic or by the "
    "misleading name Spanish flu, was an exceptionally deadly global influenza pandemic."
)


def _aspect_state(title: str) -> ResearchState:
    """The trial report's plan: a section per part and an aspect ("Samora Machel") whose
    worker noted the death toll of a page titled `title`."""
    state = _one_page_state(
        SPANISH_FLU,
        ["What was the Spanish flu?", "How many people did it kill?"],
        title,
        [FLU_DEFINED, FLU_DEATHS],
        noted_by="q3",
    )
    assert state.plan is not None
    state.plan.sub_questions.append(
        SubQuestion(id="q3", question=f"{SPANISH_FLU} (Samora Machel)", origin="aspect")
    )
    return state


async def test_an_aspects_note_from_a_named_page_moves_to_the_part_asking_its_kind() -> None:
    # A trial report noted the death toll under the aspect "Samora Machel", whose section
    # the claim check dropped as off the question; mining takes no sentence a note quotes,
    # so "How many people did it kill?" was declared not covered.
    state = _aspect_state("Spanish flu")
    moves = await rehome_notes(state, load_relevance("minilm"), ResearchSettings())
    # The definition states no amount: no part asking for a kind of statement takes it, and
    # the untyped first part does not take an aspect's note.
    assert moves == [("q3.n2", "q2")]
    assert [n.id for n in state.notes_for("q3")] == ["q3.n1"]


async def test_an_aspects_note_from_a_page_the_question_does_not_name_stays() -> None:
    state = _aspect_state("Influenza")
    assert await rehome_notes(state, load_relevance("minilm"), ResearchSettings()) == []
