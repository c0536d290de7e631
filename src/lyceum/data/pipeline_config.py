"""The pipeline file: which steps run, with which options, on which executor.

name: arxiv-cpt
output: out/arxiv            # relative to this file
executor: local              # or: ray
workers: 2
steps:
  - read: {paths: [papers/]}
  - clean: {languages: [en], min_words: 200}
  - dedup: {threshold: 0.8}
  - format: {kind: cpt, splits: {train: 0.98, validation: 0.01, test: 0.01}}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lyceum.data.clean import CleanConfig
from lyceum.data.dedup import DedupConfig
from lyceum.data.formats import FormatConfig
from lyceum.data.readers import ReadConfig
from lyceum.errors import ConfigError, validation_problems

STEP_CONFIGS: dict[str, type[BaseModel]] = {
    "read": ReadConfig,
    "clean": CleanConfig,
    "dedup": DedupConfig,
    "format": FormatConfig,
}


class StepSpec(BaseModel):
    """One step: its kind and validated options."""

    model_config = ConfigDict(extra="forbid")

    name: str
    options: BaseModel

    def options_json(self) -> str:
        return self.options.model_dump_json()


class PipelineConfig(BaseModel):
    """A whole pipeline, as written in its YAML file."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    name: str = Field(default="pipeline", description="Shown in progress and reports.")
    output: Path = Field(description="Directory for step outputs, manifest and report.")
    executor: Literal["local", "ray"] = Field(
        default="local", description="local: a process pool; ray: Ray Data (local or cluster)."
    )
    workers: int | None = Field(
        default=None, ge=1, description="Processes (local) or CPUs (ray); default: all cores."
    )
    ray_address: str | None = Field(
        default=None, description="Ray cluster to join (e.g. 'auto'); default starts Ray locally."
    )
    batch_size: int = Field(default=256, ge=1, description="Records per batch for clean/format.")
    steps: list[StepSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _order(self) -> PipelineConfig:
        names = [s.name for s in self.steps]
        if names[0] != "read":
            raise ValueError("the first step must be 'read' (it names the input paths)")
        if "read" in names[1:]:
            raise ValueError("'read' may appear only once, first")
        if "format" in names[:-1]:
            raise ValueError("'format' must be the last step (it writes the split files)")
        return self


def _parse_step(item: Any, position: int, base: Path) -> StepSpec:
    if isinstance(item, str):
        item = {item: {}}
    if not isinstance(item, dict) or len(item) != 1:
        raise ConfigError(
            f"steps[{position}] must be a mapping with one key (the step name), got {item!r}",
            hint=f"Write e.g. `- clean: {{min_words: 50}}`; steps are {sorted(STEP_CONFIGS)}.",
        )
    [(name, options)] = item.items()
    if name not in STEP_CONFIGS:
        raise ConfigError(
            f"steps[{position}]: unknown step {name!r}", hint=f"Steps are {sorted(STEP_CONFIGS)}."
        )
    options = dict(options or {})
    if name == "read":
        # Input paths are relative to the pipeline file, like the output directory.
        for key in ("paths", "arxiv_metadata"):
            options[key] = [str((base / p).expanduser()) for p in options.get(key, [])]
    try:
        validated = STEP_CONFIGS[name](**options)
    except ValidationError as exc:
        problems = "; ".join(validation_problems(exc, prefix=name))
        raise ConfigError(f"steps[{position}] ({name}): {problems}") from exc
    return StepSpec(name=name, options=validated)


def parse_pipeline(data: dict[str, Any], base: Path) -> PipelineConfig:
    """Validate a pipeline mapping; relative paths resolve against `base`."""
    if not isinstance(data, dict):
        raise ConfigError("a pipeline file must be a YAML mapping")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ConfigError("the pipeline has no steps", hint="Add `steps:` with read first.")
    steps = [_parse_step(item, i, base) for i, item in enumerate(raw_steps)]
    if "output" not in data:
        raise ConfigError("the pipeline has no `output` directory")
    fields = {**data, "steps": steps, "output": base / str(data["output"])}
    try:
        return PipelineConfig(**fields)
    except ValidationError as exc:
        problems = "; ".join(validation_problems(exc))
        raise ConfigError(f"invalid pipeline: {problems}") from exc


def load_pipeline(path: Path | str) -> PipelineConfig:
    """Read and validate a pipeline YAML file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"pipeline file {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
    return parse_pipeline(data, path.parent.resolve())
