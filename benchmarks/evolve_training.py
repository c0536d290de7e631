"""CPU LoRA training of the embedded models, measured: seconds and peak memory per step,
steps per hour, the pre-run estimate against the measured step time (their ratio), and
the exported adapter's parity with the PEFT model it came from.

Each model trains in its own process (peak RSS is per process). Results go to
benchmarks/results/evolve_training.json with the date, machine, load average and commit.

    python benchmarks/evolve_training.py [--steps 3] [--models smollm2-135m-instruct ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
MODELS = ("smollm2-135m-instruct", "qwen2.5-coder-0.5b-instruct")
PARITY_PROMPTS = ["What is the code of box 1?", "What is the code of box 4?",
                  "Name a planet.", "What is 12+30?"]  # fmt: skip


def _rows() -> list[dict[str, str]]:
    return [{"instruction": f"What is the code of box {i}?", "output": f"Box {i}: ZEBRA-{i}."}
            for i in range(16)]  # fmt: skip


def train_one(model: str, steps: int, kind: str, parity: bool) -> dict[str, object]:
    """One training run in this process (called in a child process by `main`)."""
    sys.path.insert(0, str(ROOT / "src"))
    from lyceum.train import DPOSpec, SFTSpec, train_dpo, train_sft

    work = Path(tempfile.mkdtemp(prefix="evolve-bench-"))
    if kind == "sft":
        data = work / "sft.jsonl"
        data.write_text("".join(json.dumps(r) + "\n" for r in _rows()))
        spec = SFTSpec(base_model=model, max_steps=steps, max_length=256)
        result = train_sft(spec, data, work / "run", progress=lambda _: None)
    else:
        data = work / "dpo.jsonl"
        rows = [{"prompt": r["instruction"], "chosen": r["output"],
                 "rejected": "I cannot know that."} for r in _rows()]  # fmt: skip
        data.write_text("".join(json.dumps(r) + "\n" for r in rows))
        spec = DPOSpec(base_model=model, max_steps=steps, max_length=256)
        result = train_dpo(spec, data, work / "run", progress=lambda _: None)
    assert result.estimate is not None
    out: dict[str, object] = {
        "model": model,
        "kind": kind,
        "steps": result.steps,
        "batch_size": 1,
        "grad_accum": 4,
        "max_length": 256,
        "threads": result.estimate.threads,
        "seconds": result.seconds,
        "seconds_per_step": result.seconds_per_step,
        "steps_per_hour": 3600 / result.seconds_per_step,
        "estimated_seconds_per_step": result.estimate.seconds_per_step,
        "measured_over_estimate": result.seconds_per_step / result.estimate.seconds_per_step,
        "peak_rss_mb": result.peak_rss_mb,
        "first_loss": result.first_loss,
        "last_loss": result.last_loss,
        "adapter_gguf_bytes": Path(str(result.adapter_gguf)).stat().st_size,
    }
    if parity:
        out["parity"] = _parity(model, Path(result.adapter_dir), Path(str(result.adapter_gguf)))
    return out


def _parity(model: str, adapter_dir: Path, adapter_gguf: Path) -> dict[str, object]:
    from peft import PeftModel

    from lyceum.train.base_models import load_base_model, resolve_base_model
    from lyceum.train.parity import adapter_parity

    base, tokenizer = load_base_model(resolve_base_model(model))
    peft_model = PeftModel.from_pretrained(base, str(adapter_dir))
    report = adapter_parity(peft_model, tokenizer, model, adapter_gguf, PARITY_PROMPTS)
    return {
        "n_tokens": report.n_tokens,
        "mean_agreement_with_adapter": report.mean_agreement_adapter,
        "mean_agreement_without_adapter": report.mean_agreement_base,
        "prompts": [p.model_dump() for p in report.prompts],
    }


def _commit() -> str:
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--models", nargs="*", default=list(MODELS))
    parser.add_argument("--kinds", nargs="*", default=["sft", "dpo"])
    parser.add_argument("--child", nargs=3, metavar=("MODEL", "KIND", "PARITY"))
    args = parser.parse_args()
    if args.child:
        model, kind, parity = args.child
        print(json.dumps(train_one(model, args.steps, kind, parity == "1")))
        return
    load_before = os.getloadavg()
    runs = []
    for model in args.models:
        for kind in args.kinds:
            parity = "1" if kind == "sft" else "0"
            child = subprocess.run(
                [sys.executable, __file__, "--steps", str(args.steps), "--child", model, kind, parity],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if child.returncode != 0:
                runs.append({"model": model, "kind": kind, "error": child.stderr[-2000:]})
                continue
            runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
            print(json.dumps({k: v for k, v in runs[-1].items() if k != "parity"}))
    sft = {r["model"]: r for r in runs if r.get("kind") == "sft" and "error" not in r}
    ratio = None
    if len(sft) == 2:
        small, large = (sft[m]["seconds_per_step"] for m in MODELS)
        ratio = large / small  # type: ignore[operator]
    record = {
        "benchmark": "evolve_training",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "commit": _commit(),
        "steps": args.steps,
        "qwen_over_smollm2_seconds_per_step": ratio,
        "runs": runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "evolve_training.json"
    out.write_text(json.dumps(record, indent=1, default=str))
    print(f"-> {out}")


if __name__ == "__main__":
    main()
