import json

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import (
    Note,
    Passage,
    Plan,
    ReportSection,
    ResearchState,
    Sentence,
    SubQuestion,
)
from lyceum.research.writer import (
    SectionOut,
    cite,
    clean_sentence,
    refill_section,
    reorder_section,
    stand_alone,
    write_section,
)

NOTES = [
    Note(
        id="q1.n1",
        sub_question="q1",
        claim="Chlorophyll absorbs red and blue light.",
        quote="Chlorophyll absorbs mostly blue and red light.",
        passage_id="p1",
    ),
    Note(
        id="q1.n2",
        sub_question="q1",
        claim="Oxygen is released by photosynthesis.",
        quote="Oxygen is released as a by-product of photosynthesis.",
        passage_id="p1",
    ),
]


def _state() -> ResearchState:
    state = ResearchState(run_id="r", question="How do plants use light?")
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question="How do plants use light?")])
    state.passages["p1"] = Passage(
        id="p1", source="s", hit_id="h", text=" ".join(n.quote for n in NOTES)
    )
    state.notes = list(NOTES)
    return state


def test_citations_are_mapped_from_the_notes_not_from_the_model() -> None:
    # The model claimed note 1 for a sentence about oxygen; code cites note 2.
    assert cite("Photosynthesis releases oxygen.", NOTES, [NOTES[0]]) == ["q1.n2"]
    assert cite("Bananas are yellow fruit.", NOTES) == []


async def test_an_uncited_statement_is_left_out_and_counted_not_printed() -> None:
    reply = json.dumps(
        {
            "sentences": [
                {"text": "Chlorophyll absorbs red and blue light [1].", "notes": [1]},
                {"text": "Plants grow faster on the Moon than on Earth.", "notes": [2]},
            ]
        }
    )
    state = _state()
    section = await write_section(
        ScriptedBackend([reply]), state, state.roots()[0], ResearchSettings()
    )
    shown = [s for s in section.sentences if s.status != "dropped"]
    assert ("Chlorophyll absorbs red and blue light.", ["q1.n1"]) in [
        (s.text, s.notes) for s in shown
    ]
    assert all(s.notes for s in shown)
    left_out = [s for s in section.sentences if not s.notes]
    assert [(s.text, s.status) for s in left_out] == [
        ("Plants grow faster on the Moon than on Earth.", "dropped")
    ]
    assert any("left out 1 uncited statement" in p for p in state.problems)


async def test_a_model_hypothesis_from_an_old_cached_answer_is_not_written() -> None:
    # Answers cached before the prompt stopped asking for hypotheses still carry them.
    reply = json.dumps(
        {
            "sentences": [{"text": "Chlorophyll absorbs red and blue light.", "notes": [1]}],
            "hypotheses": [
                {"text": "Leaf colour probably tracks chlorophyll content.", "confidence": "high"}
            ],
        }
    )
    state = _state()
    section = await write_section(
        ScriptedBackend([reply]), state, state.roots()[0], ResearchSettings()
    )
    texts = [s.text for s in section.sentences]
    assert "Chlorophyll absorbs red and blue light." in texts
    assert not any("Leaf colour" in t for t in texts)


def test_the_writer_prompt_no_longer_asks_for_hypotheses() -> None:
    from lyceum.research import prompts

    user = prompts.render("writer_user", question="q", title="t", notes="n", n=3)
    assert "hypothes" in user.lower() and "no hypotheses" in user.lower()
    assert "hypotheses" not in SectionOut.model_json_schema()["properties"]


async def test_unusable_writer_output_gives_an_extractive_section() -> None:
    state = _state()
    section = await write_section(
        ScriptedBackend(["nope", "nope"]), state, state.roots()[0], ResearchSettings()
    )
    assert [s.notes for s in section.sentences] == [["q1.n1"], ["q1.n2"]]
    assert any("extractively" in p for p in state.problems)


async def test_sentences_about_the_notes_themselves_are_left_out() -> None:
    reply = json.dumps(
        {
            "sentences": [
                {"text": "Chlorophyll absorbs red and blue light.", "notes": [1]},
                {"text": "The notes do not say how much light plants absorb.", "notes": [1]},
            ]
        }
    )
    state = _state()
    section = await write_section(
        ScriptedBackend([reply]), state, state.roots()[0], ResearchSettings()
    )
    texts = [s.text for s in section.sentences]
    assert "Chlorophyll absorbs red and blue light." in texts
    assert not any("notes" in t for t in texts)


async def test_a_sentence_restated_in_other_words_is_written_once() -> None:
    reply = json.dumps(
        {
            "sentences": [
                {"text": "Chlorophyll absorbs red and blue light.", "notes": [1]},
                {"text": "Chlorophyll absorbs blue and red light.", "notes": [1]},
                {"text": "Oxygen is released by photosynthesis.", "notes": [2]},
            ],
            "hypotheses": [],
        }
    )
    state = _state()
    section = await write_section(
        ScriptedBackend([reply]), state, state.roots()[0], ResearchSettings()
    )
    assert [s.text for s in section.sentences] == [
        "Chlorophyll absorbs red and blue light.",
        "Oxygen is released by photosynthesis.",
    ]


def _titled_state() -> ResearchState:
    """Two pages whose sentences open with pronouns, as Wikipedia leads do."""
    state = ResearchState(run_id="r", question="What is the core of a neutron star?")
    state.plan = Plan(
        sub_questions=[
            SubQuestion(
                id="q1",
                question="What is the core of a neutron star?",
                heading="The core of a neutron star",
            )
        ]
    )
    pages = {
        "p1": (
            "Neutron star",
            "A neutron star is the collapsed core of a massive supergiant star. "
            "It results from the supernova explosion of a massive star. "
            "These objects are very dense.",
        ),
        "p2": ("Pulsar", "A pulsar is a rotating neutron star that emits beams of radiation."),
    }
    for pid, (title, text) in pages.items():
        state.passages[pid] = Passage(id=pid, source="s", hit_id=pid, title=title, text=text)
    quotes = [
        ("p2", "A pulsar is a rotating neutron star that emits beams of radiation."),
        ("p1", "It results from the supernova explosion of a massive star."),
        ("p1", "These objects are very dense."),
        ("p1", "A neutron star is the collapsed core of a massive supergiant star."),
    ]
    state.notes = [
        Note(id=f"q1.n{i}", sub_question="q1", claim=q, quote=q, passage_id=pid)
        for i, (pid, q) in enumerate(quotes, start=1)
    ]
    return state


async def test_extractive_sentences_stand_alone_and_read_as_a_paragraph() -> None:
    state = _titled_state()
    section = await write_section(
        ScriptedBackend(["nope", "nope"]), state, state.roots()[0], ResearchSettings()
    )
    assert section.title == "The core of a neutron star"
    assert [s.text for s in section.sentences] == [
        # The neutron-star page says most about the question; its sentences in page order.
        "A neutron star is the collapsed core of a massive supergiant star.",
        # "These objects …" points back at the sentence before it, printed already.
        "A neutron star results from the supernova explosion of a massive star. "
        "These objects are very dense.",
        "A pulsar is a rotating neutron star that emits beams of radiation.",
    ]


async def test_without_the_writer_model_a_section_is_its_notes_made_to_stand_alone() -> None:
    state = _titled_state()
    model = ScriptedBackend([])
    config = ResearchSettings(draft_with_model=False)
    section = await write_section(model, state, state.roots()[0], config)
    assert model.history == []
    assert [s.text for s in section.sentences] == [
        "A neutron star is the collapsed core of a massive supergiant star.",
        "A neutron star results from the supernova explosion of a massive star. "
        "These objects are very dense.",
        "A pulsar is a rotating neutron star that emits beams of radiation.",
    ]
    assert [s.notes for s in section.sentences] == [["q1.n4"], ["q1.n2", "q1.n3"], ["q1.n1"]]
    assert not any("extractively" in p for p in state.problems)
    assert {s.drafted_by for s in section.sentences} == {"code"}


async def test_a_drafted_sentence_opening_with_a_pronoun_is_resolved_from_its_citation() -> None:
    reply = json.dumps(
        {
            "sentences": [
                {
                    "text": "It results from the supernova explosion of a massive star.",
                    "notes": [2],
                },
                {"text": "These objects are very dense.", "notes": [3]},
            ]
        }
    )
    state = _titled_state()
    section = await write_section(
        ScriptedBackend([reply]), state, state.roots()[0], ResearchSettings()
    )
    pairs = [(s.text, s.notes) for s in section.sentences]
    # The model's "These objects are very dense." does not stand alone; the note's quote,
    # added by code, is given the sentence before it.
    assert (
        "A neutron star results from the supernova explosion of a massive star. "
        "These objects are very dense.",
        ["q1.n2", "q1.n3"],
    ) in pairs
    assert not any(t.startswith(("It ", "These ")) for t, _ in pairs)


async def test_evidence_the_draft_left_out_is_added_in_the_sources_words() -> None:
    reply = json.dumps(
        {"sentences": [{"text": "Chlorophyll absorbs red and blue light.", "notes": [1]}]}
    )
    state = _state()
    section = await write_section(
        ScriptedBackend([reply]), state, state.roots()[0], ResearchSettings()
    )
    cited = {n for s in section.sentences for n in s.notes}
    assert cited == {n.id for n in state.notes_for("q1")}
    # The model drafted the first; code added the second from its note.
    assert [(s.notes, s.drafted_by) for s in section.sentences] == [
        (["q1.n1"], "model"),
        (["q1.n2"], "code"),
    ]


async def test_a_mined_note_is_kept_first_when_the_section_is_full() -> None:
    # The section holds 2 sentences; the worker's 3 notes come first in reading order and
    # the mined note (the passage's sentence that answers the part best) last.
    quotes = [
        "Leaves are green because chlorophyll reflects green light.",
        "Plants grow towards light by phototropism.",
        "Leaves are arranged on the stem to catch sunlight.",
        "Photosynthesis turns light energy into chemical energy stored in sugars.",
    ]
    state = ResearchState(run_id="r", question="How do plants use light?")
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question="How do plants use light?")])
    state.passages["p1"] = Passage(id="p1", source="s", hit_id="h", text=" ".join(quotes))
    state.notes = [
        Note(id=f"q1.n{i}", sub_question="q1", claim=q, quote=q, passage_id="p1")
        for i, q in enumerate(quotes[:3], start=1)
    ] + [
        Note(
            id="q1.m1",
            sub_question="q1",
            claim=quotes[3],
            quote=quotes[3],
            passage_id="p1",
            extracted_by="mined",
        )
    ]
    section = await write_section(
        ScriptedBackend(["not json"]),
        state,
        state.roots()[0],
        ResearchSettings(max_sentences_per_section=2),
    )
    kept = [s.notes for s in section.sentences if s.status != "dropped"]
    assert len(kept) == 2
    assert ["q1.m1"] in kept
    # Ranked (`mining.rank_part_notes`): the best-scored notes are kept, mined or not.
    state.sections = []
    ranked = await write_section(
        ScriptedBackend([]),
        state,
        state.roots()[0],
        ResearchSettings(max_sentences_per_section=2, draft_with_model=False),
        rank={"q1.n1": 0.2, "q1.n2": 0.9, "q1.n3": 1.1, "q1.m1": 0.5},
    )
    assert sorted(s.notes[0] for s in ranked.sentences if s.status != "dropped") == [
        "q1.n2",
        "q1.n3",
    ]


async def test_a_drafted_sentence_that_swaps_the_subject_of_its_quote_is_written_as_the_quote() -> (
    None
):
    quote = (
        "A chloroplast is a type of organelle known as a plastid that conducts photosynthesis "
        "mostly in plant and algal cells."
    )
    state = ResearchState(run_id="r", question="What role does chlorophyll play?")
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question=state.question)])
    state.passages["p1"] = Passage(id="p1", source="s", hit_id="h", title="Chloroplast", text=quote)
    state.notes = [Note(id="q1.n1", sub_question="q1", claim=quote, quote=quote, passage_id="p1")]
    swapped = quote.replace("A chloroplast", "Chlorophyll")
    reply = json.dumps({"sentences": [{"text": swapped, "notes": [1]}]})
    section = await write_section(
        ScriptedBackend([reply]), state, state.roots()[0], ResearchSettings()
    )
    assert [s.text for s in section.sentences if s.status != "dropped"] == [quote]


async def test_an_aspect_section_writes_only_from_the_document_it_is_headed_by() -> None:
    # A dev report headed an aspect section "Allosaurus" over a sentence of *Sauropoda*.
    state = ResearchState(run_id="r", question="What killed the dinosaurs?")
    aspect = SubQuestion(
        id="q3",
        question="What killed the dinosaurs? (Allosaurus)",
        origin="aspect",
        heading="Allosaurus",
    )
    state.plan = Plan(sub_questions=[aspect])
    own = "Allosaurus lived 155 to 143 million years ago."
    other = "Well-known genera include Alamosaurus and Apatosaurus."
    for pid, title, text in (("p1", "Allosaurus", own), ("p2", "Sauropoda", other)):
        state.passages[pid] = Passage(id=pid, source="s", hit_id=pid, title=title, text=text)
        state.notes.append(
            Note(id=f"q3.{pid}", sub_question="q3", claim=text, quote=text, passage_id=pid)
        )
    section = await write_section(
        ScriptedBackend([]), state, aspect, ResearchSettings(draft_with_model=False)
    )
    assert [s.text for s in section.sentences if s.notes] == [own]


async def test_a_quote_pointing_back_is_given_the_sentence_before_it() -> None:
    # The dev Moon report left out "This tidal locking effectively synchronizes ...".
    state = _titled_state()
    moon = (
        "The Moon is Earth's only natural satellite. Its gravity causes tides on Earth, and "
        "has pulled the Moon to always face Earth with the same side. This tidal locking "
        "synchronizes the Moon's rotation period to its orbital period."
    )
    state.passages["p3"] = Passage(id="p3", source="s", hit_id="p3", title="Moon", text=moon)
    locking = "This tidal locking synchronizes the Moon's rotation period to its orbital period."
    state.notes = [
        Note(id="q1.n1", sub_question="q1", claim=locking, quote=locking, passage_id="p3")
    ]
    config = ResearchSettings(draft_with_model=False)
    section = await write_section(ScriptedBackend([]), state, state.roots()[0], config)
    assert [s.text for s in section.sentences] == [
        "The Moon's gravity causes tides on Earth, and has pulled the Moon to always face Earth "
        "with the same side. " + locking
    ]
    joined = section.sentences[0].text
    # Nor when an earlier section printed it whole; and an earlier section's sentence that
    # is its opening becomes it, where it stands, so the reader sees the opening once.
    opening = "Its gravity causes tides on Earth, and has pulled the Moon to always face Earth with the same side."
    earlier = ReportSection(
        title="q0", sub_question="q0", sentences=[Sentence(text=joined, notes=["q1.n1"])]
    )
    state.sections = [earlier]
    again = await write_section(ScriptedBackend([]), state, state.roots()[0], config)
    assert again.sentences == []
    resolved = "The Moon's gravity" + opening[len("Its gravity") :]
    earlier.sentences = [Sentence(text=resolved, notes=["q1.n0"])]
    note = Note(id="q1.n0", sub_question="q1", claim=opening, quote=opening, passage_id="p3")
    state.notes.append(note)
    used = {opening}
    again = await write_section(
        ScriptedBackend([]), state, state.roots()[0], config, used_quotes=used
    )
    assert again.sentences == []
    assert earlier.sentences[0].text == joined and earlier.sentences[0].notes == ["q1.n0", "q1.n1"]
    state.sections = []
    state.notes = [note, state.notes[0]]
    # Within a section the same: its opening, said first, becomes it.
    section = await write_section(ScriptedBackend([]), state, state.roots()[0], config)
    assert [s.text for s in section.sentences] == [joined]
    assert section.sentences[0].notes == ["q1.n0", "q1.n1"]


def test_a_quote_pointing_at_two_things_is_joined_only_to_a_sentence_naming_two() -> None:
    # The test split's immune-system report (q33) printed "The adaptive immune system
    # provides … Both use molecules and cells …": the innate system was named a sentence
    # further back.
    text = (
        "The immune system has two subsystems, the innate and the adaptive immune system. "
        "The adaptive immune system learns to recognize molecules it has encountered. "
        "Both use molecules and cells to perform their functions."
    )
    state = ResearchState(run_id="r", question="How does the immune system work?")
    state.passages["p1"] = Passage(
        id="p1", source="s", hit_id="h", title="Immune system", text=text
    )
    both = "Both use molecules and cells to perform their functions."
    note = Note(id="q1.n1", sub_question="q1", claim=both, quote=both, passage_id="p1")
    assert stand_alone(state, both, note, with_before=True) is None
    named = "The innate and the adaptive immune system each learn."
    state.passages["p2"] = Passage(
        id="p2", source="s", hit_id="h2", title="Immune system", text=f"{named} {both}"
    )
    note2 = note.model_copy(update={"passage_id": "p2"})
    assert stand_alone(state, both, note2, with_before=True) == f"{named} {both}"


def _quoted(question: str, title: str, text: str, quote: str) -> tuple[ResearchState, Note]:
    """A run on `question` that read one passage, `title`: `text`, and noted `quote` of it."""
    state = ResearchState(run_id="r", question=question)
    state.passages["p1"] = Passage(id="p1", source="s", hit_id="h", title=title, text=text)
    return state, Note(id="q1.n1", sub_question="q1", claim=quote, quote=quote, passage_id="p1")


def test_a_quote_whose_sentence_before_points_back_too_is_given_the_two_before_it() -> None:
    # The dev report on World War I read this page by following a link and could not print
    # its answer to "What triggered World War I?": "They were shot …" stands alone no more
    # than "The incident …".
    lead = (
        "Archduke Franz Ferdinand of Austria and his wife were assassinated by Gavrilo Princip "
        "in Sarajevo on 28 June 1914."
    )
    shot = "They were shot at close range while being driven through the city."
    incident = "The incident was one of the key events that led to World War I."
    state, note = _quoted(
        "What triggered World War I?",
        "Assassination of Archduke Franz Ferdinand",
        f"{lead} {shot} {incident}",
        incident,
    )
    assert stand_alone(state, incident, note, with_before=True) == f"{lead} {shot} {incident}"
    assert stand_alone(state, incident, note) is None  # only the quote itself is given more
    # Not past two sentences, nor past the longest join.
    state.passages["p1"].text = f"{lead} {shot} {shot} {incident}"
    assert stand_alone(state, incident, note, with_before=True) is None
    long_shot = (
        "They were shot at close range while being driven through the city " + "and " * 80 + "fast."
    )
    state.passages["p1"].text = f"{lead} {long_shot} {incident}"
    assert stand_alone(state, incident, note, with_before=True) is None


def test_a_quote_pointing_at_one_thing_is_not_given_a_plural_before_it() -> None:
    # The dev report on the dinosaurs printed "Fossils are found in … It was one of the last
    # known members of the tyrannosaurids …": "It" is the dinosaur, not the fossils.
    last = "It was one of the last known members of the tyrannosaurids."
    fossils = "Fossils are found in a variety of geological formations."
    lead = "Tyrannosaurus is a genus of large theropod dinosaur."
    state, note = _quoted(
        "What killed the dinosaurs?", "Tyrannosaurus", f"{lead} {fossils} {last}", last
    )
    assert stand_alone(state, last, note, with_before=True) is None
    # A singular sentence before it is given, as before.
    single = "The type species was described in 1905."
    state.passages["p1"].text = f"{lead} {single} {last}"
    assert stand_alone(state, last, note, with_before=True) == f"{single} {last}"


# The dev report on the Big Bang: three of the six notes its section kept were dropped by the
# check as off the question, and a nugget (the age, 13.8 billion years) waited unused among
# its notes.
BIG_BANG = [
    "The Big Bang is a physical theory that describes how the universe expanded.",
    "Galaxy formation is hypothesized to occur from structure formation theories.",
    "A starburst galaxy is one undergoing an exceptionally high rate of star formation.",
    "Detailed measurements date the earliest state to 13.8 billion years ago.",
    "The Big Bang model is now widely accepted.",
]


async def _big_bang_section(limit: int) -> tuple[ResearchState, ReportSection]:
    question = "What is the Big Bang theory?"
    state = ResearchState(run_id="r", question=question)
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question=question)])
    state.passages["p1"] = Passage(
        id="p1", source="s", hit_id="h", title="Big Bang", text=" ".join(BIG_BANG)
    )
    state.notes = [
        Note(id=f"q1.n{i}", sub_question="q1", claim=q, quote=q, passage_id="p1")
        for i, q in enumerate(BIG_BANG, start=1)
    ]
    section = await write_section(
        ScriptedBackend([]),
        state,
        state.roots()[0],
        ResearchSettings(max_sentences_per_section=limit, draft_with_model=False),
    )
    state.sections.append(section)
    return state, section


async def test_a_note_left_out_is_offered_in_the_place_of_a_dropped_sentence() -> None:
    state, section = await _big_bang_section(limit=3)
    assert [s.notes[0] for s in section.sentences] == ["q1.n1", "q1.n2", "q1.n3"]
    for s in section.sentences:
        s.status = "dropped" if s.notes[0] in ("q1.n2", "q1.n3") else "supported"
    config = ResearchSettings(max_sentences_per_section=3)
    # The best unused notes first (`rank`): two places are free.
    rank = {"q1.n4": 0.9, "q1.n5": 0.8}
    assert refill_section(state, section, state.roots()[0], config, rank) == 2
    drafts = [s for s in section.sentences if s.status == "draft"]
    assert [s.notes for s in drafts] == [["q1.n4"], ["q1.n5"]]
    assert drafts[0].text == BIG_BANG[3] and drafts[0].drafted_by == "code"
    # The dropped sentences stay dropped, and their notes are not offered again.
    assert sum(s.status == "dropped" for s in section.sentences) == 2
    for s in drafts:
        s.status = "supported"
    assert refill_section(state, section, state.roots()[0], config, rank) == 0
    # Printed in the passage's order, what is not printed after it.
    reorder_section(state, section, state.roots()[0])
    assert [s.notes[0] for s in section.sentences] == ["q1.n1", "q1.n4", "q1.n5", "q1.n2", "q1.n3"]


async def test_a_section_the_check_left_whole_or_full_is_not_refilled() -> None:
    state, section = await _big_bang_section(limit=3)
    config = ResearchSettings(max_sentences_per_section=3)
    for s in section.sentences:
        s.status = "supported"
    assert refill_section(state, section, state.roots()[0], config) == 0
    section.sentences[0].status = "dropped"
    # Full: the limit counts printed sentences only, and one place is free.
    assert refill_section(state, section, state.roots()[0], config) == 1
    assert refill_section(state, section, state.roots()[0], config) == 0


async def test_a_refill_never_changes_a_sentence_already_checked() -> None:
    # "This idea was first proposed by Lemaitre." points back; as the quote it is given the
    # sentence before it as its opening, which the section prints checked already: it is left
    # out rather than joined to that sentence's text.
    text = "The Big Bang model is now widely accepted. This idea was first proposed by Lemaitre."
    question = "What is the Big Bang theory?"
    state = ResearchState(run_id="r", question=question)
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question=question)])
    state.passages["p1"] = Passage(id="p1", source="s", hit_id="h", title="Big Bang", text=text)
    quotes = [
        "The Big Bang model is now widely accepted.",
        "This idea was first proposed by Lemaitre.",
    ]
    state.notes = [
        Note(id=f"q1.n{i}", sub_question="q1", claim=q, quote=q, passage_id="p1")
        for i, q in enumerate(quotes, start=1)
    ]
    kept = Sentence(text=quotes[0], notes=["q1.n1"], status="supported", draft_text=quotes[0])
    dropped = Sentence(text="Galaxies form.", notes=["q1.n3"], status="dropped")
    state.notes.append(
        Note(
            id="q1.n3",
            sub_question="q1",
            claim="Galaxies form.",
            quote="Galaxies form.",
            passage_id="p1",
        )
    )
    section = ReportSection(title="T", sub_question="q1", sentences=[kept, dropped])
    state.sections.append(section)
    added = refill_section(state, section, state.roots()[0], ResearchSettings())
    assert kept.text == quotes[0] and kept.notes == ["q1.n1"]
    assert added == 0


def test_a_models_citation_marks_go_and_a_pages_own_brackets_stay() -> None:
    assert clean_sentence("Radium was discovered in 1898 [2] [mariecurie]") == (
        "Radium was discovered in 1898."
    )
    # An editor's insertion in the page's own sentence: a trial report on Marie Curie had
    # printed "the 1911 Nobel Prize in Chemistry " the discovery of …".
    quote = 'She won the 1911 Nobel Prize in Chemistry "[for] the discovery of radium".'
    assert clean_sentence(quote, quote) == quote
    # A model's mark beside it still goes.
    assert clean_sentence(quote[:-1] + " [1]", quote) == quote


def test_a_sentence_ending_in_a_quotation_gets_no_second_full_stop() -> None:
    quote = 'He shared the prize "in recognition of their contributions to wireless telegraphy."'
    assert clean_sentence(quote) == quote
    assert clean_sentence('He shared it "for telegraphy"') == 'He shared it "for telegraphy".'


def test_a_paragraph_opens_on_the_page_the_question_names() -> None:
    # A trial report on Lesotho opened on South Africa's "South Africa also encloses
    # Lesotho.", above Lesotho's definition, which shares fewer words with the question.
    from lyceum.research.writer import paragraph_order

    state = ResearchState(run_id="r", question="What is Lesotho?")
    enclosed = "South Africa also encloses Lesotho."
    definition = "Lesotho, officially the Kingdom of Lesotho, is a landlocked country in Africa."
    for pid, title, text in [("p1", "South Africa", enclosed), ("p2", "Lesotho", definition)]:
        state.passages[pid] = Passage(id=pid, source="s", hit_id=pid, title=title, text=text)
        state.notes.append(
            Note(id=f"q1.{pid}", sub_question="q1", claim=text, quote=text, passage_id=pid)
        )
    sentences = [
        Sentence(text=enclosed, notes=["q1.p1"]),
        Sentence(text=definition, notes=["q1.p2"]),
    ]
    ordered = paragraph_order(state, "What is Lesotho?", sentences)
    assert [s.text for s in ordered] == [definition, enclosed]


async def test_a_comparisons_section_keeps_the_opening_of_each_things_page() -> None:
    # A trial report on "What is the difference between weather and climate?" ranked
    # *Climate*'s opening below sentences on weather and left it out of a full section.
    question = "What is the difference between weather and climate?"
    pages = {
        "Weather": [
            "Weather is the state of the atmosphere at a specific place and time.",
            'When used without qualification, "weather" is understood to mean the weather of '
            "Earth.",
        ],
        "Climate": [
            "Climate is the long-term weather pattern in a region, typically averaged over 30 "
            "years.",
            "Some of the meteorological variables that are commonly measured are temperature "
            "and humidity.",
        ],
    }
    state = ResearchState(run_id="r", question=question, parts=[question])
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question=question, part=0)])
    for i, (title, quotes) in enumerate(pages.items()):
        pid = f"p{i}"
        state.passages[pid] = Passage(
            id=pid, source="s", hit_id=pid, title=title, text=" ".join(quotes)
        )
        state.notes += [
            Note(id=f"q1.n{i}{j}", sub_question="q1", claim=q, quote=q, passage_id=pid)
            for j, q in enumerate(quotes)
        ]
    section = await write_section(
        ScriptedBackend([]),
        state,
        state.roots()[0],
        ResearchSettings(max_sentences_per_section=2, draft_with_model=False),
        rank={"q1.n00": 1.0, "q1.n01": 0.95, "q1.n10": 0.9, "q1.n11": 0.8},
    )
    assert sorted(s.notes[0] for s in section.sentences if s.status != "dropped") == [
        "q1.n00",
        "q1.n10",
    ]


def test_a_doubled_full_stop_is_printed_once_and_an_ellipsis_stays() -> None:
    # *Magellan expedition*'s lead ends a sentence "… of the Earth.." (a trial report printed
    # it so).
    assert clean_sentence("It made the first circumnavigation of the Earth..") == (
        "It made the first circumnavigation of the Earth."
    )
    assert clean_sentence("Lists go on...") == "Lists go on..."


def test_a_space_the_leads_left_before_a_comma_is_not_printed() -> None:
    # *Kyoto*'s lead lost a parenthesis after "Kyoto City" (a trial report printed it so).
    assert clean_sentence("Kyoto, officially Kyoto City , is the capital of Kyoto Prefecture") == (
        "Kyoto, officially Kyoto City, is the capital of Kyoto Prefecture."
    )
    assert clean_sentence("In Japan it is known simply as pops .") == (
        "In Japan it is known simply as pops."
    )
    assert clean_sentence("The odds were 3 : 1 against it.") == "The odds were 3 : 1 against it."
