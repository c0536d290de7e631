"""Liveness, readiness (store and model tiers) and Prometheus metrics."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials
from prometheus_client import generate_latest
from pydantic import BaseModel, Field
from sqlalchemy import text

from lyceum.llm.context import call_context
from lyceum.llm.probe import probe_backend
from lyceum.server.auth import Caller, Principal, authenticate, keys_required
from lyceum.server.errors import ERROR_RESPONSES, ApiError
from lyceum.server.state import ServerState, as_model, get_state

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    uptime_s: float


class BackendStatus(BaseModel):
    name: str
    in_default_tiers: bool
    breaker: str = Field(description="closed, half_open or open.")
    healthy: bool
    probed: bool = False
    latency_s: float | None = None
    error: str | None = None


class StoreStatus(BaseModel):
    reachable: bool
    error: str | None = None


class Readiness(BaseModel):
    ready: bool
    store: StoreStatus
    backends: list[BackendStatus]
    healthy_tiers: list[str]
    jobs_running: int


@router.get("/health", response_model=Health, summary="Liveness")
async def health(request: Request) -> Health:
    started: float = request.app.state.started
    return Health(uptime_s=time.monotonic() - started)


def _store_status(state: ServerState) -> StoreStatus:
    try:
        with state.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not reachable"; reported, not raised
        return StoreStatus(reachable=False, error=type(exc).__name__)
    return StoreStatus(reachable=True)


PROBE_PRINCIPAL = "server:probe"
HIDDEN_ERROR = "probe failed (the error is shown to API key holders and in the server log)"


def _caller(request: Request, probe: bool) -> Principal | None:
    """The caller when it sent a key or asks for a probe (which needs one when keys are
    required: it makes every backend generate); None for an anonymous readiness check."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    credentials = (
        HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip())
        if scheme.lower() == "bearer" and token.strip()
        else None
    )
    if credentials is None and not probe:
        return None
    return authenticate(request, credentials)


@router.get(
    "/health/ready",
    response_model=Readiness,
    summary="Readiness: store reachable and at least one model tier healthy",
    responses={
        503: {"model": Readiness, "description": "Not ready; the body says why."},
        **{k: v for k, v in ERROR_RESPONSES.items() if k in (401, 429)},
    },
)
async def ready(
    request: Request,
    probe: Annotated[
        bool,
        Query(
            description="Also send each backend a short probe generation (slow, costs "
            "tokens; needs an API key when the server has keys; a few a minute at most)."
        ),
    ] = False,
) -> JSONResponse:
    state = get_state(request)
    caller = _caller(request, probe)
    if probe:
        wait = state.limiter.acquire(PROBE_PRINCIPAL, state.config.probe_rate_per_min)
        if wait > 0:
            state.metrics.rejected.labels("probe_rate_limited").inc()
            raise ApiError(
                429,
                f"at most {state.config.probe_rate_per_min} probes a minute on this server",
                type="rate_limited",
                code="rate_limit_exceeded",
                hint=f"Retry in {wait:.1f}s, or read the readiness without probe=true.",
                headers={"Retry-After": str(max(1, round(wait)))},
            )
    store = await asyncio.to_thread(_store_status, state)
    gateway = state.gateway
    statuses: list[BackendStatus] = []
    for name in gateway.backend_names:
        breaker = gateway.breaker_state(name)
        statuses.append(
            BackendStatus(
                name=name,
                in_default_tiers=name in gateway.tiers,
                breaker=breaker,
                healthy=breaker != "open",
            )
        )
    if probe:
        # Through a one-backend view of the gateway, so probes are logged like any call.
        with call_context(caller="server.probe"):
            results = await asyncio.gather(
                *(
                    probe_backend(s.name, as_model(gateway.for_role(s.name)), max_tokens=8)
                    for s in statuses
                )
            )
        for status, result in zip(statuses, results, strict=True):
            status.probed = True
            status.latency_s = result.latency_s
            status.healthy = status.healthy and result.reachable
            if result.error:
                log.warning("probe of backend %s failed: %s", status.name, result.error)
                # Backend error text can carry hosts, paths and quoted requests.
                status.error = result.error if caller and caller.authenticated else HIDDEN_ERROR
    healthy_tiers = [s.name for s in statuses if s.in_default_tiers and s.healthy]
    # An anonymous caller of a server with keys learns whether it is ready, not its setup.
    shown = caller is not None or not keys_required(state)
    body = Readiness(
        ready=store.reachable and bool(healthy_tiers),
        store=store,
        backends=statuses if shown else [],
        healthy_tiers=healthy_tiers if shown else [],
        jobs_running=state.queue.running,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if body.ready else 503)


@router.get(
    "/metrics",
    summary="Prometheus metrics (gateway and HTTP)",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
        **{k: v for k, v in ERROR_RESPONSES.items() if k in (401, 429)},
    },
)
async def metrics(request: Request, _caller: Caller) -> Response:
    state = get_state(request)
    state.metrics.jobs_running.set(state.queue.running)
    body = state.gateway.metrics.render() + generate_latest(state.metrics.registry)
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")
