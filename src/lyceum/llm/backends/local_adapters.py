"""Model versions served by the embedded backend: a GGUF base plus a GGUF LoRA adapter.

A model version in the registry (`lyceum evolve train` registers one) names its base and
its adapter file. Every adapter of one base is loaded once, beside the base, at scale 0
(`lora_init_without_apply`); each request names the adapter it wants in llama.cpp's
per-request `lora` field. So switching versions (the arena's production vs candidate,
`lyceum ask -m VERSION`, a promotion) is hot: the base is never loaded twice.

The gateway factory asks `version_backends` for one backend per live model version (named
after the version) and, when a model version is in production, for the configured local
backends on its base to serve it; a rollback makes the next gateway serve the previous one.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from lyceum.llm.backend_config import BackendConfig, LocalBackendConfig
from lyceum.llm.backends.local import LocalBackend, _Assembly
from lyceum.llm.model import Model
from lyceum.llm.weights import CATALOGUE
from lyceum.store.db import Database
from lyceum.store.evolve_tables import EvolveVersionRow

LIVE_STATUSES = ("candidate", "production", "backup")
"""Versions whose adapters are loaded; retired and rolled-back ones are not."""


class AdapterVersion(BaseModel):
    """A model version as the backend needs it."""

    name: str
    status: str
    base_model: str
    adapter_gguf: str | None = None
    system_addendum: str = ""


def adapter_versions(db: Database) -> list[AdapterVersion]:
    """Live model versions that the embedded backend can serve (those naming a base)."""
    with db.session() as session:
        rows = session.scalars(
            select(EvolveVersionRow)
            .where(EvolveVersionRow.kind == "model", EvolveVersionRow.status.in_(LIVE_STATUSES))
            .order_by(EvolveVersionRow.number)
        ).all()
        out = []
        for row in rows:
            payload = dict(row.payload or {})
            base = payload.get("base_model")
            adapter = payload.get("adapter_gguf")
            if not isinstance(base, str) or not base or (adapter and not Path(adapter).is_file()):
                continue
            out.append(
                AdapterVersion(
                    name=row.name,
                    status=row.status,
                    base_model=base,
                    adapter_gguf=str(adapter) if adapter else None,
                    system_addendum=str(payload.get("system_addendum") or ""),
                )
            )
        return out


def same_base(a: str, b: str) -> bool:
    """Whether two model references (catalogue names or GGUF paths) name the same file."""
    if a == b:
        return True
    if a in CATALOGUE or b in CATALOGUE:
        name, other = (a, b) if a in CATALOGUE else (b, a)
        return Path(other).name == CATALOGUE[name].filename
    return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()


class AdapterBackend(LocalBackend):
    """The embedded model with one of its loaded adapters applied (or none: the base)."""

    def __init__(
        self,
        name: str,
        config: LocalBackendConfig,
        *,
        adapters: Sequence[str],
        active: str | None,
        label: str = "",
        system_addendum: str = "",
    ) -> None:
        super().__init__(name, config, adapters=adapters)
        self.active = active
        self.system_addendum = system_addendum.strip()
        if label:
            self.model_id = f"{self.model_id}+{label}"

    def lora_field(self) -> list[dict[str, Any]]:
        """llama.cpp's per-request adapter scales: 1 for the active adapter, 0 for the rest."""
        return [
            {"id": i, "scale": 1.0 if path == self.active else 0.0}
            for i, path in enumerate(self.adapters)
        ]

    def _with_addendum(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not self.system_addendum:
            return messages
        if messages and messages[0].get("role") == "system":
            first = {
                **messages[0],
                "content": f"{messages[0]['content']}\n\n{self.system_addendum}",
            }
            return [first, *messages[1:]]
        return [{"role": "system", "content": self.system_addendum}, *messages]

    async def _chunks(
        self, request: dict[str, Any], collect: _Assembly | None = None
    ) -> AsyncGenerator[dict[str, Any], None]:
        # `collect` is how LocalBackend.generate gathers a whole answer; it passes through
        request = {**request, "lora": self.lora_field()}
        if "messages" in request:
            request["messages"] = self._with_addendum(list(request["messages"]))
        async for chunk in super()._chunks(request, collect=collect):
            yield chunk


def _adapters_of(base: str, versions: Sequence[AdapterVersion]) -> list[str]:
    return sorted(
        {v.adapter_gguf for v in versions if v.adapter_gguf and same_base(v.base_model, base)}
    )


def version_backends(db: Database, configured: Mapping[str, BackendConfig]) -> dict[str, Model]:
    """Backends for the registry's live model versions, by version name, and replacements
    for the configured local backends whose base a production version adapts (so the
    default route serves production). Empty when no model version names a base."""
    versions = adapter_versions(db)
    if not versions:
        return {}
    out: dict[str, Model] = {}
    production = next((v for v in versions if v.status == "production"), None)
    for name, cfg in configured.items():
        if not isinstance(cfg, LocalBackendConfig):
            continue
        adapters = _adapters_of(cfg.model, versions)
        serves = production is not None and same_base(production.base_model, cfg.model)
        if not adapters and not serves:
            continue
        # Holding the same adapters as the version backends, it shares their loaded base.
        out[name] = AdapterBackend(
            name, cfg, adapters=adapters,
            active=production.adapter_gguf if serves and production else None,
            label=production.name if serves and production else "",
            system_addendum=production.system_addendum if serves and production else "",
        )  # fmt: skip
    for version in versions:
        if version.name in configured:
            continue
        on_base = next(
            (c for c in configured.values()
             if isinstance(c, LocalBackendConfig) and same_base(version.base_model, c.model)),
            None,
        )  # fmt: skip
        config = (
            on_base.model_copy(update={"model": version.base_model})
            if on_base is not None
            else LocalBackendConfig(model=version.base_model)
        )
        out[version.name] = AdapterBackend(
            version.name, config, adapters=_adapters_of(version.base_model, versions),
            active=version.adapter_gguf, label=version.name,
            system_addendum=version.system_addendum,
        )  # fmt: skip
    return out
