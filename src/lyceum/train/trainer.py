"""LoRA / QLoRA SFT and DPO with TRL + PEFT.

Without a CUDA GPU training stops with `TrainingUnavailableError`, except in CPU smoke mode,
which trains a tiny random model (see `tiny`) for a few steps to prove the install works.
Checkpoints go to `out_dir/checkpoint-N`; a run started again resumes from the latest.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lyceum.errors import ConfigError, LyceumError, MissingDependencyError, NotFoundError
from lyceum.train.specs import DPOSpec, SFTSpec, _Spec
from lyceum.train.tiny import build_tiny_model

SMOKE_STEPS = 12


class TrainingUnavailableError(LyceumError):
    """Training needs a GPU this machine does not have."""


class TrainResult(BaseModel):
    steps: int
    losses: list[float]
    first_loss: float
    last_loss: float
    adapter_dir: str
    resumed_from: str | None = None


def has_gpu() -> bool:
    """Whether a CUDA GPU is usable; False when torch is not even installed."""
    if importlib.util.find_spec("torch") is None:
        return False
    import torch

    return bool(torch.cuda.is_available())


def require_gpu() -> None:
    if not has_gpu():
        raise TrainingUnavailableError(
            "training a model needs a CUDA GPU and none was found on this machine",
            hint="Run on a GPU machine, use prompt-level evolution ('lyceum evolve "
            "evolve-prompt'), or check the install with --cpu-smoke.",
        )


def _prepare(cpu_smoke: bool) -> Any:
    """The training libraries, after the checks that make a run pointless without them.

    The GPU check comes first: on a CPU machine "no GPU" is the answer, whatever is installed.
    """
    if not cpu_smoke:
        require_gpu()
    try:
        import datasets
        import peft
        import trl
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "trl", "train", "Training") from None
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    datasets.disable_progress_bars()
    return datasets, peft, trl


def latest_checkpoint(out_dir: Path) -> Path | None:
    checkpoints = [p for p in out_dir.glob("checkpoint-*") if p.name.split("-")[-1].isdigit()]
    return max(checkpoints, key=lambda p: int(p.name.split("-")[-1]), default=None)


def training_file_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The JSON objects of a training file with their line numbers; a missing file, a line
    that is not a JSON object and a file without rows are errors naming the problem."""
    if not path.exists():
        raise NotFoundError(f"no training file {path}")
    rows: list[tuple[int, dict[str, Any]]] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path} line {i} is not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise ConfigError(f"{path} line {i} is not a JSON object")
        rows.append((i, row))
    if not rows:
        raise ConfigError(f"{path} holds no rows")
    return rows


def _rows(path: Path, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = training_file_rows(path)
    for i, row in rows:
        missing = [f for f in fields if not row.get(f)]
        if missing:
            raise ConfigError(
                f"{path} line {i} lacks {missing}", hint="Use 'lyceum evolve compose'."
            )
    return [row for _, row in rows]


def sft_rows(path: Path) -> list[dict[str, str]]:
    """sft.jsonl rows as TRL prompt/completion pairs."""
    out = []
    for r in _rows(path, ("instruction", "output")):
        prompt = f"{r['instruction']}\n\n{r['input']}" if r.get("input") else r["instruction"]
        out.append({"prompt": prompt + "\n", "completion": r["output"]})
    return out


def dpo_rows(path: Path) -> list[dict[str, str]]:
    return [
        {"prompt": r["prompt"], "chosen": r["chosen"], "rejected": r["rejected"]}
        for r in _rows(path, ("prompt", "chosen", "rejected"))
    ]


def _missing_bitsandbytes() -> MissingDependencyError:
    error = MissingDependencyError("bitsandbytes", "train", "QLoRA")
    # bitsandbytes needs CUDA, so the train extra (which must install on CPU machines for the
    # smoke test) leaves it out: it is installed on its own.
    error.hint = "Install it with: pip install bitsandbytes (QLoRA needs a CUDA GPU)"
    return error


def _model_and_tokenizer(spec: _Spec, out_dir: Path, cpu_smoke: bool) -> tuple[Any, Any, Any]:
    """(model, tokenizer, LoRA target modules)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if cpu_smoke:
        folder = build_tiny_model(out_dir / "tiny-base", seed=spec.seed)
        targets: Any = ["c_attn", "c_proj", "c_fc"]
        return (
            AutoModelForCausalLM.from_pretrained(folder),
            AutoTokenizer.from_pretrained(folder),
            targets,
        )
    if not spec.base_model:
        raise ConfigError("training needs a base model", hint="Pass --base-model FOLDER.")
    kwargs: dict[str, Any] = {}
    if spec.qlora:
        try:
            import bitsandbytes  # noqa: F401
            from transformers import BitsAndBytesConfig
        except ImportError:
            raise _missing_bitsandbytes() from None
        import torch

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16
        )
    model = AutoModelForCausalLM.from_pretrained(spec.base_model, **kwargs)
    tokenizer = AutoTokenizer.from_pretrained(spec.base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer, spec.target_modules


def _common_args(spec: _Spec, out_dir: Path, cpu_smoke: bool, n_rows: int) -> dict[str, Any]:
    # The smoke run takes the whole (small) data set as one batch: every step sees the same
    # examples, so a working trainer shows a steadily falling loss.
    return {
        "output_dir": str(out_dir),
        "learning_rate": spec.learning_rate,  # type: ignore[attr-defined]
        "num_train_epochs": spec.epochs,
        "max_steps": SMOKE_STEPS if cpu_smoke else spec.max_steps,
        "per_device_train_batch_size": min(n_rows, 16) if cpu_smoke else spec.batch_size,
        "gradient_accumulation_steps": 1 if cpu_smoke else spec.grad_accum,
        "max_length": 128 if cpu_smoke else spec.max_length,
        "save_steps": SMOKE_STEPS // 2 if cpu_smoke else spec.save_steps,
        "save_total_limit": spec.save_total_limit,
        "logging_steps": 1,
        "seed": spec.seed,
        "report_to": "none",
        "use_cpu": cpu_smoke,
        "disable_tqdm": True,
    }


def _run(trainer: Any, out_dir: Path, resume: bool) -> TrainResult:
    checkpoint = latest_checkpoint(out_dir) if resume else None
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    losses = [float(e["loss"]) for e in trainer.state.log_history if "loss" in e]
    adapter = out_dir / "adapter"
    trainer.model.save_pretrained(adapter)
    return TrainResult(
        steps=int(trainer.state.global_step),
        losses=losses,
        first_loss=losses[0] if losses else float("nan"),
        last_loss=losses[-1] if losses else float("nan"),
        adapter_dir=str(adapter),
        resumed_from=str(checkpoint) if checkpoint else None,
    )


def _lora(peft: Any, spec: _Spec, targets: Any) -> Any:
    return peft.LoraConfig(
        r=spec.rank,
        lora_alpha=spec.alpha,
        lora_dropout=spec.dropout,
        target_modules=targets,
        task_type="CAUSAL_LM",
    )


def train_sft(
    spec: SFTSpec, data: Path, out_dir: Path, *, resume: bool = True, cpu_smoke: bool = False
) -> TrainResult:
    """LoRA SFT on an sft.jsonl (instruction, input, output); returns the logged losses."""
    rows = sft_rows(data)  # a bad file is named before anything heavy is imported
    datasets, peft, trl = _prepare(cpu_smoke)
    model, tokenizer, targets = _model_and_tokenizer(spec, out_dir, cpu_smoke)
    args = trl.SFTConfig(**_common_args(spec, out_dir, cpu_smoke, len(rows)), packing=False)
    trainer = trl.SFTTrainer(
        model=model,
        args=args,
        train_dataset=datasets.Dataset.from_list(rows),
        processing_class=tokenizer,
        peft_config=_lora(peft, spec, targets),
    )
    return _run(trainer, out_dir, resume)


def train_dpo(
    spec: DPOSpec, data: Path, out_dir: Path, *, resume: bool = True, cpu_smoke: bool = False
) -> TrainResult:
    """LoRA DPO on a dpo.jsonl (prompt, chosen, rejected); the frozen base is the reference."""
    rows = dpo_rows(data)  # a bad file is named before anything heavy is imported
    datasets, peft, trl = _prepare(cpu_smoke)
    model, tokenizer, targets = _model_and_tokenizer(spec, out_dir, cpu_smoke)
    args = trl.DPOConfig(**_common_args(spec, out_dir, cpu_smoke, len(rows)), beta=spec.beta)
    trainer = trl.DPOTrainer(
        model=model,
        args=args,
        train_dataset=datasets.Dataset.from_list(rows),
        processing_class=tokenizer,
        peft_config=_lora(peft, spec, targets),
    )
    return _run(trainer, out_dir, resume)
