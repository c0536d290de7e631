"""Building the gateway a workspace describes: read the settings, open the store, build the
backends, load the semantic cache's embedder.

This sits above `lyceum.llm` and `lyceum.retrieval` because it needs both (the embedder
for the semantic cache is a retrieval model); `lyceum.llm` itself builds backends from
their options and nothing more. CLI commands, server routes and features that own their
model call `build_gateway`.
"""

from __future__ import annotations

from collections.abc import Callable

from lyceum.config import Settings
from lyceum.llm.cache import ExactCache, SemanticCache
from lyceum.llm.embedder import Embedder
from lyceum.llm.factory import build_backend
from lyceum.llm.gateway import Gateway, RetryPolicy, TierPolicy
from lyceum.llm.model import Model
from lyceum.llm.pricing import PricingTable
from lyceum.store.calls import CallLog
from lyceum.store.db import Database, open_database


def _model_versions(db: Database, settings: Settings) -> dict[str, Model]:
    """The registry's model versions (base + adapter) as backends named after them, and the
    configured local backends serving the production version (see local_adapters)."""
    from lyceum.llm.backends.local_adapters import version_backends

    return version_backends(db, settings.models)


def _default_embedder() -> Embedder:
    from lyceum.retrieval.embeddings import load_embedder

    return load_embedder("minilm")


def build_gateway(
    settings: Settings,
    *,
    db: Database | None = None,
    backends: dict[str, Model] | None = None,
    embedder_factory: Callable[[], Embedder] | None = None,
) -> Gateway:
    """The gateway described by `settings`, recording into the workspace database.

    `backends` replaces the configured ones by name (tests pass scripted backends here);
    `embedder_factory` the semantic cache's embedder (MiniLM), loaded only when the cache
    is on.
    """
    gs = settings.gateway
    db = db or open_database(settings.database_url)
    built: dict[str, Model] = {}
    for name, cfg in settings.models.items():
        built[name] = (backends or {}).get(name) or build_backend(name, cfg)
    for name, backend in (backends or {}).items():
        built.setdefault(name, backend)
    for name, backend in _model_versions(db, settings).items():
        if name not in (backends or {}):
            built[name] = backend
    policies = {
        name: TierPolicy(
            max_concurrency=cfg.max_concurrency,
            timeout_s=cfg.timeout_s,
            stream_max_s=cfg.stream_max_s,
            price_key=cfg.price_key,
        )
        for name, cfg in settings.models.items()
    }
    exact = ExactCache(db) if gs.exact_cache else None
    semantic = None
    if gs.semantic_cache and exact is not None:
        semantic = SemanticCache(
            db, (embedder_factory or _default_embedder)(), gs.semantic_threshold
        )
    return Gateway(
        built,
        gs.tiers,
        roles=gs.roles,
        policies=policies,
        retry=RetryPolicy(gs.max_retries, gs.backoff_base_s, gs.backoff_max_s),
        breaker_failure_threshold=gs.breaker_failure_threshold,
        breaker_reset_s=gs.breaker_reset_s,
        pricing=PricingTable(settings.pricing),
        call_log=CallLog(db, record_prompts=settings.store.record_prompts),
        exact_cache=exact,
        semantic_cache=semantic,
    )
