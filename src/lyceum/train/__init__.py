"""Training (optional `train` extra): LoRA/QLoRA SFT and DPO with TRL + PEFT.

torch, transformers, trl and peft load only when a training function runs.
"""

from lyceum.train.specs import DPOSpec, SFTSpec
from lyceum.train.trainer import (
    TrainingUnavailableError,
    TrainResult,
    has_gpu,
    latest_checkpoint,
    require_gpu,
    train_dpo,
    train_sft,
)

__all__ = [
    "DPOSpec",
    "SFTSpec",
    "TrainResult",
    "TrainingUnavailableError",
    "has_gpu",
    "latest_checkpoint",
    "require_gpu",
    "train_dpo",
    "train_sft",
]
