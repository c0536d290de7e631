"""The `[lab]` table of lyceum.toml."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from lyceum.config import Settings, feature_settings


class LabSettings(BaseModel):
    """How experiments record results and how reports compute statistics."""

    model_config = ConfigDict(extra="forbid")

    record_messages: bool = Field(
        default=True,
        description="Keep each call's prompt messages in the per-example trace (the call "
        "log keeps them too unless store.record_prompts is off).",
    )
    bootstrap_resamples: int = Field(
        default=10_000, ge=100, description="Resamples of the paired bootstrap in reports."
    )
    bootstrap_seed: int = Field(default=0, description="Seed of the paired bootstrap.")


def lab_settings(settings: Settings) -> LabSettings:
    return feature_settings(settings, "lab", LabSettings)
