"""Prometheus metrics for the gateway, on a registry of Lyceum's own (never the global one,
so tests and several gateways in one process do not collide)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from lyceum.llm.breaker import BreakerState

_BREAKER_VALUES = {BreakerState.CLOSED: 0, BreakerState.HALF_OPEN: 1, BreakerState.OPEN: 2}


class GatewayMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.requests = Counter(
            "lyceum_llm_requests",
            "Model calls by backend and outcome.",
            ["backend", "outcome"],
            registry=self.registry,
        )
        self.errors = Counter(
            "lyceum_llm_errors",
            "Failed attempts by backend and error type.",
            ["backend", "error_type"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "lyceum_llm_latency_seconds",
            "Call latency by backend.",
            ["backend"],
            buckets=(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
            registry=self.registry,
        )
        self.tokens = Counter(
            "lyceum_llm_tokens",
            "Tokens by backend and kind.",
            ["backend", "kind"],
            registry=self.registry,
        )
        self.cost = Counter(
            "lyceum_llm_cost_usd", "Spend in USD by backend.", ["backend"], registry=self.registry
        )
        self.cache_hits = Counter(
            "lyceum_llm_cache_hits", "Cache hits by kind.", ["kind"], registry=self.registry
        )
        self.breaker_state = Gauge(
            "lyceum_llm_breaker_state",
            "Circuit state: 0 closed, 1 half-open, 2 open.",
            ["backend"],
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "lyceum_llm_in_flight",
            "Calls in flight by backend.",
            ["backend"],
            registry=self.registry,
        )

    def set_breaker(self, backend: str, state: BreakerState) -> None:
        self.breaker_state.labels(backend).set(_BREAKER_VALUES[state])

    def render(self) -> bytes:
        return generate_latest(self.registry)
