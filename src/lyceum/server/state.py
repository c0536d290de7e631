"""What every route shares: settings, store, gateway, keys, limits, job queue, metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from fastapi import Request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from lyceum.config import Settings
from lyceum.llm.gateway import Gateway
from lyceum.llm.model import Model
from lyceum.server.jobs import JobQueue
from lyceum.server.keys import KeyStore
from lyceum.server.limits import RateLimiter
from lyceum.server.settings import ServerSettings
from lyceum.store.calls import CallLog, Runs
from lyceum.store.db import Database


class ServerMetrics:
    """HTTP-level metrics, on their own registry (the gateway has its own)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "lyceum_http_requests",
            "HTTP requests by route and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "lyceum_http_latency_seconds",
            "HTTP request latency by route.",
            ["route"],
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60),
            registry=self.registry,
        )
        self.rejected = Counter(
            "lyceum_http_rejected",
            "Requests refused by auth or rate limits.",
            ["reason"],
            registry=self.registry,
        )
        self.jobs_running = Gauge(
            "lyceum_jobs_running", "Jobs running in this process.", registry=self.registry
        )


@dataclass
class ServerState:
    settings: Settings
    config: ServerSettings
    db: Database
    gateway: Gateway
    keys: KeyStore
    limiter: RateLimiter
    queue: JobQueue
    metrics: ServerMetrics
    host: str
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def call_log(self) -> CallLog:
        return self.gateway.call_log or CallLog(self.db)

    @property
    def runs(self) -> Runs:
        return Runs(self.db)


def as_model(gateway: Gateway) -> Model:
    """A gateway (or a role view of it) where a feature asks for a `Model`.

    The gateway implements the protocol, but exposes its capabilities as read-only
    properties, which a checker does not match against the protocol's plain attributes.
    """
    return cast(Model, gateway)


def get_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.lyceum
    return state
