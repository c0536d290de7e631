"""The FastAPI application: `create_app(settings)`.

One app serves the HTTP API, the OpenAI-compatible endpoint, the dashboard's static pages
and runs the job queue in its event loop (started and stopped with the app's lifespan).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from lyceum.config import Settings, load_settings
from lyceum.llm.gateway import Gateway
from lyceum.server.errors import install_error_handlers
from lyceum.server.guard import RequestGuard, allowed_host_names
from lyceum.server.jobs import JobHandler, JobQueue
from lyceum.server.keys import KeyStore
from lyceum.server.limits import BodySizeLimit, RateLimiter, RequestMetrics
from lyceum.server.redaction import Redactor, RedactResponses, known_secrets
from lyceum.server.settings import ServerSettings, server_settings
from lyceum.server.state import ServerMetrics, ServerState
from lyceum.store.db import open_database

STATIC_DIR = Path(__file__).with_name("static")
API_DESCRIPTION = """Lyceum's HTTP API: an OpenAI-compatible endpoint over the model gateway,
research jobs with live progress, the ReAct agent, lab experiments and the call log.
Authenticate with `Authorization: Bearer <key>` when the server requires keys."""


def default_handlers() -> dict[str, JobHandler]:
    from lyceum.server.handlers import lab_job, research_job

    return {"research": research_job, "lab": lab_job}


def create_app(
    settings: Settings | None = None,
    *,
    gateway: Gateway | None = None,
    config: ServerSettings | None = None,
    host: str | None = None,
    run_jobs: bool = True,
    handlers: dict[str, JobHandler] | None = None,
    extras: dict[str, Any] | None = None,
) -> FastAPI:
    """The Lyceum server app for `settings` (default: the workspace's).

    `gateway` replaces the one built from settings (tests pass one over scripted
    backends); `run_jobs=False` queues jobs without running them; `extras` reaches job
    handlers (e.g. `research_options` passed through to `run_research`).
    """
    settings = settings or load_settings()
    config = config or server_settings(settings)
    db = open_database(settings.database_url)
    owned_gateway = gateway is None
    if gateway is None:
        from lyceum.wiring import build_gateway

        gateway = build_gateway(settings, db=db)
    state = ServerState(
        settings=settings,
        config=config,
        db=db,
        gateway=gateway,
        keys=KeyStore(db),
        limiter=RateLimiter(),
        queue=JobQueue(
            db,
            handlers or default_handlers(),
            concurrency=config.job_concurrency,
            lease_s=config.job_lease_s,
            instance=config.instance_id,
            max_attempts=config.job_max_attempts,
        ),
        metrics=ServerMetrics(),
        host=host or config.host,
        extras=dict(extras or {}),
    )
    state.queue.extras = {"state": state, **state.extras}
    redactor = Redactor(known_secrets(settings))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        unguard_logs = redactor.install_log_guard()
        if run_jobs:
            await state.queue.start()
        try:
            yield
        finally:
            await state.queue.stop()
            if owned_gateway:
                await gateway.aclose()
            unguard_logs()

    app = FastAPI(
        title="Lyceum",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.lyceum = state
    app.state.started = time.monotonic()
    install_error_handlers(app)

    app.add_middleware(
        RequestGuard, allowed_hosts=allowed_host_names(state.host, config.allowed_hosts)
    )
    app.add_middleware(RequestMetrics, metrics=state.metrics)
    app.add_middleware(BodySizeLimit, limit=config.max_request_bytes)
    app.add_middleware(RedactResponses, redactor=redactor)

    from lyceum.server.routes import agent, calls, dashboard, health, lab, openai, research

    for module in (health, openai, research, agent, lab, calls):
        app.include_router(module.router)
    app.include_router(dashboard.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
