"""Training configurations within the design's recommended ranges.

LoRA rank 8-64 with alpha = 2 x rank; learning rate 1e-4 to 2e-4 for SFT and 5e-6 to 5e-5
for DPO with beta 0.1. Values outside the ranges are errors, not silent clamps.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_model: str = Field(default="", description="Hugging Face model folder or hub id.")
    rank: int = Field(default=16, ge=8, le=64, description="LoRA rank.")
    alpha: int | None = Field(default=None, description="LoRA alpha; default 2 x rank.")
    dropout: float = Field(default=0.05, ge=0, lt=1, description="LoRA dropout.")
    target_modules: list[str] | str = Field(
        default="all-linear", description="Modules LoRA adapts ('all-linear' or names)."
    )
    qlora: bool = Field(default=False, description="Load the base in 4 bits (bitsandbytes).")
    epochs: float = Field(default=1.0, gt=0, description="Passes over the data.")
    max_steps: int = Field(default=-1, description="Stop after this many steps (-1: epochs).")
    batch_size: int = Field(default=4, ge=1, description="Per-device batch size.")
    grad_accum: int = Field(default=4, ge=1, description="Gradient accumulation steps.")
    max_length: int = Field(default=1024, ge=8, description="Tokens per example.")
    save_steps: int = Field(default=100, ge=1, description="Checkpoint every N steps.")
    save_total_limit: int = Field(default=3, ge=1, description="Checkpoints kept.")
    seed: int = Field(default=0, description="Training seed.")

    @model_validator(mode="after")
    def _alpha(self) -> _Spec:
        if self.alpha is None:
            self.alpha = 2 * self.rank
        return self


class SFTSpec(_Spec):
    learning_rate: float = Field(default=2e-4, ge=1e-4, le=2e-4, description="SFT LR.")


class DPOSpec(_Spec):
    learning_rate: float = Field(default=5e-6, ge=5e-6, le=5e-5, description="DPO LR.")
    beta: float = Field(default=0.1, gt=0, le=1, description="DPO temperature.")
