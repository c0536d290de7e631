from pathlib import Path

from lyceum.config import load_settings
from lyceum.research.papers_read import PaperStore, add_to_collection, papers_of
from lyceum.research.state import Passage, ResearchState
from lyceum.retrieval import search
from lyceum.store.calls import Runs
from lyceum.store.db import open_database


def _state(run_id: str) -> ResearchState:
    state = ResearchState(run_id=run_id, question="What is chlorophyll?")
    for pid, title, text in [
        ("p1", "Chlorophyll", "Chlorophyll is the green pigment of plants."),
        ("p2", "Chlorophyll", "Chlorophyll absorbs blue and red light."),
        ("p3", "Volcano", "A volcano is a rupture in the crust of a planet."),
    ]:
        state.passages[pid] = Passage(
            id=pid, source="local", hit_id=pid, title=title, path=f"/c/{title}.md", text=text
        )
    return state


def test_papers_read_are_recorded_per_document_with_citation_flags(workspace: Path) -> None:
    db = open_database(load_settings().database_url)
    run_id = Runs(db).create("research")
    papers = papers_of(_state(run_id), cited_passages={"p2"})
    PaperStore(db).record(papers)
    stored = {p.title: p.cited for p in PaperStore(db).for_run(run_id)}
    assert stored == {"Chlorophyll": True, "Volcano": False}


def test_passages_read_join_a_long_term_collection_that_later_runs_search(workspace: Path) -> None:
    (workspace / "lyceum.toml").write_text('[retrieval]\nembedding_model = "hashing"\n')
    settings = load_settings()
    added = add_to_collection(_state("run1"), settings, "papers-read")
    assert added == 3
    assert add_to_collection(_state("run1"), settings, "papers-read") == 0  # same run: no-op
    hits = search("green pigment", collection="papers-read", k=1, mode="bm25", settings=settings)
    assert hits[0].title == "Chlorophyll"
