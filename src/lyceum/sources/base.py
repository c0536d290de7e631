"""The `Source` protocol research workers search through, and a registry of sources by name."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lyceum.config import Settings, load_settings
from lyceum.errors import LyceumError
from lyceum.sources.untrusted import neutralize_specials


class Hit(BaseModel):
    """One search result from any source, with enough provenance to cite it. Its text and
    title come from outside: chat-template special tokens in them are defused on the way
    in (`neutralize_specials`), whichever source made the hit."""

    model_config = ConfigDict(validate_assignment=True)

    text: str = Field(description="The passage or snippet found.")
    title: str = ""
    url: str | None = Field(default=None, description="Web address, when there is one.")
    path: str | None = Field(default=None, description="Local file, for the local corpus.")
    source: str = Field(description="Name of the source that produced the hit, e.g. 'local'.")
    id: str = Field(description="Stable id within the source (chunk id, arXiv id, page id).")
    score: float = 0.0
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("text", "title")
    @classmethod
    def _defuse(cls, value: str) -> str:
        return neutralize_specials(value)

    @property
    def location(self) -> str:
        """Where a reader can find the passage: URL if any, else the path."""
        return self.url or self.path or ""


@runtime_checkable
class Source(Protocol):
    """Anything searchable: `name` identifies it in reports and configs."""

    name: str

    async def search(self, query: str, k: int = 10) -> list[Hit]: ...


@runtime_checkable
class TitledSource(Source, Protocol):
    """A source that can list the titles of its documents, so that a run can tell when a
    page it reads names another (the local corpus; an online search engine cannot)."""

    def titles(self) -> frozenset[str]: ...

    def page(self, title: str) -> Hit | None:
        """The opening passage of the document titled exactly `title`, or None."""
        ...


SourceFactory = Callable[..., Source]
SOURCES: dict[str, SourceFactory] = {}
# Modules that register built-in sources, imported on first lookup so that naming a source
# does not require importing its module first.
BUILTIN_SOURCE_MODULES: dict[str, str] = {
    "local": "lyceum.sources.local",
    "wikipedia-offline": "lyceum.sources.wikipedia_offline",
    "wikipedia": "lyceum.sources.wikipedia",
    "arxiv": "lyceum.sources.arxiv",
    "web": "lyceum.sources.web",
}


def register_source(name: str) -> Callable[[SourceFactory], SourceFactory]:
    """Register a source factory under `name`, so configs can name sources as strings."""

    def decorator(factory: SourceFactory) -> SourceFactory:
        SOURCES[name] = factory
        return factory

    return decorator


def known_sources() -> set[str]:
    """Every source name `make_source` accepts."""
    return set(SOURCES) | set(BUILTIN_SOURCE_MODULES)


def make_source(name: str, *, settings: Settings | None = None, **options: Any) -> Source:
    """A registered source by name, built with `options`.

    A factory with a `settings` keyword (every built-in one) gets `settings`: the workspace
    whose `[sources.*]` tables, fetch cache and index the source uses. Library code passes
    its caller's; None, the convenience for a script, reads the default workspace's."""
    if name not in SOURCES and name in BUILTIN_SOURCE_MODULES:
        import importlib

        try:
            importlib.import_module(BUILTIN_SOURCE_MODULES[name])
        except ImportError as exc:
            raise LyceumError(
                f"source {name!r} cannot load: {exc}",
                hint="Install the extra: pip install 'lyceum[sources]'.",
            ) from exc
    if name not in SOURCES:
        raise LyceumError(
            f"unknown source {name!r}",
            hint=f"Known sources: {', '.join(sorted(known_sources()))}.",
        )
    factory = SOURCES[name]
    if _takes_settings(factory):
        options["settings"] = settings or load_settings()
    return factory(**options)


def _takes_settings(factory: SourceFactory) -> bool:
    try:
        return "settings" in inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return False
