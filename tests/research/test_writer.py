import json

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Note, Passage, Plan, ResearchState, SubQuestion
from lyceum.research.writer import cite, write_section

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


async def test_unsupported_sentences_become_hypotheses_and_model_hypotheses_keep_confidence() -> (
    None
):
    reply = json.dumps(
        {
            "sentences": [
                {"text": "Chlorophyll absorbs red and blue light [1].", "notes": [1]},
                {"text": "Plants grow faster on the Moon than on Earth.", "notes": [2]},
            ],
            "hypotheses": [
                {"text": "Leaf colour probably tracks chlorophyll content.", "confidence": "medium"}
            ],
        }
    )
    state = _state()
    section = await write_section(
        ScriptedBackend([reply]), state, state.roots()[0], ResearchSettings()
    )
    kinds = [(s.kind, s.confidence, s.notes) for s in section.sentences]
    assert kinds == [
        ("fact", None, ["q1.n1"]),
        ("hypothesis", "low", []),
        ("hypothesis", "medium", []),
    ]
    assert section.sentences[0].text == "Chlorophyll absorbs red and blue light."


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
            "sentences": [{"text": "Chlorophyll absorbs red and blue light.", "notes": [1]}],
            "hypotheses": [
                {
                    "text": "The notes do not establish a hypothesis about light.",
                    "confidence": "low",
                }
            ],
        }
    )
    state = _state()
    section = await write_section(
        ScriptedBackend([reply]), state, state.roots()[0], ResearchSettings()
    )
    assert [s.text for s in section.sentences] == ["Chlorophyll absorbs red and blue light."]


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
