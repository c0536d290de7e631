"""The `[evolve]` table of lyceum.toml: gate thresholds, corpus mix, arena rules."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lyceum.config import Settings, feature_settings


class EvolveSettings(BaseModel):
    """How candidate data is gated and mixed, and what a candidate must do to be promoted."""

    model_config = ConfigDict(extra="forbid")

    max_synthetic_share: float = Field(
        default=0.40,
        ge=0,
        le=1,
        description="Largest share of synthetic examples in the corpus after adding a batch.",
    )
    max_generation_depth: int = Field(
        default=2,
        ge=0,
        description="Deepest generation allowed (0 human, 1 model output, 2 output of a model "
        "trained on outputs).",
    )
    min_diversity_ratio: float = Field(
        default=0.85,
        ge=0,
        description="Diversity of corpus + batch must be at least this times the corpus's.",
    )
    min_mean_quality: float = Field(
        default=0.8, ge=0, le=1, description="Smallest mean quality (0-1) of a batch."
    )
    embedding_model: str = Field(
        default="minilm",
        description="Embedder of the diversity measure ('minilm', 'hashing' or a model folder).",
    )
    diversity_sample: int = Field(
        default=2000,
        ge=2,
        description="Texts embedded per diversity measure; larger sets are sampled by a "
        "seeded hash of their text.",
    )
    seed: int = Field(default=0, description="Seed of diversity sampling, review and compose.")
    anchor_path: Path | None = Field(
        default=None,
        description="Human-curated anchor corpus (batch-format JSONL), relative to the "
        "workspace; part of the current corpus and never removed from a composition.",
    )
    review_sample: int = Field(default=5, ge=1, description="Examples shown by `evolve review`.")
    mix_anchor: float = Field(default=0.60, ge=0, le=1, description="Anchor share of a corpus.")
    mix_trajectories: float = Field(
        default=0.30, ge=0, le=1, description="Validated trajectories' share of a corpus."
    )
    mix_negatives: float = Field(
        default=0.10, ge=0, le=1, description="Negative examples' (DPO pairs) share."
    )
    arena_experiment: Path | None = Field(
        default=None,
        description="Experiment YAML of the arena's benchmark suite, relative to the workspace.",
    )
    arena_tasks: Path | None = Field(
        default=None,
        description="Held-out writer tasks (JSONL from `lyceum evolve tasks`), relative to the "
        "workspace. When set, the arena's target metric is the writer's first drafts supported "
        "as written on these tasks, and `arena_experiment` only checks capabilities.",
    )
    arena_margin: float = Field(
        default=0.03, ge=0, le=1, description="Accuracy a candidate must gain over production."
    )
    arena_max_regression: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="Largest accuracy loss allowed on any one dataset of the suite.",
    )
    arena_alpha: float = Field(
        default=0.05, gt=0, lt=1, description="Significance level (McNemar) of the win."
    )
    arena_model: str = Field(
        default="default",
        description="Gateway route prompt versions run on in the arena ('default' = tiers).",
    )
    max_principles: int = Field(
        default=12, ge=1, description="Principles kept in a system-prompt addendum."
    )
    principle_similarity: float = Field(
        default=0.9,
        gt=0,
        le=1,
        description="Cosine similarity at which two principles count as duplicates.",
    )

    @model_validator(mode="after")
    def _mix_sums_to_one(self) -> EvolveSettings:
        total = self.mix_anchor + self.mix_trajectories + self.mix_negatives
        if abs(total - 1.0) > 1e-6:
            raise ValueError(
                f"mix_anchor + mix_trajectories + mix_negatives must be 1, got {total}"
            )
        return self

    def resolve(self, path: Path | None, workspace: Path) -> Path | None:
        if path is None:
            return None
        return path if path.is_absolute() else workspace / path


def evolve_settings(settings: Settings) -> EvolveSettings:
    return feature_settings(settings, "evolve", EvolveSettings)
