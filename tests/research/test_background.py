from collections.abc import Sequence

from lyceum.research.background import background_intro, subject_background, subject_opening
from lyceum.research.state import (
    Note,
    Passage,
    Plan,
    ReportSection,
    ResearchState,
    Sentence,
    SubQuestion,
)
from lyceum.testing.research import OverlapScorer, Verdict

# The collection's lead on tuberculosis, which says neither how it spreads nor how it is
# treated (a trial report printed nothing else than that).
TB = (
    'Tuberculosis, also known colloquially as the "white death", or historically as '
    "consumption, is a contagious disease usually caused by Mycobacterium tuberculosis (MTB) "
    "bacteria. Tuberculosis initially infects the lungs, but it can also spread to other "
    "parts of the body."
)
TB_OPENING = TB.split(" Tuberculosis initially")[0]
JUPITER = "Jupiter is the fifth planet from the Sun, and the largest in the Solar System."
LYME = "Lyme disease is the most common disease spread by ticks in the Northern Hemisphere."


def _state(pages: dict[str, str]) -> ResearchState:
    state = ResearchState(
        run_id="r", question="How does tuberculosis spread, and how is it treated?"
    )
    state.parts = ["How does tuberculosis spread", "how is it treated"]
    state.plan = Plan(
        sub_questions=[
            SubQuestion(id="q1", question="How does tuberculosis spread?", part=0),
            SubQuestion(id="q2", question="How is tuberculosis treated?", part=1),
        ]
    )
    state.passages = {
        f"p{i}": Passage(id=f"p{i}", source="local", hit_id=f"h{i}", title=title, text=text)
        for i, (title, text) in enumerate(pages.items(), start=1)
    }
    return state


def test_the_opening_is_the_definition_on_the_page_the_subject_names() -> None:
    state = _state({"Lyme disease": LYME, "Tuberculosis": TB})
    found = subject_opening(state)
    assert found is not None
    page, text = found
    assert (page.title, text) == ("Tuberculosis", TB_OPENING)
    assert background_intro(state.question) == "What they say of tuberculosis:"


def test_a_namesake_read_beside_the_subject_s_page_does_not_hide_it() -> None:
    # A trial report on "How many moons does Jupiter have?" read *Jupiter (god)* too.
    state = _state({"Jupiter (god)": "Jupiter is the god of the sky.", "Jupiter": JUPITER})
    state.question = "How many moons does Jupiter have?"
    found = subject_opening(state)
    assert found is not None and found[0].title == "Jupiter"


def test_a_person_s_page_may_open_on_the_full_name() -> None:
    # A trial report on "Why was Galileo Galilei put on trial?" gave no background.
    opening = (
        "Galileo di Vincenzo Bonaiuti de' Galilei, commonly referred to as Galileo Galilei, "
        "was an Italian astronomer."
    )
    state = _state({"Galileo Galilei": opening + " He was born in Pisa."})
    state.question = "Why was Galileo Galilei put on trial?"
    found = subject_opening(state)
    assert found is not None and found[1] == opening


def test_an_opening_after_an_article_in_the_plural_or_with_a_middle_name_is_on_the_subject() -> (
    None
):
    # Trial reports on yeast, chameleons and Amelia Earhart declared their one part and
    # gave no background: "A yeast …", "Chameleons …", "Amelia Mary Earhart …".
    cases = [
        ("How does yeast make bread rise?", "Yeast", "A yeast is any species of fungus."),
        ("How do chameleons change colour?", "Chameleon", "Chameleons are a clade of lizards."),
        (
            "What happened to Amelia Earhart?",
            "Amelia Earhart",
            "Amelia Mary Earhart was an American aviator.",
        ),
        # After its field (a trial report on gravity gave no background).
        (
            "Who discovered gravity, and how does it work?",
            "Gravity",
            "In physics, gravity is a fundamental interaction.",
        ),
    ]
    for question, title, opening in cases:
        state = _state({title: opening + " It is known widely."})
        state.question = question
        found = subject_opening(state)
        assert found is not None and found[1] == opening, question
    assert background_intro("What happened to Amelia Earhart?") == (
        "What they say of Amelia Earhart:"
    )
    # A page opening on another word that starts like the subject is not about it.
    state = _state({"Yeast": "Yeasty flavours are common. Yeast is a fungus."})
    state.question = "How does yeast make bread rise?"
    assert subject_opening(state) is None


def test_no_opening_without_the_subject_s_page_or_when_it_defines_nothing() -> None:
    assert subject_opening(_state({"Lyme disease": LYME})) is None
    # A page on the subject that opens on something else is no definition of it: quoted
    # alone, "It is …" or a sentence about another thing would mislead.
    other = "Robert Koch identified the bacterium in 1882. " + TB
    assert subject_opening(_state({"Tuberculosis": other})) is None


async def test_the_background_is_checked_and_cites_a_note_of_its_page() -> None:
    state = _state({"Lyme disease": LYME, "Tuberculosis": TB})
    scorer = OverlapScorer()
    (sentence,) = await subject_background(state, scorer)
    assert (sentence.text, sentence.status, sentence.drafted_by) == (
        TB_OPENING,
        "supported",
        "code",
    )
    assert scorer.checked == [(TB_OPENING, TB)]
    (note,) = [state.note(n) for n in sentence.notes]
    assert (note.passage_id, note.quote, note.extracted_by) == ("p2", TB_OPENING, "background")


async def test_a_note_that_already_quotes_the_opening_is_cited_and_none_is_added() -> None:
    state = _state({"Tuberculosis": TB})
    state.notes = [
        Note(id="q1.n1", sub_question="q1", claim="c", quote=TB_OPENING, passage_id="p1")
    ]
    (sentence,) = await subject_background(state, OverlapScorer())
    assert sentence.notes == ["q1.n1"] and len(state.notes) == 1


class _Doubting:
    async def score_many(
        self, pairs: Sequence[tuple[str, str]], *, titles: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        return [Verdict("not_enough_info", 0.2) for _ in pairs]


async def test_no_background_the_check_does_not_support_or_a_section_already_prints() -> None:
    state = _state({"Tuberculosis": TB})
    assert await subject_background(state, _Doubting()) == []
    assert state.notes == []
    state.sections = [
        ReportSection(
            title="How does tuberculosis spread?",
            sub_question="q1",
            sentences=[Sentence(text=TB_OPENING, notes=["q1.n1"], status="supported")],
        )
    ]
    assert await subject_background(state, OverlapScorer()) == []
