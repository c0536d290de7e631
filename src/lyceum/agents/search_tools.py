"""Search tools: the local corpus (retrieval), Wikipedia, arXiv and web search.

Each is a registered factory, so an experiment names it (`"wikipedia"`, or
`{"name": "retrieval", "collection": "papers", "k": 3}`). Results are shown to the model
as `<document ... untrusted>` blocks: what a page says is evidence, never an instruction.
The search callables and sources are injectable, and imported lazily otherwise, built
from the `settings` the factory is given (`resolve_tools` and `run_react` pass their
caller's; None: the default workspace's).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from lyceum.agents.tools import FunctionTool, Tool, tool_factory
from lyceum.config import Settings
from lyceum.sources.untrusted import wrap_untrusted

HIT_TEXT_CHARS = 700

SearchCallable = Callable[..., Any]


def format_hits(hits: Sequence[Any], *, source: str, text_chars: int = HIT_TEXT_CHARS) -> str:
    """Search hits (`sources.Hit`, `retrieval.SearchResult` or dicts with the same
    fields) as untrusted document blocks."""
    if not hits:
        return "No results."
    blocks = []
    for rank, hit in enumerate(hits, start=1):
        doc_id = _field(hit, "id", "chunk_id", "doc_id") or f"{source}-{rank}"
        text = _field(hit, "text", "snippet", "content", "summary")
        if len(text) > text_chars:
            text = text[:text_chars].rsplit(" ", 1)[0] + " ..."
        blocks.append(
            wrap_untrusted(
                text,
                doc_id=doc_id,
                source=source,
                title=_field(hit, "title") or None,
                url=_location(hit) or None,
            )
        )
    return "\n".join(blocks)


def _location(hit: Any) -> str:
    if isinstance(getattr(hit, "location", None), str):
        return str(hit.location)
    return _field(hit, "url", "source")


def _field(hit: Any, *names: str) -> str:
    for name in names:
        value = hit.get(name) if isinstance(hit, dict) else getattr(hit, name, None)
        if value:
            return str(value)
    return ""


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@tool_factory("retrieval")
def retrieval_tool(
    *,
    collection: str | None = None,
    k: int = 5,
    search: SearchCallable | None = None,
    settings: Settings | None = None,
) -> Tool:
    """Search the local corpus of the workspace `settings` describe with
    `lyceum.retrieval.asearch` (or an injected `search` callable taking
    `(query, k=..., collection=...)`, sync or async)."""
    if k < 1:
        raise ValueError(f"retrieval k must be at least 1, got {k}")

    async def retrieval(query: str) -> str:
        """Search the local document collection for passages about a topic.

        Args:
            query: a few keywords or a short question.
        """
        run = search if search is not None else _default_retrieval_search()
        options: dict[str, Any] = {"k": k}
        if search is None:
            options["settings"] = settings
        if collection is not None:
            options["collection"] = collection
        hits = await _maybe_await(run(query, **options))
        return format_hits(list(hits), source=f"corpus:{collection}" if collection else "corpus")

    return FunctionTool(retrieval)


def _default_retrieval_search() -> SearchCallable:
    from lyceum.retrieval import asearch

    return asearch


class _LazySource:
    """The registered source `name`, built from `settings` on first use."""

    def __init__(self, name: str, module: str, given: Any, settings: Settings | None) -> None:
        self.name, self.module, self.source, self.settings = name, module, given, settings

    async def search(self, query: str, k: int) -> list[Any]:
        if self.source is None:
            import importlib

            from lyceum.sources.base import make_source

            importlib.import_module(self.module)
            self.source = make_source(self.name, settings=self.settings)
        return await self.source.search(query, k)


@tool_factory("wikipedia")
def wikipedia_tool(*, k: int = 3, source: Any = None, settings: Settings | None = None) -> Tool:
    """Search Wikipedia through the `wikipedia` source (or `source`)."""
    searcher = _LazySource("wikipedia", "lyceum.sources.wikipedia", source, settings)

    async def wikipedia(query: str) -> str:
        """Search Wikipedia and return the lead sections of the best matching articles.

        Args:
            query: an article title or a few keywords.
        """
        return format_hits(await searcher.search(query, k), source="wikipedia")

    return FunctionTool(wikipedia)


@tool_factory("arxiv")
def arxiv_tool(*, k: int = 3, source: Any = None, settings: Settings | None = None) -> Tool:
    """Search arXiv through the `arxiv` source (or `source`)."""
    searcher = _LazySource("arxiv", "lyceum.sources.arxiv", source, settings)

    async def arxiv(query: str) -> str:
        """Search arXiv papers; returns titles, authors and abstracts.

        Args:
            query: keywords, e.g. "retrieval augmented generation survey".
        """
        hits = await searcher.search(query, k)
        return format_hits([_with_byline(hit) for hit in hits], source="arxiv")

    return FunctionTool(arxiv)


def _with_byline(hit: Any) -> Any:
    """An arXiv hit whose text opens with its authors and year, so the model can cite it."""
    metadata = getattr(hit, "metadata", None) or {}
    authors = list(metadata.get("authors") or [])
    if not authors:
        return hit
    names = ", ".join(authors[:3]) + (" et al." if len(authors) > 3 else "")
    year = f" ({metadata['year']})" if metadata.get("year") else ""
    return {
        "id": _field(hit, "id"),
        "title": _field(hit, "title"),
        "url": _location(hit),
        "text": f"{names}{year}. {_field(hit, 'text')}",
    }


@tool_factory("web_search")
def web_search_tool(*, k: int = 5, source: Any = None, settings: Settings | None = None) -> Tool:
    """Search the web through the `web` source configured in `[sources.web]` (or `source`)."""
    searcher = _LazySource("web", "lyceum.sources.web", source, settings)

    async def web_search(query: str) -> str:
        """Search the web; returns page titles, addresses and snippets.

        Args:
            query: what to search for.
        """
        return format_hits(await searcher.search(query, k), source="web")

    return FunctionTool(web_search)
