"""The local corpus (one or more ingested collections) as a `Source`."""

from __future__ import annotations

from collections.abc import Sequence

from lyceum.config import Settings
from lyceum.retrieval.hybrid import asearch, collection_titles, titled_chunk
from lyceum.retrieval.rerank import Reranker
from lyceum.retrieval.types import SearchFilters, SearchMode, SearchResult
from lyceum.sources.base import Hit, register_source


def result_to_hit(result: SearchResult, source_name: str) -> Hit:
    is_url = result.source.startswith(("http://", "https://"))
    return Hit(
        text=result.text,
        title=result.title,
        url=result.url or (result.source if is_url else None),
        path=None if is_url else result.source or None,
        source=source_name,
        id=result.chunk_id,
        score=result.score,
        metadata={
            "collection": result.collection,
            "section": result.section,
            "year": result.year,
            "authors": result.authors,
            "arxiv_id": result.arxiv_id,
            "doi": result.doi,
            "format": result.format,
            "doc_key": result.doc_key,
            "ordinal": result.ordinal,
            "start_char": result.start_char,
            "end_char": result.end_char,
            "scores": result.scores,
            **result.metadata,
        },
    )


class LocalCorpusSource:
    """Hybrid search over the collections ("*" for all of them) of the workspace `settings`
    describe."""

    def __init__(
        self,
        collection: str | Sequence[str] | None = None,
        *,
        settings: Settings,
        mode: SearchMode = "hybrid",
        filters: SearchFilters | None = None,
        reranker: Reranker | None = None,
        name: str = "local",
    ) -> None:
        self.collection = collection
        self.settings = settings
        self.mode: SearchMode = mode
        self.filters = filters
        self.reranker = reranker
        self.name = name
        self._titles: frozenset[str] | None = None

    async def search(self, query: str, k: int = 10) -> list[Hit]:
        results = await asearch(
            query,
            collection=self.collection,
            k=k,
            mode=self.mode,
            filters=self.filters,
            rerank=self.reranker,
            settings=self.settings,
        )
        return [result_to_hit(r, self.name) for r in results]

    def titles(self) -> frozenset[str]:
        """The titles of the documents it searches, read once (a run follows the pages its
        reading names among them: `research/links.py`)."""
        if self._titles is None:
            self._titles = frozenset(collection_titles(self.settings, self.collection))
        return self._titles

    def page(self, title: str) -> Hit | None:
        """The opening passage of the document titled `title`, or None."""
        result = titled_chunk(self.settings, self.collection, title)
        return result_to_hit(result, self.name) if result is not None else None


@register_source("local")
def _local(*, settings: Settings, **options: object) -> LocalCorpusSource:
    return LocalCorpusSource(settings=settings, **options)  # type: ignore[arg-type]
