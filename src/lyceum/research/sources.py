"""The sources a run searches, built from their names in the config."""

from __future__ import annotations

from lyceum.config import Settings
from lyceum.errors import LyceumError
from lyceum.research.settings import ResearchSettings
from lyceum.sources.base import Source, make_source

# "wikipedia" means the online API source when one is registered, else the offline dump.
ALIASES = {"wikipedia": ("wikipedia", "wikipedia-offline")}


def build_sources(config: ResearchSettings, settings: Settings) -> list[Source]:
    """One `Source` per configured name; the local corpus must hold at least one collection."""
    built: list[Source] = []
    for name in config.sources:
        if name == "local":
            from lyceum.retrieval.index import list_collections

            if not list_collections(settings):
                raise LyceumError(
                    "the local corpus is empty",
                    hint="Ingest files first (lyceum ingest PATH), or the offline Wikipedia "
                    "collection, or choose other sources with --sources.",
                )
            built.append(
                make_source("local", collection=config.collection or "*", settings=settings)
            )
            continue
        candidates = ALIASES.get(name, (name,))
        for i, candidate in enumerate(candidates):
            try:
                options = {"settings": settings} if candidate == "wikipedia-offline" else {}
                built.append(make_source(candidate, **options))
                break
            except LyceumError:
                if i == len(candidates) - 1:
                    raise
    return built
