"""arXiv search through its export API, parsed by the `arxiv` package.

The `arxiv` package (4.x) brings the API's query conventions, its Atom parser (hardened:
no entity expansion, no network) and the `arxiv.Result` data model. Its `Client` fetches
synchronously with `requests`, outside Lyceum's fetch policy and cache, so the HTTP request
is made here through the shared `Fetcher` instead: a repeated search is read from the
workspace's fetch cache (free, offline), and new requests keep to arXiv's terms of use of
at most one request every three seconds (`delay_s`), across every instance in the process.

A query that is an arXiv id (`1706.03762`, `hep-th/9901001v2`) is looked up by id; a query
with the API's field syntax (`ti:`, `au:`, `abs:`, `cat:`, `AND`/`OR`) is passed through;
plain words are searched as `all:word AND all:word ...`, stop words dropped.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field

from lyceum.config import Settings, feature_settings
from lyceum.errors import MissingDependencyError
from lyceum.sources.base import Hit, register_source
from lyceum.sources.fetch import Fetcher, SourceResponseError

if TYPE_CHECKING:
    import arxiv

_ID = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?$", re.I)
_FIELD_SYNTAX = re.compile(r"\b(ti|au|abs|co|jr|cat|rn|id|all):|\b(AND|OR|ANDNOT)\b")
_STOP_WORDS_TEXT = (
    "a an and are as at be by for from how in is it of on or that the this to was what when "
    "where which who why with do does did can could should would about into than then"
)
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
MAX_TERMS = 8
_API_ERROR = re.compile(rb"/api/errors#[^<]*</id>.*?<summary>(.*?)</summary>", re.DOTALL)

_next_request_at = 0.0


class ArxivSettings(BaseModel):
    """`[sources.arxiv]` in lyceum.toml."""

    model_config = ConfigDict(extra="forbid")

    api_url: str = Field(
        default="https://export.arxiv.org/api/query", description="arXiv export API endpoint."
    )
    sort_by: str = Field(
        default="relevance", description="relevance, lastUpdatedDate or submittedDate."
    )
    delay_s: float = Field(
        default=3.0, ge=0, description="Pause between network requests (arXiv asks for 3 s)."
    )
    max_age_s: float | None = Field(
        default=None, description="Refetch cached responses older than this; None: never."
    )


def _arxiv_feed() -> Any:
    try:
        from arxiv import _feed
    except ImportError as exc:
        raise MissingDependencyError("arxiv", "sources", "arXiv search") from exc
    return _feed


def build_query(query: str) -> dict[str, str]:
    """The API parameters (`id_list` or `search_query`) for a user's query."""
    text = query.strip()
    id_match = _ID.match(text)
    if id_match:
        return {"id_list": id_match.group(1) + (id_match.group(2) or "")}
    if _FIELD_SYNTAX.search(text):
        return {"search_query": text}
    words = re.findall(r"[\w\-]+", text.lower())
    terms = [w for w in words if w not in _STOP_WORDS and len(w) > 1][:MAX_TERMS]
    if not terms:
        terms = words[:MAX_TERMS]
    return {"search_query": " AND ".join(f"all:{t}" for t in terms)}


class ArxivSource:
    """Search arXiv; hits carry title, authors and abstract."""

    def __init__(
        self,
        settings: ArxivSettings | None = None,
        *,
        fetcher: Fetcher,
        name: str = "arxiv",
    ) -> None:
        self.settings = settings or ArxivSettings()
        self.fetcher = fetcher
        self.name = name

    def query_url(self, query: str, k: int) -> str:
        params = {
            **build_query(query),
            "start": "0",
            "max_results": str(k),
            "sortBy": self.settings.sort_by,
            "sortOrder": "descending",
        }
        return f"{self.settings.api_url}?{urlencode(params)}"

    async def search(self, query: str, k: int = 5) -> list[Hit]:
        """The `k` best papers for `query`, best first."""
        if not query.strip():
            raise ValueError("empty arXiv query")
        if not 1 <= k <= 100:
            raise ValueError(f"k must be between 1 and 100 for arXiv, got {k}")
        results = await self.results(query, k)
        return [self._hit(r, rank) for rank, r in enumerate(results[:k], start=1)]

    async def results(self, query: str, k: int = 5) -> list[arxiv.Result]:
        """The raw `arxiv.Result` objects, for callers that want every field."""
        url = self.query_url(query, k)
        if self.fetcher.cache is None or url not in self.fetcher.cache:
            await _wait_turn(self.settings.delay_s)
        response = await self.fetcher.fetch(
            url,
            content_types=("application/atom+xml", "application/xml", "text/xml"),
            max_age_s=self.settings.max_age_s,
        )
        # An error comes back as a feed whose one entry has an `/api/errors#...` id and no
        # publication date, which the parser skips as invalid, so look for it first.
        error = _API_ERROR.search(response.content)
        if error:
            message = " ".join(error.group(1).decode("utf-8", "replace").split())
            raise SourceResponseError(f"arXiv API error: {message}", url=url)
        feed = _arxiv_feed().parse(response.content)
        if feed.malformed:
            raise SourceResponseError(f"arXiv returned malformed XML: {feed.error}", url=url)
        return list(feed.results)

    def _hit(self, result: arxiv.Result, rank: int) -> Hit:
        short_id = result.get_short_id()
        return Hit(
            text=" ".join(result.summary.split()),
            title=" ".join(result.title.split()),
            url=result.entry_id,
            source=self.name,
            id=f"arxiv:{short_id}",
            score=1.0 / rank,
            metadata={
                "arxiv_id": short_id,
                "authors": [a.name for a in result.authors],
                "year": result.published.year,
                "published": result.published.isoformat(),
                "primary_category": result.primary_category,
                "categories": list(result.categories),
                "pdf_url": result.pdf_url,
                "doi": result.doi,
                "journal_ref": result.journal_ref,
                "rank": rank,
            },
        )


async def _wait_turn(delay_s: float) -> None:
    """Space network requests `delay_s` apart across the process (no await between the
    read and the write of the slot, so concurrent tasks get distinct slots)."""
    global _next_request_at
    now = time.monotonic()
    slot = max(now, _next_request_at)
    _next_request_at = slot + delay_s
    if slot > now:
        await asyncio.sleep(slot - now)


@register_source("arxiv")
def arxiv_source(
    *, settings: Settings, fetcher: Fetcher | None = None, **options: Any
) -> ArxivSource:
    """The source configured by `[sources.arxiv]`, with `options` overriding it."""
    table = feature_settings(settings, "sources.arxiv", ArxivSettings, options)
    return ArxivSource(table, fetcher=fetcher or Fetcher.for_api(settings))
