"""Experiment files: YAML declaring datasets, methods, models, sampling and metrics.

Everything is validated before the first model call: unknown keys, unknown method,
metric or dataset names and bad method parameters are errors that name the field
(`methods.1.params.samples: ...`). The hash of the validated config identifies the
experiment, so a resumed run can check it is continuing the same experiment.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

import lyceum.lab.datasets.files
import lyceum.lab.datasets.named  # noqa: F401 - registers the named datasets
from lyceum.errors import ConfigError, NotFoundError, validation_problems
from lyceum.lab.datasets.base import DATASETS, validate_options
from lyceum.lab.methods import METHODS, validate_params
from lyceum.lab.metrics import METRICS


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatasetSpec(_Spec):
    """A dataset of the experiment: a registered name plus its options."""

    name: str = Field(description="Registered dataset (squad, jsonl, gsm8k, ...).")
    label: str | None = Field(default=None, description="Name in reports; default `name`.")
    sample_size: int | None = Field(
        default=None, ge=1, description="Overrides the experiment's sample_size for this one."
    )
    options: dict[str, Any] = Field(
        default_factory=dict, description="Loader options, e.g. {path: data.jsonl}."
    )

    @model_validator(mode="after")
    def _known(self) -> DatasetSpec:
        if self.name not in DATASETS:
            raise ValueError(f"unknown dataset {self.name!r}; known: {', '.join(DATASETS.names())}")
        validate_options(self.name, self.options)
        return self

    @property
    def key(self) -> str:
        return self.label or self.name


class MethodSpec(_Spec):
    """A method of the experiment: a registered name, a label and its parameters."""

    name: str = Field(description="Registered method (naive, cot, self_consistency, ...).")
    label: str | None = Field(
        default=None, description="Name in results and reports; default `name`."
    )
    params: dict[str, Any] = Field(default_factory=dict, description="Method parameters.")

    @model_validator(mode="after")
    def _known(self) -> MethodSpec:
        if self.name not in METHODS:
            raise ValueError(f"unknown method {self.name!r}; known: {', '.join(METHODS.names())}")
        validate_params(self.name, self.params)
        return self

    @property
    def key(self) -> str:
        return self.label or self.name


def _names_to_specs(value: Any) -> Any:
    """Allow `- naive` as shorthand for `- {name: naive}`."""
    if isinstance(value, list):
        return [{"name": v} if isinstance(v, str) else v for v in value]
    return value


class ExperimentConfig(_Spec):
    """An experiment: every combination of dataset x model x method, on a seeded sample."""

    name: str = Field(description="Human-readable name of the experiment.")
    description: str = Field(default="", description="What the experiment asks.")
    datasets: list[DatasetSpec] = Field(min_length=1, description="Datasets to run on.")
    methods: list[MethodSpec] = Field(min_length=1, description="Methods to compare.")
    models: list[str] = Field(
        min_length=1, description="Gateway roles/routes or backend names, e.g. [local]."
    )
    sample_size: int | None = Field(
        default=None, ge=1, description="Examples drawn per dataset; all when unset."
    )
    seed: int = Field(default=0, description="Seed of the sampling (saved with the run).")
    concurrency: int = Field(default=4, ge=1, le=256, description="Examples in flight at once.")
    metrics: list[str] = Field(
        default_factory=lambda: ["exact_match", "token_f1"],
        min_length=1,
        description="Per-example metrics; the first is the primary one for comparisons.",
    )
    correct_threshold: float = Field(
        default=0.5, ge=0, le=1, description="Primary score at which an example counts correct."
    )
    alpha: float = Field(default=0.05, gt=0, lt=1, description="Significance level of reports.")

    _normalize_datasets = field_validator("datasets", "methods", mode="before")(
        classmethod(lambda cls, v: _names_to_specs(v))
    )

    @field_validator("metrics")
    @classmethod
    def _known_metrics(cls, value: list[str]) -> list[str]:
        unknown = [m for m in value if m not in METRICS]
        if unknown:
            raise ValueError(f"unknown metric(s) {unknown}; known: {', '.join(METRICS.names())}")
        return value

    @model_validator(mode="after")
    def _unique_labels(self) -> ExperimentConfig:
        for what, keys in (
            ("methods", [m.key for m in self.methods]),
            ("datasets", [d.key for d in self.datasets]),
            ("models", list(self.models)),
        ):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                raise ValueError(f"{what} repeat {dupes}; give each a distinct label")
        return self

    def config_hash(self) -> str:
        """Stable identity of the experiment: sha256 of its canonical JSON (12 hex digits)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def _format_errors(exc: ValidationError) -> str:
    return "; ".join(validation_problems(exc))


# The shape of a minimal experiment, in the hint itself: a pip-installed user has no
# examples/ folder to look at.
EXPERIMENT_HINT = (
    "A minimal experiment: name: demo / datasets: [{name: squad}] / models: [default] / "
    "methods: [naive, cot] / sample_size: 20 (datasets: squad, truthfulqa, strategyqa, "
    "fever, arithmetic, freshqa, or {name: jsonl, options: {path: FILE}})."
)


def parse_experiment(data: Any, source: str = "experiment") -> ExperimentConfig:
    """Validate a mapping as an experiment; `ConfigError` naming each bad field."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source} must be a mapping of experiment fields")
    try:
        return ExperimentConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            f"invalid experiment {source}: {_format_errors(exc)}",
            hint=EXPERIMENT_HINT,
        ) from None


def load_experiment(path: Path | str) -> ExperimentConfig:
    """Read and validate an experiment YAML file."""
    p = Path(path)
    if not p.is_file():
        raise NotFoundError(f"experiment file {p} does not exist")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p} is not valid YAML: {exc}") from None
    return parse_experiment(data, str(p))
