"""The `[data]` table of lyceum.toml: defaults for how data steps run."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lyceum.config import Settings, feature_settings


class DataSettings(BaseModel):
    """Defaults for `lyceum data` commands; a pipeline file's own values take precedence."""

    model_config = ConfigDict(extra="forbid")

    workers: int | None = Field(
        default=None, ge=1, description="Worker processes for data steps; default: all cores."
    )
    executor: Literal["local", "ray"] = Field(
        default="local", description="Executor for single-step commands: local or ray."
    )
    ray_address: str | None = Field(
        default=None, description="Ray cluster address ('auto' joins a running cluster)."
    )


def data_settings(settings: Settings) -> DataSettings:
    return feature_settings(settings, "data", DataSettings)
