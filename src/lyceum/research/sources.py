"""The sources a run searches, built from their names in the config."""

from __future__ import annotations

from lyceum.config import Settings
from lyceum.errors import LyceumError
from lyceum.research.settings import ResearchSettings
from lyceum.sources.base import Source, make_source


def build_sources(config: ResearchSettings, settings: Settings) -> list[Source]:
    """One `Source` per configured name. `local` searches the workspace's collections (all of
    them unless `collection` names some) and needs at least one; `wikipedia`, `arxiv` and
    `web` are the online sources configured under `[sources.*]`."""
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
        built.append(make_source(name, settings=settings))
    return built
