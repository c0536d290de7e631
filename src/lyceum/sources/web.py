"""Web search, pluggable: a SearxNG instance (self-hosted, no key) or the Brave Search API.

SearxNG is the default because it needs no account: run one (e.g. the official Docker
image, with `json` added to `search.formats` in its settings.yml) and point `base_url` at
it. Brave is the keyed option: a plain GET with the key in a header, so responses cache
by URL with the key kept out of the cache; the key is read from an environment variable
(`BRAVE_SEARCH_API_KEY` by default), never from the config file.

Both go through the shared fetch cache, so a repeated search is free and works offline.
"""

from __future__ import annotations

import html
import os
import re
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field

from lyceum.config import Settings, feature_settings
from lyceum.errors import ConfigError
from lyceum.sources.base import Hit, register_source
from lyceum.sources.fetch import Fetcher, FetchError, SourceResponseError

_TAGS = re.compile(r"<[^>]+>")
_JSON_HINT = "Enable SearxNG's JSON format: add 'json' to search.formats in its settings.yml."


class WebSearchSettings(BaseModel):
    """`[sources.web]` in lyceum.toml."""

    model_config = ConfigDict(extra="forbid")

    engine: Literal["searxng", "brave"] = Field(
        default="searxng", description="Which web search service to use."
    )
    base_url: str | None = Field(
        default=None,
        description="SearxNG: the instance, e.g. http://localhost:8888. "
        "Brave: leave unset (https://api.search.brave.com/res/v1).",
    )
    api_key_env: str = Field(
        default="BRAVE_SEARCH_API_KEY",
        description="Environment variable holding the Brave key (the key never goes in config).",
    )
    language: str | None = Field(default=None, description="Result language, e.g. 'en'.")
    max_age_s: float | None = Field(
        default=None, description="Refetch cached responses older than this; None: never."
    )


def _snippet(text: Any) -> str:
    return " ".join(html.unescape(_TAGS.sub("", str(text or ""))).split())


class SearxngSource:
    """Search a SearxNG instance through its JSON API (`/search?format=json`)."""

    def __init__(
        self,
        base_url: str,
        *,
        language: str | None = None,
        max_age_s: float | None = None,
        fetcher: Fetcher,
        name: str = "web",
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"SearxNG base_url must be an http(s) URL, got {base_url!r}",
                hint="Set [sources.web] base_url = 'http://localhost:8888' (your instance).",
            )
        self.base_url = base_url.rstrip("/")
        self.language = language
        self.max_age_s = max_age_s
        self.fetcher = fetcher
        self.name = name

    async def search(self, query: str, k: int = 10) -> list[Hit]:
        if not query.strip():
            raise ValueError("empty web search query")
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        params = {"q": query.strip(), "format": "json", "pageno": "1"}
        if self.language:
            params["language"] = self.language
        url = f"{self.base_url}/search?{urlencode(params)}"
        try:
            response = await self.fetcher.fetch(
                url, content_types=("application/json",), max_age_s=self.max_age_s
            )
        except FetchError as exc:
            if exc.status == 403:
                raise SourceResponseError(
                    "SearxNG refused the JSON API (HTTP 403)", url=url, status=403, hint=_JSON_HINT
                ) from None
            raise
        payload = response.parse_json()
        if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
            raise SourceResponseError(
                "SearxNG answer has no 'results' list", url=url, hint=_JSON_HINT
            )
        hits: list[Hit] = []
        for item in payload["results"]:
            if not isinstance(item, dict) or not item.get("url"):
                continue
            rank = len(hits) + 1
            hits.append(
                Hit(
                    text=_snippet(item.get("content")),
                    title=_snippet(item.get("title")),
                    url=str(item["url"]),
                    source=self.name,
                    id=f"web:{item['url']}",
                    score=float(item.get("score") or 1.0 / rank),
                    metadata={
                        "engine": item.get("engine"),
                        "engines": item.get("engines", []),
                        "published": item.get("publishedDate"),
                        "rank": rank,
                    },
                )
            )
            if len(hits) == k:
                break
        return hits


class BraveSource:
    """Search with the Brave Search API (`/web/search`, key in `X-Subscription-Token`)."""

    DEFAULT_BASE_URL = "https://api.search.brave.com/res/v1"

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        language: str | None = None,
        max_age_s: float | None = None,
        fetcher: Fetcher,
        name: str = "web",
    ) -> None:
        if not api_key:
            raise ConfigError("the Brave Search API key is empty")
        self.api_key = api_key
        self.base_url = (base_url or self.DEFAULT_BASE_URL).rstrip("/")
        self.language = language
        self.max_age_s = max_age_s
        self.fetcher = fetcher
        self.name = name

    async def search(self, query: str, k: int = 10) -> list[Hit]:
        if not query.strip():
            raise ValueError("empty web search query")
        if not 1 <= k <= 20:
            raise ValueError(f"k must be between 1 and 20 for Brave, got {k}")
        params = {"q": query.strip(), "count": str(k)}
        if self.language:
            params["search_lang"] = self.language
        url = f"{self.base_url}/web/search?{urlencode(params)}"
        response = await self.fetcher.fetch(
            url,
            headers={"Accept": "application/json", "X-Subscription-Token": self.api_key},
            content_types=("application/json",),
            max_age_s=self.max_age_s,
        )
        payload = response.parse_json()
        results = payload.get("web", {}).get("results") if isinstance(payload, dict) else None
        if not isinstance(results, list):
            raise SourceResponseError("Brave answer has no web.results list", url=url)
        hits: list[Hit] = []
        for rank, item in enumerate((r for r in results if r.get("url")), start=1):
            extra = " ".join(_snippet(s) for s in item.get("extra_snippets", []) or [])
            hits.append(
                Hit(
                    text=" ".join(p for p in (_snippet(item.get("description")), extra) if p),
                    title=_snippet(item.get("title")),
                    url=str(item["url"]),
                    source=self.name,
                    id=f"web:{item['url']}",
                    score=1.0 / rank,
                    metadata={"age": item.get("age"), "rank": rank},
                )
            )
        return hits[:k]


def make_web_source(
    settings: WebSearchSettings, *, fetcher: Fetcher
) -> SearxngSource | BraveSource:
    """The web search source `settings` describe."""
    if settings.engine == "brave":
        key = os.environ.get(settings.api_key_env, "")
        if not key:
            raise ConfigError(
                f"Brave web search needs an API key in ${settings.api_key_env}",
                hint=f"export {settings.api_key_env}=... (get one at https://brave.com/search/api/)",
            )
        return BraveSource(
            key,
            base_url=settings.base_url,
            language=settings.language,
            max_age_s=settings.max_age_s,
            fetcher=fetcher,
        )
    if not settings.base_url:
        raise ConfigError(
            "SearxNG web search needs the instance's address",
            hint="Set [sources.web] base_url = 'http://localhost:8888' in lyceum.toml, "
            "or engine = 'brave' with a key.",
        )
    return SearxngSource(
        settings.base_url, language=settings.language, max_age_s=settings.max_age_s, fetcher=fetcher
    )


@register_source("web")
def web_source(
    *, settings: Settings, fetcher: Fetcher | None = None, **options: Any
) -> SearxngSource | BraveSource:
    """The engine configured by `[sources.web]`, with `options` overriding it."""
    table = feature_settings(settings, "sources.web", WebSearchSettings, options)
    return make_web_source(table, fetcher=fetcher or Fetcher.for_api(settings))
