"""Lyceum's server: the HTTP API, the OpenAI-compatible endpoint, jobs and the dashboard.

`create_app(settings)` builds the FastAPI app; FastAPI is imported only when it is called,
so `import lyceum.server` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from lyceum.config import Settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, **options: Any) -> FastAPI:
    """The server app for `settings`; see `lyceum.server.app.create_app` for options."""
    try:
        import fastapi  # noqa: F401
    except ModuleNotFoundError as exc:
        from lyceum.errors import MissingDependencyError

        raise MissingDependencyError("fastapi", "server", "lyceum serve") from exc
    from lyceum.server.app import create_app as _create_app

    return _create_app(settings, **options)
