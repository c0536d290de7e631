import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from lyceum.config import load_settings
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.research import run_research
from lyceum.research.citations import printable
from lyceum.research.progress import ProgressEvent, ignore_progress
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import (
    Note,
    Passage,
    Plan,
    ReportSection,
    ResearchState,
    Sentence,
    SubQuestion,
    VerificationStats,
)
from lyceum.research.verify import Verifier, _named_sides
from lyceum.testing.research import MemorySource, Verdict

from .conftest import OverlapScorer, research_responder

PASSAGE = "Chlorophyll absorbs mostly blue and red light. Chlorophyll is found in the thylakoid membranes."


def _state(*sentences: Sentence) -> ResearchState:
    state = ResearchState(run_id="r", question="q")
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question="q")])
    state.passages["p1"] = Passage(id="p1", source="s", hit_id="h", text=PASSAGE)
    state.notes = [
        Note(
            id="q1.n1",
            sub_question="q1",
            claim="Chlorophyll absorbs blue and red light.",
            quote="Chlorophyll absorbs mostly blue and red light.",
            passage_id="p1",
        )
    ]
    state.sections = [ReportSection(title="t", sub_question="q1", sentences=list(sentences))]
    return state


async def test_every_cited_sentence_is_checked_and_unsupported_ones_are_rewritten() -> None:
    good = Sentence(text="Chlorophyll absorbs blue and red light.", notes=["q1.n1"])
    drifted = Sentence(text="Chlorophyll absorbs blue and red light at night.", notes=["q1.n1"])
    hypothesis = Sentence(text="Leaves may be green.", kind="hypothesis", confidence="low")
    state = _state(good, drifted, hypothesis)
    scorer = OverlapScorer(threshold=1.0)
    rewrite = ScriptedBackend(
        [json.dumps({"sentence": "Chlorophyll is in the thylakoid membranes."})]
    )
    stats = await Verifier(state, scorer, rewrite, ignore_progress).run()
    assert (stats.checked, stats.supported, stats.rewritten, stats.dropped, stats.hypotheses) == (
        2,
        1,
        1,
        0,
        1,
    )
    assert drifted.status == "rewritten"
    assert drifted.text == "Chlorophyll is in the thylakoid membranes."
    assert drifted.verdict is not None and drifted.verdict["verdict"] == "supported"
    assert all(claim != "Leaves may be green." for claim, _ in scorer.checked)


async def test_a_sentence_neither_rewrite_nor_quote_can_save_is_dropped() -> None:
    state = _state(Sentence(text="Chlorophyll absorbs blue and red light.", notes=["q1.n1"]))
    stats = await Verifier(
        state, OverlapScorer(threshold=2.0), ScriptedBackend(["bad", "bad"]), ignore_progress
    ).run()
    assert (stats.checked, stats.supported, stats.rewritten, stats.dropped) == (1, 0, 0, 1)
    assert state.sections[0].sentences[0].status == "dropped"


async def test_failed_rewrite_falls_back_to_the_quote() -> None:
    sentence = Sentence(text="Chlorophyll absorbs blue and red light at night.", notes=["q1.n1"])
    state = _state(sentence)
    stats = await Verifier(
        state, OverlapScorer(threshold=1.0), ScriptedBackend(["bad", "bad"]), ignore_progress
    ).run()
    assert stats.rewritten == 1
    assert sentence.text == "Chlorophyll absorbs mostly blue and red light."


async def test_a_rewrite_with_more_sentences_than_the_sentence_is_not_taken() -> None:
    # The 0.5B model, asked to rewrite one sentence, can answer with the whole passage: a
    # trial report printed a lead that opened on the sentence printed just before it.
    sentence = Sentence(text="Chlorophyll absorbs blue and red light at night.", notes=["q1.n1"])
    state = _state(sentence)
    stats = await Verifier(
        state,
        OverlapScorer(threshold=1.0),
        ScriptedBackend([json.dumps({"sentence": PASSAGE})]),
        ignore_progress,
    ).run()
    assert stats.rewritten == 1
    assert sentence.text == "Chlorophyll absorbs mostly blue and red light."


async def _focus_run(
    question: str,
    texts: list[str],
    title: str = "",
    *,
    pages: dict[str, str] | None = None,
    neighbour_floor: float | None = None,
    min_report_relevance: float = 0.0,
    parts: list[str] | None = None,
    part: int | None = None,
) -> tuple[list[Sentence], VerificationStats]:
    """`texts` as one section's sentences, each citing its own note on one passage (titled
    `title`), or each of `pages` (title: sentence) on a passage of its own, verified with
    MiniLM relevance and the report's focus cut."""
    from lyceum.research.relevance import load_relevance

    state = ResearchState(run_id="r", question=question, parts=parts or [])
    state.plan = Plan(sub_questions=[SubQuestion(id="q1", question=question, part=part)])
    cited = list(pages.items()) if pages else [(title, text) for text in texts]
    for i, (page, text) in enumerate(cited):
        pid = f"p{i}" if pages else "p1"
        if pid not in state.passages:
            body = text if pages else " ".join(texts)
            state.passages[pid] = Passage(id=pid, source="s", hit_id=pid, title=page, text=body)
        state.notes.append(
            Note(id=f"q1.n{i}", sub_question="q1", claim=text, quote=text, passage_id=pid)
        )
    sentences = [Sentence(text=n.claim, notes=[n.id]) for n in state.notes]
    state.sections = [ReportSection(title="t", sub_question="q1", sentences=sentences)]
    verifier = Verifier(
        state,
        OverlapScorer(threshold=0.5),
        ScriptedBackend([]),
        ignore_progress,
        relevance=load_relevance("minilm"),
        focus_margin=0.4,
        neighbour_floor=neighbour_floor,
        min_report_relevance=min_report_relevance,
    )
    return sentences, await verifier.run()


async def test_a_checked_sentence_far_from_the_reports_best_answer_is_dropped() -> None:
    # Sentences a neutron-star report cited (labels.jsonl, q01): the white-dwarf and
    # star-cluster ones were labelled off topic by hand, the others on topic.
    texts = [
        "A neutron star is the gravitationally collapsed core of a massive supergiant star.",
        "Pulsars are highly magnetized rotating neutron stars that emit beams of "
        "electromagnetic radiation out of their magnetic poles.",
        "A white dwarf is a very dense type of star: in an Earth-sized volume, it packs a mass "
        "that is comparable to the Sun.",
        "Most stars do not form in isolation but as part of a group of stars referred to as "
        "star clusters or stellar associations.",
    ]
    sentences, stats = await _focus_run("How do neutron stars form, and what are pulsars?", texts)
    assert [s.status for s in sentences] == ["supported", "supported", "dropped", "dropped"]
    assert sentences[3].verdict is not None and sentences[3].verdict["verdict"] == "off_topic"
    assert (stats.checked, stats.supported, stats.dropped) == (4, 2, 2)


async def test_a_sentence_of_the_page_the_question_names_is_focused_in_its_context() -> None:
    # From the test split's Columbian exchange report (q41): the source's own sentence on
    # the Indigenous population answers the second part without naming the exchange.
    question = (
        "What was the Columbian exchange, and how did it affect the Indigenous peoples "
        "of the Americas?"
    )
    texts = [
        "The Columbian exchange, also known as the Columbian interchange, was the widespread "
        "transfer of plants, animals, and diseases between the New World in the Western "
        "Hemisphere, and the Old World (Afro-Eurasia) in the Eastern Hemisphere, from the "
        "late 15th century on.",
        "Communicable diseases of Old World origin resulted in an 80 to 95 percent reduction "
        "in the Indigenous population of the Americas from the 15th century onwards, and their "
        "near extinction in the Caribbean.",
    ]
    sentences, _ = await _focus_run(question, texts, title="Columbian exchange")
    assert [s.status for s in sentences] == ["supported", "supported"]


async def test_a_sentence_of_a_page_the_question_does_not_name_must_reach_the_floor() -> None:
    # q24 of the dev split: the dinosaur report printed genus pages' sentences that say
    # neither what killed the dinosaurs nor which survived (labelled off topic by hand).
    question = "What killed the dinosaurs, and which dinosaurs survived?"
    pages = {
        "Dinosaur": "The fossil record shows that birds are feathered dinosaurs, and are the "
        "only dinosaur lineage known to have survived the Cretaceous-Paleogene extinction event.",
        "Tyrannosaurus": "Tyrannosaurus is a genus of large theropod dinosaur.",
    }
    for floor, statuses in ((None, ["supported", "supported"]), (1.1, ["supported", "dropped"])):
        sentences, _ = await _focus_run(question, [], pages=pages, neighbour_floor=floor)
        assert [s.status for s in sentences] == statuses


async def test_a_sentence_stating_the_asked_cause_of_the_subject_needs_no_floor() -> None:
    # q24 of the dev split: the linked page's resolved sentence answers "What killed the
    # dinosaurs?" at a focus of about 1.07, under the floor for pages the question does not
    # name; a genus page's sentence that states no cause is still held to the floor.
    question = "What killed the dinosaurs, and which dinosaurs survived?"
    pages = {
        "Dinosaur": "The fossil record shows that birds are feathered dinosaurs, and are the "
        "only dinosaur lineage known to have survived the Cretaceous-Paleogene extinction event.",
        "Cretaceous–Paleogene extinction event": "The Cretaceous–Paleogene extinction event "
        "caused the extinction of all the non-avian dinosaurs and most other tetrapods "
        "weighing more than 25 kilograms.",
        "Tyrannosaurus": "Tyrannosaurus is a genus of large theropod dinosaur.",
    }
    sentences, _ = await _focus_run(question, [], pages=pages, neighbour_floor=1.1)
    assert [s.status for s in sentences] == ["supported", "supported", "dropped"]


async def test_a_sentence_stating_a_work_of_the_subject_needs_no_floor() -> None:
    # A trial report declared "What did Leonardo da Vinci paint?" after dropping this
    # sentence of *The Last Supper* under the floor; another page's sentence naming no work
    # of his is still held to it.
    question = "Who was Leonardo da Vinci, and what did he paint?"
    pages = {
        "Leonardo da Vinci": "Leonardo da Vinci was an Italian polymath of the High "
        "Renaissance who was active as a painter.",
        "The Last Supper (Leonardo)": "The Last Supper is a mural painting by the Italian "
        "High Renaissance artist Leonardo da Vinci.",
        "Raphael": "Raphael, with Leonardo da Vinci and Michelangelo, was one of the great "
        "masters of the High Renaissance.",
    }
    sentences, _ = await _focus_run(question, [], pages=pages, neighbour_floor=4.0)
    assert [s.status for s in sentences] == ["supported", "supported", "dropped"]


async def test_the_report_bar_reads_a_sentence_of_a_named_page_under_its_title() -> None:
    # q07 of the dev split: mining took the Black hole page's sentence on the event horizon
    # (read "Black hole: …"), and the report's bar, reading it bare, dropped it (cosine
    # 0.44 to the question, 0.56 headed by the title). On a page the question does not name,
    # the same sentence is read bare and stays under the bar.
    question = (
        "What is a black hole, what is its event horizon, and do black holes emit Hawking "
        "radiation?"
    )
    texts = [
        "A black hole is a region of spacetime where gravity is so strong that nothing, not "
        "even light, can escape it.",
        "The boundary of no escape is called the event horizon.",
    ]
    for title, statuses in (
        ("Black hole", ["supported"] * 2),
        ("Gravity", ["supported", "dropped"]),
    ):
        sentences, _ = await _focus_run(question, texts, title=title, min_report_relevance=0.45)
        assert [s.status for s in sentences] == statuses, title


async def test_in_a_comparison_a_sentence_on_one_side_is_held_to_that_side() -> None:
    # A report on "How do vaccines differ from antibiotics?" printed vaccines only: each
    # side alone is half the question (0.46 for this one, under the bar of 0.5).
    question = "How do vaccines differ from antibiotics?"
    pages = {
        "Vaccine": "A vaccine is a biological preparation that provides active acquired "
        "immunity to a particular infectious or malignant disease.",
        "Antibiotic": "An antibiotic is the most important type of antibacterial agent for "
        "fighting bacterial infections, and antibiotic medications are widely used in the "
        "treatment and prevention of such infections.",
        "Polio vaccine": "The World Health Organization recommends all children be fully "
        "vaccinated against polio.",
    }
    statuses = {}
    for parts in (None, [question]):
        sentences, _ = await _focus_run(
            question, [], pages=pages, min_report_relevance=0.5, parts=parts
        )
        statuses[bool(parts)] = [s.status for s in sentences]
    assert statuses[False][1] == "dropped"  # the whole question's bar alone
    assert statuses[True] == ["supported", "supported", "dropped"]


async def test_a_compared_side_named_by_a_pronoun_is_read_as_what_it_stands_for() -> None:
    # "How does it differ from a star?": the side is the brown dwarf, not "it" (which every
    # sentence saying "it" had named, and whose relevance was then read for "What is it?").
    question = "What is a brown dwarf, and how does it differ from a star?"
    parts = ["What is a brown dwarf?", "How does it differ from a star?"]
    pages = {"Substellar object": "Most brown dwarfs are found in binary systems."}
    sentences, _ = await _focus_run(
        question, [], pages=pages, parts=parts, part=1, min_report_relevance=0.7
    )
    assert sentences[0].status == "supported"
    assert _named_sides("It glows faintly.", ("it", "star")) == []
    assert _named_sides("A star glows.", ("it", "star")) == ["star"]


class _RumourScorer(OverlapScorer):
    """Word overlap, but nothing that repeats a rumour is supported."""

    async def score_many(
        self, pairs: Sequence[tuple[str, str]], *, titles: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        verdicts = await super().score_many(pairs, titles=titles)
        return [
            Verdict("not_enough_info", 0.0) if "rumour" in claim.lower() else v
            for (claim, _), v in zip(pairs, verdicts, strict=True)
        ]


async def test_a_run_offers_unused_notes_in_the_places_of_dropped_sentences(
    tmp_path: Path, workspace: Path
) -> None:
    (workspace / "lyceum.toml").write_text('[retrieval]\nembedding_model = "hashing"\n')
    text = (
        "Plants use light energy to make sugar, a rumour from the garden says. "
        "Plants use light to open their stomata, says a rumour from the farm. "
        "Chlorophyll in the leaves absorbs red and blue light. "
        "Light energy splits water into oxygen and hydrogen ions."
    )
    events: list[ProgressEvent] = []
    model = ScriptedBackend([], default_output=None).enqueue(*[research_responder] * 50)
    model.embedded = True
    result = await run_research(
        "How do plants use light?",
        out_dir=tmp_path / "out",
        settings=load_settings(),
        config=ResearchSettings(max_rounds=1, compile_pdf=False, max_sentences_per_section=2),
        model=model,
        sources=[MemorySource({"leaf": ("Photosynthesis", text)})],
        scorer=_RumourScorer(),
        progress=events.append,
    )
    assert any("in the places of dropped" in e.message for e in events), (
        "no sentence was refilled: the scenario no longer tests the refill"
    )
    printed = [s for sec in result.state.sections for s in sec.sentences if printable(s)]
    assert printed and all("rumour" not in s.text.lower() for s in printed)
    # Both rumours were drafted first (the section holds two) and dropped; the two notes left
    # out were drafted in their places and checked, and the one on the question printed.
    checked = [s for sec in result.state.sections for s in sec.sentences if s.draft_verdict]
    assert sum("rumour" in s.text for s in checked) == 2
    assert any("splits water" in s.text for s in checked)
    assert any("Chlorophyll" in s.text for s in printed)
    assert result.state.verification.dropped >= 1


async def test_a_definition_of_a_kind_of_the_subject_is_off_the_question() -> None:
    # A trial report on cancer printed the definitions of breast and skin cancer.
    sentences, stats = await _focus_run(
        "What is cancer, and what causes it?",
        [],
        pages={
            "Cancer": "Cancer is a group of diseases involving abnormal cell growth.",
            "Breast cancer": "Breast cancer is a cancer that develops from breast tissue.",
            "Lung cancer": "Lung cancer is caused by genetic damage to the DNA of cells.",
        },
    )
    assert [s.status for s in sentences] == ["supported", "dropped", "supported"]
    assert stats.off_topic == 1


async def test_the_definition_a_part_asks_for_is_held_to_that_part() -> None:
    # A trial report on this question printed nothing: Van Gogh's page opens at 0.48 against
    # the whole question, under the bar, and at 0.64 against "Who was Vincent van Gogh?".
    question = "Who was Vincent van Gogh, and why did he cut off his ear?"
    pages = {
        "Vincent van Gogh": "Vincent Willem van Gogh was a Dutch Post-Impressionist painter "
        "who is among the most famous and influential figures in the history of Western art.",
        # Another page's definition is not what the part asks for.
        "Paul Gauguin": "Eugène Henri Paul Gauguin was a French Post-Impressionist artist.",
    }
    statuses = {}
    for parts in (None, ["Who was Vincent van Gogh?", "Why did he cut off his ear?"]):
        sentences, _ = await _focus_run(
            question, [], pages=pages, min_report_relevance=0.5, parts=parts
        )
        statuses[bool(parts)] = [s.status for s in sentences]
    assert statuses[False] == ["dropped", "dropped"]
    assert statuses[True] == ["supported", "dropped"]


async def test_what_the_asked_persons_own_page_says_of_them_answers_who_they_were() -> None:
    # A trial report on this question left out her awards: 0.37 against the question, under
    # the report's bar of 0.5.
    question = "Who was Lucille Ball, and what was I Love Lucy?"
    texts = [
        "Lucille Désirée Ball was an American comedian, actress, producer, and studio executive.",
        "Lucille Ball was nominated for 13 Primetime Emmy Awards, winning five, and was the "
        "recipient of several other accolades, such as two stars on the Hollywood Walk of Fame.",
    ]
    statuses = {}
    for parts in (None, ["Who was Lucille Ball?", "What was I Love Lucy?"]):
        sentences, _ = await _focus_run(
            question, texts, "Lucille Ball", min_report_relevance=0.5, parts=parts, part=0
        )
        statuses[bool(parts)] = [s.status for s in sentences]
    assert statuses[False] == ["supported", "dropped"]
    assert statuses[True] == ["supported", "supported"]


async def test_why_someone_did_something_is_not_answered_by_another_ones_page() -> None:
    # A trial report answered the second part with these two sentences.
    question = "What did Hans Krebs discover, and why did he receive the Nobel Prize?"
    pages = {
        "Hans Krebs (biochemist)": "The discovery of the citric acid cycle earned Krebs a "
        "Nobel Prize in Physiology or Medicine in 1953.",
        "Alfred Nobel": "Nobel is known for inventing dynamite, as well as having bequeathed "
        "his fortune to establish the Nobel Prizes.",
    }
    parts = ["What did Hans Krebs discover?", "Why did he receive the Nobel Prize?"]
    sentences, _ = await _focus_run(question, [], pages=pages, parts=parts, part=1)
    assert [s.status for s in sentences] == ["supported", "dropped"]


@pytest.mark.parametrize(
    ("question", "pages", "parts", "part"),
    [
        # A trial report answered "When did Tyrannosaurus live?" with Allosaurus's dates.
        (
            "How big was Tyrannosaurus, and when did it live?",
            {
                "Tyrannosaurus": "Fossils are found in formations dated to the late Cretaceous "
                "period, 69 to 66 million years ago.",
                "Allosaurus": "Allosaurus is a genus of theropod dinosaur that lived 155 to 143 "
                "million years ago during the late Jurassic period.",
            },
            ["How big was Tyrannosaurus?", "When did it live?"],
            1,
        ),
        # A trial report on Tokyo's population printed Sapporo's, which names Tokyo only
        # after its numbers; a sentence of Tokyo's own page is read under its title.
        (
            "What is the population of Tokyo, and why is it so large?",
            {
                "Tokyo": "The population of the city proper was over 14 million as of 2023.",
                "Sapporo": "As of July 31, 2023, the city has a population of 1,959,750, making "
                "it the largest city in Hokkaido and the largest north of Tokyo.",
            },
            ["What is the population of Tokyo?", "Why is it so large?"],
            0,
        ),
        # A trial report on Karachi's population printed Lahore's, which names Karachi
        # before its numbers but opens on its own page's subject.
        (
            "What is Karachi, and how many people live there?",
            {
                "Karachi": "Karachi is the largest city in Pakistan, with a population of over "
                "20 million.",
                "Lahore": "Lahore is the second-largest city in Pakistan, after Karachi, and "
                "27th largest in the world, with a population of over 14 million.",
            },
            ["What is Karachi?", "How many people live there?"],
            1,
        ),
        # Reworded, the number is still Lahore's: a clause break stands between Karachi and
        # the number (a review's example).
        (
            "What is Karachi, and how many people live there?",
            {
                "Karachi": "Karachi is the largest city in Pakistan, with a population of over "
                "20 million.",
                "Lahore": "Lahore is the second-largest city in Pakistan after Karachi, with a "
                "population of 14 million.",
            },
            ["What is Karachi?", "How many people live there?"],
            1,
        ),
        # A number said right after the subject is the subject's, whoever's page it is on.
        (
            "What was the dissolution of the Soviet Union, and when did it happen?",
            {
                "Cold War": "The Cold War began after the Second World War and ended with the "
                "dissolution of the Soviet Union in 1991.",
                "Revolutions of 1989": "The revolutions of 1989 were a wave of movements that "
                "ended communist rule across Central and Eastern Europe.",
            },
            ["What was the dissolution of the Soviet Union?", "When did it happen?"],
            1,
        ),
        # A trial report printed "Qinghai Lake is the largest lake in China" in its short
        # answer to "Why is Lake Baikal unique?".
        (
            "What is Lake Baikal, and why is it unique?",
            {
                "Lake Baikal": "Lake Baikal is a rift lake and the deepest lake in the world.",
                "Qinghai Lake": "Qinghai Lake is the largest lake in China.",
            },
            ["What is Lake Baikal?", "Why is it unique?"],
            1,
        ),
        # A trial report answered "What languages are spoken there?" after "What is the
        # capital of Morocco?" with Tunisia's official language.
        (
            "What is the capital of Morocco, and what languages are spoken there?",
            {
                "Morocco": "The official languages of Morocco are Arabic and Berber.",
                "Tunisia": "The official language of Tunisia is Arabic.",
            },
            ["What is the capital of Morocco?", "What languages are spoken there?"],
            1,
        ),
    ],
)
async def test_what_a_part_asks_of_the_subject_or_a_place_is_said_of_it(
    question: str, pages: dict[str, str], parts: list[str], part: int
) -> None:
    sentences, _ = await _focus_run(
        question, [], pages=pages, min_report_relevance=0.3, parts=parts, part=part
    )
    assert [s.status for s in sentences] == ["supported", "dropped"]


async def test_how_the_subject_forms_is_not_answered_by_how_another_thing_does() -> None:
    # A trial report answered "How are new species formed?" with how organisms are.
    question = "What is a species, and how are new species formed?"
    parts = ["What is a species?", "How are new species formed?"]
    made = (
        "Reproduction is the biological process by which new individual organisms are "
        "produced from their parent or parents."
    )
    formed = "New species are formed when populations become reproductively isolated."
    for text, status in [(made, "dropped"), (formed, "supported")]:
        page = "Reproduction" if text == made else "Speciation"
        sentences, _ = await _focus_run(question, [], pages={page: text}, parts=parts, part=1)
        assert [s.status for s in sentences] == [status]


async def test_a_definition_of_another_named_thing_than_the_first_part_asks_is_off_topic() -> None:
    # Trial reports on this question printed Cebu City's definition in the short answer and
    # under both parts.
    question = "What is Cebuano, and where is it spoken?"
    pages = {
        "Cebuano language": "Cebuano is spoken by the Visayan groups native to the islands "
        "of Cebu and Bohol in the Philippines.",
        "Cebu City": "Cebu City, officially the City of Cebu, is a highly urbanized city in "
        "the Central Visayas region of the Philippines.",
    }
    parts = ["What is Cebuano?", "Where is it spoken?"]
    for part in (0, 1):
        sentences, _ = await _focus_run(question, [], pages=pages, parts=parts, part=part)
        assert sentences[1].status == "dropped", part


async def test_a_section_on_how_something_works_keeps_what_it_is() -> None:
    # Only a mechanism answers "How do vaccines work?" (`could_answer`), but its section
    # keeps what a vaccine contains: held to the kind, dev sections dropped sentences that
    # answered the question's other parts. A section on how glass is made is held to it.
    cases = [
        (
            "How do vaccines work?",
            "Vaccine",
            [
                "A vaccine typically contains an agent that resembles a disease-causing "
                "microorganism.",
                "The agent stimulates the immune system to recognize it as a threat.",
            ],
            ["supported", "supported"],
        ),
        (
            "How is glass made?",
            "Glass",
            [
                "Glass is made by melting sand with soda ash and lime.",
                "Glass has found widespread use in windows and tableware.",
            ],
            ["supported", "dropped"],
        ),
    ]
    for question, title, texts, statuses in cases:
        sentences, _ = await _focus_run(question, texts, title, parts=[question], part=0)
        assert [s.status for s in sentences] == statuses, [s.verdict for s in sentences]


async def test_a_page_named_only_as_the_head_of_a_longer_name_must_reach_the_floor() -> None:
    # *Sea* for "the Dead Sea" is about the kind: a sentence of it that names no Dead Sea is
    # on a neighbouring subject (focus about 1.0), held to the floor like another page's.
    question = "What is the Dead Sea, and why is it so salty?"
    pages = {
        "Dead Sea": "The Dead Sea is a salt lake bordered by Jordan to the east and Israel and "
        "the West Bank to the west.",
        "Sea": "The sea moderates Earth's climate and has important roles in the water, "
        "carbon, and nitrogen cycles.",
    }
    for floor, statuses in ((None, ["supported", "supported"]), (1.1, ["supported", "dropped"])):
        sentences, _ = await _focus_run(question, [], pages=pages, neighbour_floor=floor)
        assert [s.status for s in sentences] == statuses


async def test_the_definition_of_the_kind_the_subject_is_one_of_is_off_topic() -> None:
    # A trial report on the Andromeda Galaxy printed *Galaxy*'s definition in its short
    # answer (focus 1.19, above the floor).
    pages = {
        "Andromeda Galaxy": "The Andromeda Galaxy is a barred spiral galaxy and is the nearest "
        "major galaxy to the Milky Way.",
        "Galaxy": "A galaxy is a physical system of stars, stellar remnants, interstellar gas, "
        "dust, and dark matter bound together by gravity.",
    }
    question = "What is the Andromeda Galaxy, and how far away is it?"
    sentences, _ = await _focus_run(question, [], pages=pages)
    assert [s.status for s in sentences] == ["supported", "dropped"]
    assert sentences[1].draft_verdict == {"verdict": "off_topic"}


async def test_the_subjects_thing_quoted_from_another_subjects_page_is_off_the_question() -> None:
    # A trial report printed Elephant's tusks under "How do walruses use their tusks?".
    question = "How do walruses use their tusks, and where do they live?"
    tusks = (
        "Tusks, which are derived from the incisor teeth, serve both as weapons and as tools "
        "for moving objects and digging."
    )
    sentences, _ = await _focus_run(question, [], pages={"Elephant": tusks})
    assert sentences[0].status == "dropped"
    assert sentences[0].draft_verdict == {"verdict": "off_topic"}


async def test_a_sentence_naming_neither_compared_thing_on_another_page_is_off_its_part() -> None:
    # A trial report printed Meteorite's "Meteorites vary greatly in size." under "How does
    # a meteoroid differ from a meteor?".
    question = "What is a meteoroid, and how does it differ from a meteor?"
    parts = ["What is a meteoroid?", "How does it differ from a meteor?"]
    pages = {
        "Meteorite": "Meteorites vary greatly in size.",
        "Meteor shower": "A meteor shower is a celestial event in which meteors are observed.",
    }
    sentences, _ = await _focus_run(question, [], pages=pages, parts=parts, part=1)
    assert [s.status for s in sentences] == ["dropped", "supported"]
