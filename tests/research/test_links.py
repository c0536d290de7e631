"""Following links: the pages that the passages read name are read when they can answer."""

from pathlib import Path

import pytest

from lyceum.config import load_settings
from lyceum.research import ResearchSettings, run_research
from lyceum.research.links import TitleIndex, candidates, find_links, link_follow_ups
from lyceum.research.progress import ProgressEvent
from lyceum.research.relevance import load_relevance
from lyceum.research.state import Passage, ResearchState, SubQuestion
from lyceum.research.workers import choose_passages
from lyceum.sources.base import TitledSource
from lyceum.testing.research import MemorySource, OverlapScorer, TitledMemorySource

from .conftest import CORPUS, planned_state

QUESTION = "What killed the dinosaurs, and which dinosaurs survived?"
# As on the dev question: the genera the queries retrieve name the extinction event, whose
# page no query retrieves; they also name a period whose page answers nothing asked.
TYRANNOSAURUS = (
    "Tyrannosaurus is a genus of large theropod dinosaur. It was among the last non-avian "
    "dinosaurs to exist before the Cretaceous–Paleogene extinction event. It lived in what "
    "is now western North America during the Jurassic and later."
)
DOCS = {
    "trex": ("Tyrannosaurus", TYRANNOSAURUS),
    "kpg": (
        "Cretaceous–Paleogene extinction event",
        "The Cretaceous–Paleogene extinction event killed all the non-avian dinosaurs 66 "
        "million years ago; birds are the only dinosaurs that survived it.",
    ),
    "jurassic": (
        "Jurassic",
        "The Jurassic is a geologic period and stratigraphic system that spanned from the end "
        "of the Triassic Period 201.4 million years ago to the beginning of the Cretaceous "
        "Period.",
    ),
    "ww2": ("World War II", "World War II was a global conflict between two coalitions."),
}


def _state(
    question: str = QUESTION,
    parts: tuple[str, ...] = ("What killed the dinosaurs?", "Which dinosaurs survived?"),
    text: str = TYRANNOSAURUS,
) -> ResearchState:
    state = planned_state(question, parts)
    state.passages["p1"] = Passage(
        id="p1", source="memory", hit_id="trex", title="Tyrannosaurus", text=text
    )
    return state


def test_a_text_names_a_title_word_for_word_and_the_longest_wins() -> None:
    index = TitleIndex.of([TitledMemorySource(DOCS)])
    assert index.named(TYRANNOSAURUS) == [
        "Tyrannosaurus",
        "Cretaceous–Paleogene extinction event",
        "Jurassic",
    ]
    # Case aside, but whole words only: "Jurassics" and "pre-Jurassic" name no page.
    assert index.named("the jurassic coast") == ["Jurassic"]
    assert index.named("Jurassics and pre-Jurassic rocks") == []
    assert TitleIndex.of([MemorySource(DOCS)]).named(TYRANNOSAURUS) == []  # lists no titles


def test_the_candidates_leave_out_pages_read_and_namesakes() -> None:
    state = _state("What triggered World War I?")
    state.passages["p1"] = Passage(
        id="p1",
        source="memory",
        hit_id="x",
        title="Tyrannosaurus",
        text="Tyrannosaurus outlived the Jurassic. A museum on World War I and World War II "
        "shows one. Tyrannosaurus is large.",
    )
    # "Tyrannosaurus" is the page read; "World War II" a namesake of the question's name.
    assert candidates(state, TitleIndex.of([TitledMemorySource(DOCS)])) == ["Jurassic"]


async def test_a_named_page_is_followed_only_when_a_sentence_of_it_can_answer() -> None:
    source = TitledMemorySource(DOCS)
    assert isinstance(source, TitledSource)
    state = _state()
    config = ResearchSettings()
    links = await find_links(state, [source], load_relevance("minilm"), config)
    # The Jurassic page is named and looked up, but no sentence of it reaches the focus a
    # page the question does not name needs to be printed (`min_neighbour_focus`).
    assert "Jurassic" in source.looked_up
    assert [link.title for link in links] == ["Cretaceous–Paleogene extinction event"]
    assert links[0].focus >= (config.min_neighbour_focus or 0)
    [follow_up] = link_follow_ups(state, links, next_round=1)
    assert follow_up.origin == "link" and follow_up.round == 1
    assert follow_up.parent in {"q1", "q2"} and follow_up.links == [links[0].title]
    assert not await find_links(
        state, [source], load_relevance("minilm"), config.with_overrides(follow_links=0)
    )


async def test_a_link_follow_up_reads_the_pages_it_follows_and_searches_nothing() -> None:
    source = TitledMemorySource(DOCS)
    follow_up = SubQuestion(
        id="q1.l1",
        question="What killed the dinosaurs?",
        queries=["Cretaceous–Paleogene extinction event"],
        round=1,
        origin="link",
        part=0,
        parent="q1",
        links=["Cretaceous–Paleogene extinction event"],
    )
    events: list[ProgressEvent] = []
    chosen = await choose_passages(
        [source], QUESTION, follow_up, ResearchSettings(), events.append, load_relevance("minilm")
    )
    assert [p.title for p in chosen.passages] == ["Cretaceous–Paleogene extinction event"]
    assert source.searches == []
    assert [(q.query, q.hits) for q in chosen.queries] == [
        ("Cretaceous–Paleogene extinction event", 1)
    ]


@pytest.fixture
def hashing_embeddings(workspace: Path) -> None:
    (workspace / "lyceum.toml").write_text('[retrieval]\nembedding_model = "hashing"\n')


@pytest.mark.usefixtures("hashing_embeddings")
async def test_a_run_reads_a_page_its_reading_names_that_no_query_retrieves(
    tmp_path: Path, scripted: object
) -> None:
    docs = dict(CORPUS)
    title, text = docs["photosynthesis"]
    docs["photosynthesis"] = (title, text + " The light-dependent reactions make ATP.")
    docs["light"] = (
        "Light-dependent reactions",
        "The light-dependent reactions of photosynthesis use light energy to make ATP and "
        "NADPH, which plants then use to turn carbon dioxide into sugar.",
    )
    config = ResearchSettings(max_rounds=2, breadth=3, depth=4, concurrency=2, compile_pdf=False)

    async def run(follow: int, out: Path) -> set[str]:
        result = await run_research(
            "How do plants turn light into sugar?",
            out_dir=out,
            settings=load_settings(),
            config=config.with_overrides(follow_links=follow),
            model=scripted,  # type: ignore[arg-type]
            sources=[TitledMemorySource(docs, hidden={"light"})],
            scorer=OverlapScorer(),
        )
        return {p.title for p in result.state.passages.values()}

    assert "Light-dependent reactions" in await run(3, tmp_path / "on")
    assert "Light-dependent reactions" not in await run(0, tmp_path / "off")


class _BrokenTitles(TitledMemorySource):
    """A titled source whose title list and page lookup fail (a database gone away)."""

    def titles(self) -> frozenset[str]:
        raise OSError("database is locked")

    def page(self, title: str) -> None:
        raise OSError("database is locked")


async def test_a_failed_lookup_is_recorded_and_reads_nothing() -> None:
    follow_up = SubQuestion(
        id="q1.l1", question="What killed the dinosaurs?", round=1, origin="link",
        parent="q1", links=["Cretaceous–Paleogene extinction event"],
    )  # fmt: skip
    chosen = await choose_passages(
        [_BrokenTitles(DOCS)], QUESTION, follow_up, ResearchSettings(), lambda _: None, None
    )
    assert chosen.passages == []
    [record] = chosen.queries
    assert record.hits == 0 and record.error == "OSError: database is locked"


@pytest.mark.usefixtures("hashing_embeddings")
async def test_a_source_that_cannot_list_its_titles_leaves_the_run_to_finish(
    tmp_path: Path, scripted: object
) -> None:
    result = await run_research(
        "How do plants turn light into sugar?",
        out_dir=tmp_path / "out",
        settings=load_settings(),
        config=ResearchSettings(max_rounds=2, breadth=3, depth=4, compile_pdf=False),
        model=scripted,  # type: ignore[arg-type]
        sources=[_BrokenTitles(dict(CORPUS))],
        scorer=OverlapScorer(),
    )
    assert result.files["report"].exists()
    assert any("links not followed: OSError" in p for p in result.state.problems)


async def test_another_instance_of_a_named_pages_kind_is_not_followed() -> None:
    # A trial report on Tyrannosaurus followed *Allosaurus*, which its page names, and
    # answered "When did Tyrannosaurus live?" with Allosaurus's dates.
    question = "How big was Tyrannosaurus, and when did it live?"
    docs = {
        "trex": ("Tyrannosaurus", TYRANNOSAURUS + " It is related to Allosaurus."),
        "allo": (
            "Allosaurus",
            "Allosaurus is a genus of theropod dinosaur that lived 155 to 143 million years "
            "ago during the late Jurassic period.",
        ),
    }
    source = TitledMemorySource(docs)
    parts = ("How big was Tyrannosaurus?", "When did it live?")
    state = _state(question, parts, docs["trex"][1])
    links = await find_links(state, [source], load_relevance("minilm"), ResearchSettings())
    assert "Allosaurus" in source.looked_up
    assert links == []


async def test_another_instance_of_the_subjects_page_is_no_aspect(
    tmp_path: Path, scripted: object
) -> None:
    # A trial report on Morocco read *Tunisia* as an aspect and printed its capital and its
    # official language; a page that names Morocco is an aspect as before.
    morocco = (
        "Morocco",
        "Morocco, officially the Kingdom of Morocco, is a country in the Maghreb region of "
        "North Africa. Its capital is Rabat. Arabic and Berber are spoken in Morocco.",
    )
    tunisia = (
        "Tunisia, officially the Republic of Tunisia, is a country in the Maghreb region of "
        "North Africa. Tunis is the capital of the country. The official language of Tunisia "
        "is Arabic and its capital is Tunis."
    )
    config = ResearchSettings(max_rounds=1, breadth=4, depth=1, compile_pdf=False)

    async def aspects(text: str, out: Path) -> list[str]:
        docs = {"morocco": morocco, "tunisia": ("Tunisia", text)}
        result = await run_research(
            "What is the capital of Morocco, and what languages are spoken there?",
            out_dir=out,
            settings=load_settings(),
            config=config,
            model=scripted,  # type: ignore[arg-type]
            sources=[TitledMemorySource(docs)],
            scorer=OverlapScorer(),
        )
        assert result.state.plan is not None
        return [sq.question for sq in result.state.plan.sub_questions if sq.origin == "aspect"]

    assert not any("Tunisia" in q for q in await aspects(tunisia, tmp_path / "other"))
    naming = tunisia + " Tunisia borders Algeria, which borders Morocco."
    assert any("Tunisia" in q for q in await aspects(naming, tmp_path / "naming"))
