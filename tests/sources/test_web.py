"""Web search sources against a real HTTP server on 127.0.0.1: SearxNG JSON and Brave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lyceum.agents.search_tools import web_search_tool
from lyceum.config import load_settings
from lyceum.errors import ConfigError
from lyceum.sources.base import Source
from lyceum.sources.fetch import FetchCache, Fetcher, FetchPolicy, SourceResponseError
from lyceum.sources.web import (
    BraveSource,
    SearxngSource,
    WebSearchSettings,
    make_web_source,
    web_source,
)

SEARXNG = {
    "query": "lyceum aristotle",
    "number_of_results": 3,
    "results": [
        {
            "url": "https://en.wikipedia.org/wiki/Lyceum_(Classical)",
            "title": "Lyceum (Classical)",
            "content": "The Lyceum was a temple dedicated to Apollo Lyceus &amp; a gymnasium.",
            "engine": "wikipedia",
            "engines": ["wikipedia", "duckduckgo"],
            "score": 4.5,
        },
        {"title": "no url, skipped", "content": "x"},
        {
            "url": "https://example.org/aristotle",
            "title": "Aristotle <b>taught</b> here",
            "content": "Aristotle founded the Peripatetic school at the Lyceum.",
            "engine": "duckduckgo",
            "score": 2.0,
            "publishedDate": "2020-01-01T00:00:00",
        },
        {"url": "https://example.org/third", "title": "Third", "content": "c", "score": 1.0},
    ],
}
BRAVE = {
    "type": "search",
    "web": {
        "results": [
            {
                "title": "The <strong>Lyceum</strong>",
                "url": "https://example.org/lyceum",
                "description": "Aristotle&#x27;s <strong>school</strong> in Athens.",
                "extra_snippets": ["Founded in 335 BC."],
                "age": "2 days ago",
            },
            {"title": "Second", "url": "https://example.org/2", "description": "More."},
        ]
    },
}


def _web_api(path: str, query: dict[str, str], headers: dict[str, str]) -> tuple[int, str, bytes]:
    """SearxNG's /search and Brave's /res/v1/web/search."""
    status, payload = 200, {}
    if path == "/search" and query.get("q") == "forbidden":
        status = 403
    elif path == "/search" and query.get("format") == "json":
        payload = SEARXNG if query.get("q") != "nojson" else {"error": "format disabled"}
    elif path == "/res/v1/web/search":
        if headers.get("X-Subscription-Token") != "brave-key-123":
            status, payload = 401, {"error": "bad key"}
        else:
            payload = BRAVE
    else:
        status = 404
    return status, "application/json", json.dumps(payload).encode()


@pytest.fixture
def api(stub_server):
    with stub_server(_web_api) as server:
        yield server


def fetcher(tmp_path: Path) -> Fetcher:
    return Fetcher(FetchPolicy(allow_private=True), FetchCache(tmp_path / "cache"))


async def test_searxng_results_become_hits(api, tmp_path: Path) -> None:
    source = SearxngSource(api.url("/"), language="en", fetcher=fetcher(tmp_path))
    hits = await source.search("lyceum aristotle", k=2)

    assert isinstance(source, Source)
    assert [h.url for h in hits] == [
        "https://en.wikipedia.org/wiki/Lyceum_(Classical)",
        "https://example.org/aristotle",
    ]
    assert hits[0].text == "The Lyceum was a temple dedicated to Apollo Lyceus & a gymnasium."
    assert hits[1].title == "Aristotle taught here"
    assert hits[0].id == "web:https://en.wikipedia.org/wiki/Lyceum_(Classical)"
    assert hits[0].source == "web" and hits[0].score == 4.5
    assert hits[0].metadata["engines"] == ["wikipedia", "duckduckgo"]
    path, query, _ = api.requests[0]
    assert path == "/search"
    assert query == {"q": "lyceum aristotle", "format": "json", "pageno": "1", "language": "en"}


async def test_searxng_searches_are_cached(api, tmp_path: Path) -> None:
    first = await SearxngSource(api.url(), fetcher=fetcher(tmp_path)).search("lyceum", k=5)
    api.stop()
    again = await SearxngSource(api.url(), fetcher=fetcher(tmp_path)).search("lyceum", k=5)
    assert again == first and len(first) == 3


async def test_searxng_without_json_format_says_how_to_enable_it(api, tmp_path: Path) -> None:
    source = SearxngSource(api.url(), fetcher=fetcher(tmp_path))
    with pytest.raises(SourceResponseError, match="no 'results' list") as info:
        await source.search("nojson")
    assert "search.formats" in info.value.hint
    with pytest.raises(SourceResponseError, match="HTTP 403") as info:
        await source.search("forbidden")
    assert "search.formats" in info.value.hint


async def test_brave_sends_the_key_in_a_header_and_keeps_it_out_of_the_cache(
    api, tmp_path: Path
) -> None:
    source = BraveSource("brave-key-123", base_url=api.url("/res/v1"), fetcher=fetcher(tmp_path))
    hits = await source.search("lyceum", k=2)

    assert [h.title for h in hits] == ["The Lyceum", "Second"]
    assert hits[0].text == "Aristotle's school in Athens. Founded in 335 BC."
    assert hits[0].metadata["age"] == "2 days ago"
    path, query, headers = api.requests[0]
    assert path == "/res/v1/web/search" and query == {"q": "lyceum", "count": "2"}
    assert headers["X-Subscription-Token"] == "brave-key-123"
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert b"brave-key-123" not in stored


async def test_web_source_is_chosen_by_config(
    api, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "lyceum.toml").write_text(f'[sources.web]\nbase_url = "{api.url()}"\n')
    searx = web_source(settings=load_settings(workspace))
    assert isinstance(searx, SearxngSource)
    assert len(await searx.search("lyceum", k=1)) == 1

    (workspace / "lyceum.toml").write_text(
        f'[sources.web]\nengine = "brave"\nbase_url = "{api.url("/res/v1")}"\n'
        'api_key_env = "TEST_BRAVE_KEY"\n'
    )
    with pytest.raises(ConfigError, match=r"API key in \$TEST_BRAVE_KEY"):
        web_source(settings=load_settings(workspace))
    monkeypatch.setenv("TEST_BRAVE_KEY", "brave-key-123")
    brave = web_source(settings=load_settings(workspace))
    assert isinstance(brave, BraveSource)
    assert len(await brave.search("lyceum", k=2)) == 2


def test_searxng_needs_an_address(tmp_path: Path) -> None:
    fetcher = Fetcher(FetchPolicy(), FetchCache(tmp_path / "cache"))
    with pytest.raises(ConfigError, match="needs the instance's address"):
        make_web_source(WebSearchSettings(), fetcher=fetcher)
    with pytest.raises(ConfigError, match="http"):
        SearxngSource("localhost:8888", fetcher=fetcher)


async def test_the_agent_tool_formats_web_results(api, tmp_path: Path) -> None:
    source = SearxngSource(api.url(), fetcher=fetcher(tmp_path))
    output = await web_search_tool(k=2, source=source).run({"query": "lyceum"})
    assert output.count("<document ") == 2
    assert 'url="https://example.org/aristotle"' in output
