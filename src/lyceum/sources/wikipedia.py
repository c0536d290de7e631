"""Wikipedia through the MediaWiki Action API: full-text search plus plain-text extracts.

One request per search: `generator=search` finds the pages and `prop=extracts` returns
their lead sections as plain text in the same response. `page(title)` gets a whole
article. Requests go through the shared fetch cache, so a repeated search is free and
works offline. The text is Wikipedia's, under CC BY-SA 4.0; every hit says so in its
metadata.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from pydantic import BaseModel, ConfigDict, Field

from lyceum.config import Settings, feature_settings
from lyceum.sources.base import Hit, register_source
from lyceum.sources.fetch import Fetcher, SourceResponseError

TEXT_LICENSE = "CC BY-SA 4.0 (Wikipedia)"


class WikipediaSettings(BaseModel):
    """`[sources.wikipedia]` in lyceum.toml."""

    model_config = ConfigDict(extra="forbid")

    api_url: str = Field(
        default="https://en.wikipedia.org/w/api.php",
        description="MediaWiki API endpoint; another language or wiki works the same.",
    )
    extract_chars: int = Field(
        default=2000, ge=100, description="Longest lead-section text kept per hit."
    )
    max_age_s: float | None = Field(
        default=None, description="Refetch cached responses older than this; None: never."
    )


class WikipediaSource:
    """Search Wikipedia; hits carry each page's lead section."""

    def __init__(
        self,
        settings: WikipediaSettings | None = None,
        *,
        fetcher: Fetcher,
        name: str = "wikipedia",
    ) -> None:
        self.settings = settings or WikipediaSettings()
        self.fetcher = fetcher
        self.name = name

    async def search(self, query: str, k: int = 5) -> list[Hit]:
        """The `k` best pages for `query`, best first."""
        if not query.strip():
            raise ValueError("empty Wikipedia query")
        if not 1 <= k <= 20:
            raise ValueError(f"k must be between 1 and 20 for Wikipedia (extract limit), got {k}")
        params = {
            "action": "query",
            "format": "json",
            "formatversion": "2",
            "generator": "search",
            "gsrsearch": query.strip(),
            "gsrlimit": str(k),
            "gsrnamespace": "0",
            "prop": "extracts|info",
            "exintro": "1",
            "explaintext": "1",
            "exlimit": str(k),
            "inprop": "url",
            "redirects": "1",
        }
        pages = await self._query(params)
        pages.sort(key=lambda page: page.get("index", 0))
        cap = self.settings.extract_chars
        return [self._hit(page, rank, cap) for rank, page in enumerate(pages, start=1)]

    async def page(self, title: str) -> Hit:
        """A whole article as plain text (not cut to `extract_chars`)."""
        params = {
            "action": "query",
            "format": "json",
            "formatversion": "2",
            "titles": title,
            "prop": "extracts|info",
            "explaintext": "1",
            "inprop": "url",
            "redirects": "1",
        }
        pages = await self._query(params)
        if not pages or pages[0].get("missing") or "extract" not in pages[0]:
            raise SourceResponseError(
                f"Wikipedia has no article titled {title!r}", url=self.settings.api_url
            )
        return self._hit(pages[0], 1, cap=None)

    async def _query(self, params: dict[str, str]) -> list[dict[str, Any]]:
        url = f"{self.settings.api_url}?{urlencode(params)}"
        result = await self.fetcher.fetch(url, max_age_s=self.settings.max_age_s)
        payload = result.parse_json()
        if not isinstance(payload, dict):
            raise SourceResponseError(f"Wikipedia API returned {type(payload).__name__}", url=url)
        if "error" in payload:
            error = payload["error"]
            raise SourceResponseError(
                f"Wikipedia API error {error.get('code', '?')}: {error.get('info', '')}", url=url
            )
        pages = payload.get("query", {}).get("pages", [])
        if isinstance(pages, dict):  # formatversion 1 answers with a dict keyed by page id
            pages = list(pages.values())
        return [p for p in pages if isinstance(p, dict)]

    def _hit(self, page: dict[str, Any], rank: int, cap: int | None) -> Hit:
        title = str(page.get("title", ""))
        text = " ".join(str(page.get("extract", "")).split())
        if cap is not None and len(text) > cap:
            text = text[:cap].rsplit(" ", 1)[0] + " ..."
        page_id = page.get("pageid")
        url = page.get("fullurl") or (
            "https://en.wikipedia.org/wiki/" + quote(title.replace(" ", "_"))
        )
        return Hit(
            text=text,
            title=title,
            url=url,
            source=self.name,
            id=f"wikipedia:{page_id}" if page_id is not None else f"wikipedia:{title}",
            score=1.0 / rank,
            metadata={"pageid": page_id, "rank": rank, "license": TEXT_LICENSE},
        )


@register_source("wikipedia")
def wikipedia_source(
    *, settings: Settings, fetcher: Fetcher | None = None, **options: Any
) -> WikipediaSource:
    """The source configured by `[sources.wikipedia]`, with `options` overriding it."""
    table = feature_settings(settings, "sources.wikipedia", WikipediaSettings, options)
    return WikipediaSource(table, fetcher=fetcher or Fetcher.for_api(settings))
