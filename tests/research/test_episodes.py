import pytest

from lyceum.config import load_settings
from lyceum.research.episodes import EpisodeStore, ResearchEpisode, similarity
from lyceum.store.calls import Runs
from lyceum.store.db import open_database


def _store() -> tuple[EpisodeStore, Runs]:
    db = open_database(load_settings().database_url)
    return EpisodeStore(db), Runs(db)


def test_similar_past_episodes_come_most_similar_first() -> None:
    store, runs = _store()
    for question, queries in [
        ("How do plants turn light into sugar?", ["photosynthesis light", "calvin cycle"]),
        ("What causes earthquakes?", ["plate tectonics faults"]),
        ("How do leaves capture sunlight?", ["chlorophyll absorption"]),
        ("How do plants grow roots?", []),  # no useful queries: never offered
    ]:
        run_id = runs.create("research", name=question)
        store.record(ResearchEpisode(run_id=run_id, question=question, good_queries=queries))
    found = store.similar("How do plants capture light for sugar?", k=2)
    assert [e.question for e in found] == [
        "How do plants turn light into sugar?",
        "How do leaves capture sunlight?",
    ][: len(found)]
    assert found[0].as_hint().endswith("photosynthesis light; calvin cycle")
    assert all("earthquakes" not in e.question for e in found)


def test_recording_an_episode_twice_replaces_it() -> None:
    store, runs = _store()
    run_id = runs.create("research", name="q")
    store.record(
        ResearchEpisode(run_id=run_id, question="What is a black hole?", good_queries=["a"])
    )
    store.record(
        ResearchEpisode(run_id=run_id, question="What is a black hole?", good_queries=["b"])
    )
    assert [e.good_queries for e in store.all()] == [["b"]]


def test_similarity_ignores_stopwords_and_word_order() -> None:
    assert similarity("what is a black hole", "black hole is what") == pytest.approx(1.0)
    assert similarity("black hole", "volcano eruption") == 0.0
