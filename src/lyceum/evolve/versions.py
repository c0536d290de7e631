"""How registry versions reach the rest of Lyceum.

- A trained adapter becomes a *model* candidate (`register_trained_model`) with its training
  metrics and `trained_on_depth`, the deepest `generation_depth` of the rows it was trained
  on; data harvested once it is production is one generation deeper (`loop.harvest_depth`).
- The promoted *prompt* version is the production system-prompt addendum: features ask for
  it with `production_prompt(settings)`, or wrap their model with `with_production_prompt`,
  so that research and lab runs use what won the arena (and what a rollback restored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lyceum.config import Settings
from lyceum.errors import ConfigError
from lyceum.evolve.prompted import PromptedModel
from lyceum.evolve.registry import Registry, Version
from lyceum.llm.model import Model
from lyceum.store.db import open_database
from lyceum.train.rows import training_file_rows
from lyceum.train.trainer import TrainResult

UNLABELLED_DEPTH = 1
"""Depth assumed for a training row without `generation_depth`: model output. Guessing
deeper rather than shallower keeps the gate's depth limit on the safe side."""


def training_data_depth(path: Path) -> int:
    """The deepest `generation_depth` among the rows of a training file (sft/dpo.jsonl as
    `lyceum evolve compose` writes them); rows without the field count as model output."""
    depths = []
    for number, row in training_file_rows(path):
        depth = row.get("generation_depth", UNLABELLED_DEPTH)
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
            raise ConfigError(
                f"{path} line {number}: generation_depth must be a non-negative integer"
            )
        depths.append(depth)
    return max(depths)


def register_trained_model(
    registry: Registry,
    result: TrainResult,
    data: Path,
    *,
    training_kind: str,
    base_model: str,
    route: str = "",
    trained_on_depth: int | None = None,
    name: str = "",
    system_addendum: str = "",
) -> Version:
    """Register a training run's adapter as a model candidate named `name` (default
    `model-vN`). `trained_on_depth` defaults to the training file's deepest generation
    (`training_data_depth`). A run that exported a GGUF adapter is served by the embedded
    backend under the version's name; otherwise `route` names the gateway route that serves
    base + adapter. `system_addendum` makes the version base + adapter + prompt."""
    depth = training_data_depth(data) if trained_on_depth is None else trained_on_depth
    payload: dict[str, Any] = {
        "adapter": result.adapter_dir,
        "base_model": base_model,
        "training_kind": training_kind,
        "training_data": str(data),
        "trained_on_depth": depth,
    }
    if result.adapter_gguf:
        payload["adapter_gguf"] = result.adapter_gguf
    if system_addendum.strip():
        payload["system_addendum"] = system_addendum.strip()
    if route:
        payload["route"] = route
    metrics = {
        "train_steps": result.steps,
        "train_first_loss": result.first_loss,
        "train_last_loss": result.last_loss,
        "train_seconds": result.seconds,
        "train_seconds_per_step": result.seconds_per_step,
        "train_peak_rss_mb": result.peak_rss_mb,
        "train_device": result.device,
    }
    return registry.register(
        "model",
        payload,
        name=name,
        metrics=metrics,
        reason=f"trained ({training_kind}) on {data.name}, data depth {depth}",
    )


def _production_prompt_version(settings: Settings) -> Version | None:
    version = Registry(open_database(settings.database_url)).production("prompt")
    if version is None or not str(version.payload.get("addendum", "")).strip():
        return None
    return version


def production_prompt(settings: Settings) -> str | None:
    """The production prompt version's addendum, or None when no prompt was promoted
    (or its addendum is empty)."""
    version = _production_prompt_version(settings)
    return str(version.payload["addendum"]).strip() if version else None


def with_production_prompt(model: Model, settings: Settings) -> Model:
    """`model` with the production prompt addendum appended to every call's system prompt
    (its name gains `+prompt-vN`); `model` itself when no prompt is in production."""
    version = _production_prompt_version(settings)
    if version is None:
        return model
    addendum = str(version.payload["addendum"]).strip()
    return PromptedModel(model, addendum, label=version.name)
