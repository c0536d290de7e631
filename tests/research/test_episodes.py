import pytest

from lyceum.config import load_settings
from lyceum.research.episodes import EpisodeStore, ResearchEpisode, same_subject, similarity
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


def test_similarity_counts_every_content_word_by_its_stem() -> None:
    # Counting only words whose stem is the word itself had left "important" alone of
    # "Why was Venice important for trade?", so an Istanbul question scored 0.58.
    venice = "Why was Venice important for trade?"
    istanbul = "Why was Istanbul important to the Ottoman Empire?"
    assert similarity(venice, istanbul) < 0.5
    assert similarity("How do vaccines work?", "Why do vaccines work?") == pytest.approx(1.0)


def test_a_past_question_on_another_subject_is_never_offered() -> None:
    # A trial report on Venice was offered the Istanbul run's queries and made them sections.
    assert not same_subject(
        "Why was Venice important for trade?", "Why was Istanbul important to the Ottoman Empire?"
    )
    assert not same_subject(
        "What was the Renaissance, and where did it begin?",
        "When and where did the Industrial Revolution begin?",
    )
    assert same_subject("How do neutron stars form?", "What are pulsars and neutron stars?")
    store, runs = _store()
    run_id = runs.create("research", name="istanbul")
    store.record(
        ResearchEpisode(
            run_id=run_id,
            question="Why was Venice important to the Byzantine Empire?",
            good_queries=["venice byzantine"],
        )
    )
    other = runs.create("research", name="istanbul")
    store.record(
        ResearchEpisode(
            run_id=other,
            question="Why was Istanbul important to the Byzantine Empire?",
            good_queries=["istanbul byzantine"],
        )
    )
    found = store.similar("Why was Venice important to the Byzantine Empire and to trade?")
    assert [e.good_queries for e in found] == [["venice byzantine"]]
