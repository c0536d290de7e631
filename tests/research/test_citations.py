from lyceum.research.citations import (
    base_key,
    build_bibliography,
    cited_sentences,
    shown_sentences,
    uncited_count,
)
from lyceum.research.state import (
    Note,
    Passage,
    Plan,
    ReportSection,
    ResearchState,
    Sentence,
    SubQuestion,
)


def _state() -> ResearchState:
    state = ResearchState(run_id="r", question="q")
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question="q")])
    state.passages = {
        "p1": Passage(
            id="p1",
            source="local",
            hit_id="a",
            title="Black hole",
            url="https://en.wikipedia.org/wiki/Black_hole",
            text="t1",
        ),
        "p2": Passage(
            id="p2",
            source="local",
            hit_id="b",
            title="Black hole",
            url="https://en.wikipedia.org/wiki/Black_hole",
            text="t2",
        ),
        "p3": Passage(
            id="p3",
            source="arxiv",
            hit_id="c",
            title="Black holes: a review",
            arxiv_id="2101.00001",
            authors=["Ann Smith"],
            year=2021,
            text="t3",
        ),
        "p4": Passage(
            id="p4",
            source="local",
            hit_id="d",
            title="Black hole thermodynamics",
            path="/papers/bh.pdf",
            text="t4",
        ),
    }
    state.notes = [
        Note(id=f"q1.n{i}", sub_question="q1", claim="c", quote="c", passage_id=f"p{i}")
        for i in range(1, 5)
    ]
    state.sections = [
        ReportSection(
            title="t",
            sentences=[
                Sentence(text="One.", notes=["q1.n1", "q1.n3"], status="supported"),
                Sentence(text="Two.", notes=["q1.n2", "q1.n4"], status="supported"),
                Sentence(text="Dropped.", notes=["q1.n4"], status="dropped"),
                Sentence(text="One.", notes=["q1.n1"], status="rewritten"),
            ],
        )
    ]
    return state


def test_one_entry_per_document_with_unique_keys_mapping_to_locations_and_evidence() -> None:
    entries, note_keys = build_bibliography(_state())
    assert [e.key for e in entries] == ["blackhole", "smith2021", "blackholea"]
    assert entries[0].passages == ["p1", "p2"] and entries[0].notes == ["q1.n1", "q1.n2"]
    assert entries[1].location == "https://arxiv.org/abs/2101.00001"
    assert entries[2].location == "/papers/bh.pdf"
    assert note_keys["q1.n2"] == "blackhole"


def test_shown_sentences_skip_dropped_and_repeated_ones() -> None:
    said: set[str] = set()
    assert [s.text for s in shown_sentences(_state().sections[0], said)] == ["One.", "Two."]


def test_a_short_answer_copy_is_counted_once_and_its_sources_stay_in_the_bibliography() -> None:
    state = _state()
    copy = state.sections[0].sentences[0].model_copy()
    only_in_short = Sentence(text="Three.", notes=["q1.n3"], status="supported")
    state.short_answer = [copy, only_in_short]
    state.sections[0].sentences[2:] = []  # the pipeline may remove a sentence it moved
    texts = [s.text for s in cited_sentences(state)]
    assert texts == ["One.", "Three.", "Two."]
    entries, _ = build_bibliography(state)
    assert [e.key for e in entries] == ["blackhole", "smith2021", "blackholea"]


def test_uncited_statements_are_neither_shown_nor_cited() -> None:
    state = _state()
    uncited = Sentence(text="Maybe.", kind="hypothesis", confidence="high")
    state.sections[0].sentences.append(uncited)
    assert uncited not in shown_sentences(state.sections[0], set())
    assert uncited not in cited_sentences(state)
    assert uncited_count(state) == 1


def test_disambiguating_suffixes_stay_letters_past_z() -> None:
    from lyceum.research.citations import _suffix

    suffixes = [_suffix(i) for i in range(1, 800)]
    assert suffixes[:2] == ["a", "b"] and suffixes[25:28] == ["z", "aa", "ab"]
    assert len(set(suffixes)) == len(suffixes)
    assert all(s.isalpha() and s.islower() for s in suffixes)


def test_a_key_made_of_a_title_passes_over_initials() -> None:
    def key(title: str) -> str:
        return base_key(Passage(id="p", source="wiki", hit_id="h", title=title, text="t"))

    assert key("B. R. Ambedkar") == "ambedkar"
    assert key("J. R. R. Tolkien") == "tolkien"
    assert key("Vitamin A") == "vitamin"
    assert key("Printing press") == "printingpress"
    assert key("X") == "x"  # nothing but an initial: keep it
    # A letter that is no initial stays (a review's examples: *Saturn V* had collided with
    # *Saturn*, *Vitamin C* with *Vitamin D*).
    assert key("Saturn V") == "saturnv"
    assert key("Vitamin C") != key("Vitamin D")
    assert key("X-ray") == "xray"
