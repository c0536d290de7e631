"""LoRA / QLoRA SFT and DPO with TRL + PEFT, on a GPU or on the CPU.

The base is an embedded catalogue model read from its GGUF (`base_models`) or a Hugging
Face folder. Without a GPU the run uses the CPU defaults of `cpu` (for settings the caller
left unset), measures and prints its time estimate before starting and reports progress
with an ETA. QLoRA needs a GPU. CPU smoke mode trains a tiny random model (see `tiny`)
to prove the install works. Checkpoints go to `out_dir/checkpoint-N`; a run started again
resumes from the latest.
"""

from __future__ import annotations

import importlib.util
import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lyceum.errors import LyceumError, MissingDependencyError
from lyceum.progress import ProgressCallback, ProgressEvent, ignore_progress
from lyceum.train import cpu
from lyceum.train.base_models import load_base_model, resolve_base_model
from lyceum.train.gguf_lora import base_shape_from_gguf, base_shape_from_hf, export_lora_gguf
from lyceum.train.rows import as_chat, dpo_rows, sft_rows
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
    base_model: str = ""
    device: str = "cpu"
    seconds: float = 0.0
    seconds_per_step: float = 0.0
    peak_rss_mb: float = 0.0
    estimate: cpu.TimeEstimate | None = None
    adapter_gguf: str | None = None


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


def _prepare(spec: _Spec) -> Any:
    """The training libraries, after the checks that make a run pointless without them.

    QLoRA's GPU check comes first: on a CPU machine "no GPU" is the answer, whatever is
    installed.
    """
    if spec.qlora:
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
    """The newest complete checkpoint. The trainer writes `trainer_state.json` after the
    weights and optimiser state, so a folder without it is a save a kill interrupted."""
    checkpoints = [
        p
        for p in out_dir.glob("checkpoint-*")
        if p.name.split("-")[-1].isdigit() and (p / "trainer_state.json").is_file()
    ]
    return max(checkpoints, key=lambda p: int(p.name.split("-")[-1]), default=None)


def _missing_bitsandbytes() -> MissingDependencyError:
    error = MissingDependencyError("bitsandbytes", "train", "QLoRA")
    # bitsandbytes needs CUDA, so the train extra (which must install on CPU machines for the
    # smoke test) leaves it out: it is installed on its own.
    error.hint = "Install it with: pip install bitsandbytes (QLoRA needs a CUDA GPU)"
    return error


def _for_device(spec: _Spec, on_cpu: bool) -> _Spec:
    """On a CPU, the CPU defaults replace the settings the caller left unset."""
    if not on_cpu:
        return spec
    defaults = {
        "batch_size": cpu.CPU_BATCH_SIZE,
        "grad_accum": cpu.CPU_GRAD_ACCUM,
        "max_length": cpu.CPU_MAX_LENGTH,
        "save_steps": cpu.CPU_SAVE_STEPS,
        "target_modules": cpu.CPU_TARGET_MODULES,
    }
    unset = {k: v for k, v in defaults.items() if k not in spec.model_fields_set}
    return spec.model_copy(update=unset)


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
    model, tokenizer = load_base_model(resolve_base_model(spec.base_model), **kwargs)
    return model, tokenizer, spec.target_modules


def _common_args(
    spec: _Spec, out_dir: Path, cpu_smoke: bool, n_rows: int, on_cpu: bool
) -> dict[str, Any]:
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
        "use_cpu": on_cpu,
        "disable_tqdm": True,
        # TRL turns checkpointing on to save GPU memory; a CPU has memory to spare and
        # checkpointing would recompute every forward pass.
        "gradient_checkpointing": not on_cpu,
        # TRL defaults to bf16 autocast; on a CPU without bf16 units that emulates every
        # matmul (measured: a SmolLM2 step took 3.5x the float32 estimate).
        **({"bf16": False, "fp16": False} if on_cpu else {}),
    }


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _run(
    trainer: Any,
    out_dir: Path,
    resume: bool,
    *,
    base_model: str,
    on_cpu: bool,
    estimate: cpu.TimeEstimate | None,
) -> TrainResult:
    checkpoint = latest_checkpoint(out_dir) if resume else None
    started_step = 0
    if checkpoint is not None:
        started_step = int(checkpoint.name.split("-")[-1])
    started = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    seconds = time.perf_counter() - started
    losses = [float(e["loss"]) for e in trainer.state.log_history if "loss" in e]
    adapter = out_dir / "adapter"
    trainer.model.save_pretrained(adapter)
    steps = int(trainer.state.global_step)
    return TrainResult(
        steps=steps,
        losses=losses,
        first_loss=losses[0] if losses else float("nan"),
        last_loss=losses[-1] if losses else float("nan"),
        adapter_dir=str(adapter),
        resumed_from=str(checkpoint) if checkpoint else None,
        base_model=base_model,
        device="cpu" if on_cpu else "cuda",
        seconds=seconds,
        seconds_per_step=seconds / max(1, steps - started_step),
        peak_rss_mb=_peak_rss_mb(),
        estimate=estimate,
    )


ADAPTER_GGUF = "adapter.gguf"


def export_adapter(result: TrainResult) -> TrainResult:
    """The run's adapter also written as a GGUF LoRA adapter (`adapter.gguf` beside the PEFT
    folder), which the embedded llama.cpp backend serves."""
    base = resolve_base_model(result.base_model)
    shape = (
        base_shape_from_gguf(base.gguf_path) if base.gguf_path else base_shape_from_hf(base.folder)
    )
    out = Path(result.adapter_dir).parent / ADAPTER_GGUF
    export_lora_gguf(Path(result.adapter_dir), shape, out)
    return result.model_copy(update={"adapter_gguf": str(out)})


def _lora(peft: Any, spec: _Spec, targets: Any) -> Any:
    return peft.LoraConfig(
        r=spec.rank,
        lora_alpha=spec.alpha,
        lora_dropout=spec.dropout,
        target_modules=targets,
        task_type="CAUSAL_LM",
    )


def _longest_ids(
    tokenizer: Any, rows: list[dict[str, Any]], max_length: int, batch: int
) -> tuple[Any, float]:
    """The `batch` longest rows, tokenised with the chat template and cut to `max_length`
    (the micro-batch the estimate is measured on), and the mean row's length in tokens."""
    import torch

    def text(row: dict[str, Any]) -> str:
        answer = row.get("completion") or row.get("chosen") or []
        messages = list(row["prompt"]) + list(answer)
        if getattr(tokenizer, "chat_template", None):
            return str(tokenizer.apply_chat_template(messages, tokenize=False))
        return " ".join(str(m["content"]) for m in messages)

    encoded = [tokenizer(text(r))["input_ids"][:max_length] for r in rows]
    encoded.sort(key=len, reverse=True)
    chosen = encoded[:batch]
    width = len(chosen[0])
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    mean = sum(len(ids) for ids in encoded) / len(encoded)
    return torch.tensor([ids + [pad] * (width - len(ids)) for ids in chosen]), mean


@dataclass
class _Prepared:
    """Everything a trainer needs, after the model is loaded and the estimate printed."""

    datasets: Any
    trl: Any
    spec: _Spec
    model: Any
    tokenizer: Any
    rows: list[dict[str, Any]]
    args: dict[str, Any]
    on_cpu: bool
    estimate: cpu.TimeEstimate | None
    callbacks: list[Any]


def _setup(
    spec: _Spec,
    rows: list[dict[str, Any]],
    out_dir: Path,
    *,
    cpu_smoke: bool,
    dpo: bool,
    max_seconds: float | None,
    progress: ProgressCallback | None,
) -> _Prepared:
    """Libraries, model, tokenizer, settings, dataset rows, estimate and callbacks."""
    datasets, peft, trl = _prepare(spec)
    on_cpu = cpu_smoke or not has_gpu()
    spec = _for_device(spec, on_cpu and not cpu_smoke)
    if on_cpu:
        import torch

        torch.set_num_threads(cpu.cpu_threads())
    model, tokenizer, targets = _model_and_tokenizer(spec, out_dir, cpu_smoke)
    if not cpu_smoke and getattr(tokenizer, "chat_template", None):
        rows = as_chat(rows)
    model = peft.get_peft_model(model, _lora(peft, spec, targets))
    args = _common_args(spec, out_dir, cpu_smoke, len(rows), on_cpu)
    emit = progress or ignore_progress
    estimate = None
    total = cpu.planned_steps(
        len(rows), args["per_device_train_batch_size"], args["gradient_accumulation_steps"],
        spec.epochs, args["max_steps"],
    )  # fmt: skip
    if on_cpu and not cpu_smoke:
        ids, mean = _longest_ids(
            tokenizer, rows, args["max_length"], args["per_device_train_batch_size"]
        )
        done = latest_checkpoint(out_dir)
        already = int(done.name.split("-")[-1]) if done is not None else 0
        estimate = cpu.estimate(
            model, ids, steps=max(1, total - already), grad_accum=args["gradient_accumulation_steps"],
            dpo=dpo, max_seconds=max_seconds, mean_tokens=mean,
        )  # fmt: skip
        if estimate.steps < estimate.planned_steps:
            total = already + estimate.steps
            args["max_steps"] = total
        emit(ProgressEvent(kind="note", task=cpu.PROGRESS_TASK, message=estimate.describe()))
    callbacks = [cpu.progress_callback(total, max_seconds=max_seconds, progress=emit)]
    return _Prepared(datasets, trl, spec, model, tokenizer, rows, args, on_cpu, estimate,
                     callbacks)  # fmt: skip


def train_sft(
    spec: SFTSpec,
    data: Path,
    out_dir: Path,
    *,
    resume: bool = True,
    cpu_smoke: bool = False,
    max_seconds: float | None = None,
    progress: ProgressCallback | None = None,
) -> TrainResult:
    """LoRA SFT on an sft.jsonl (instruction, input, output); returns the logged losses.
    `max_seconds` caps the run (the step count is fitted to the measured estimate)."""
    rows = sft_rows(data)  # a bad file is named before anything heavy is imported
    run = _setup(spec, rows, out_dir, cpu_smoke=cpu_smoke, dpo=False, max_seconds=max_seconds,
                 progress=progress)  # fmt: skip
    trainer = run.trl.SFTTrainer(
        model=run.model,
        args=run.trl.SFTConfig(**run.args, packing=False),
        train_dataset=run.datasets.Dataset.from_list(run.rows),
        processing_class=run.tokenizer,
        callbacks=run.callbacks,
    )
    result = _run(trainer, out_dir, resume, base_model=run.spec.base_model, on_cpu=run.on_cpu,
                  estimate=run.estimate)  # fmt: skip
    return result if cpu_smoke else export_adapter(result)


def train_dpo(
    spec: DPOSpec,
    data: Path,
    out_dir: Path,
    *,
    resume: bool = True,
    cpu_smoke: bool = False,
    max_seconds: float | None = None,
    progress: ProgressCallback | None = None,
) -> TrainResult:
    """LoRA DPO on a dpo.jsonl (prompt, chosen, rejected); the frozen base is the reference."""
    rows = dpo_rows(data)  # a bad file is named before anything heavy is imported
    run = _setup(spec, rows, out_dir, cpu_smoke=cpu_smoke, dpo=True, max_seconds=max_seconds,
                 progress=progress)  # fmt: skip
    trainer = run.trl.DPOTrainer(
        model=run.model,
        args=run.trl.DPOConfig(**run.args, beta=spec.beta),
        train_dataset=run.datasets.Dataset.from_list(run.rows),
        processing_class=run.tokenizer,
        callbacks=run.callbacks,
    )
    result = _run(trainer, out_dir, resume, base_model=run.spec.base_model, on_cpu=run.on_cpu,
                  estimate=run.estimate)  # fmt: skip
    return result if cpu_smoke else export_adapter(result)
