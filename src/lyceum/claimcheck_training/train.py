"""Train the faithfulness verifier: all-MiniLM-L6-v2 fine-tuned as a 3-class cross-encoder.

`python -m lyceum.claimcheck_training.train` reproduces the shipped model (seeded) on the
CPU: VitaminC pairs from `data`, one epoch, word embeddings frozen (they are half
the parameters and barely move in one epoch; freezing them makes each step cheaper), batches
bucketed by length so little time goes to padding. A temperature fitted on the validation
split calibrates the probabilities; the held-out test split gives the report
(`eval_report.json`) written beside the model, whose weights are saved in fp16.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lyceum.claimcheck.model import verifier_model_dir
from lyceum.claimcheck_training.data import LABELS, VerifierPair, build_splits

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

DEFAULT_MODEL_DIR = verifier_model_dir()
CONFIG_FILE = "verifier.json"
REPORT_FILE = "eval_report.json"


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def nll(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    probs = softmax(logits, temperature)
    return float(-np.mean(np.log(probs[np.arange(len(labels)), labels] + 1e-12)))


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """Temperature minimising validation NLL: golden-section search over log T in [-3, 3]."""
    lo, hi = -3.0, 3.0
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        a = hi - ratio * (hi - lo)
        b = lo + ratio * (hi - lo)
        if nll(logits, labels, math.exp(a)) < nll(logits, labels, math.exp(b)):
            hi = b
        else:
            lo = a
    return math.exp((lo + hi) / 2)


def reliability(probs: np.ndarray, labels: np.ndarray, n_bins: int = 10) -> dict[str, Any]:
    """Expected calibration error of the top-class confidence, with the per-bin table."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = []
    ece = 0.0
    for i in range(n_bins):
        upper = confidence <= edges[i + 1] if i == n_bins - 1 else confidence < edges[i + 1]
        mask = (confidence >= edges[i]) & upper
        count = int(mask.sum())
        if count == 0:
            continue
        acc = float(correct[mask].mean())
        conf = float(confidence[mask].mean())
        ece += count / len(labels) * abs(acc - conf)
        bins.append(
            {
                "lower": round(float(edges[i]), 2),
                "upper": round(float(edges[i + 1]), 2),
                "count": count,
                "accuracy": round(acc, 4),
                "confidence": round(conf, 4),
            }
        )
    return {"ece": round(ece, 4), "bins": bins}


def classification_report(pred: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    per_class: dict[str, dict[str, float]] = {}
    for k, name in enumerate(LABELS):
        tp = int(((pred == k) & (labels == k)).sum())
        fp = int(((pred == k) & (labels != k)).sum())
        fn = int(((pred != k) & (labels == k)).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": int((labels == k).sum()),
        }
    confusion = [[int(((labels == i) & (pred == j)).sum()) for j in range(3)] for i in range(3)]
    return {
        "n": len(labels),
        "accuracy": round(float((pred == labels).mean()), 4),
        "macro_f1": round(float(np.mean([c["f1"] for c in per_class.values()])), 4),
        "per_class": per_class,
        "confusion_rows_gold_cols_pred": confusion,
    }


def _batches(
    pairs: list[VerifierPair], batch_size: int, rng: random.Random
) -> list[list[VerifierPair]]:
    """Shuffled batches of similar length: sort within windows of 50 batches, then shuffle."""
    order = pairs[:]
    rng.shuffle(order)
    window = batch_size * 50
    batches: list[list[VerifierPair]] = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda p: len(p.claim) + len(p.evidence))
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def encode_batch(model: CrossEncoder, batch: Sequence[VerifierPair], max_length: int) -> Any:
    """A batch's (claim, evidence) pairs tokenised as training feeds them to the model."""
    return model.tokenizer(
        [p.claim for p in batch],
        [p.evidence for p in batch],
        truncation="longest_first",
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )


def predict_logits(
    model: CrossEncoder, pairs: Sequence[tuple[str, str]], batch_size: int = 64
) -> np.ndarray:
    if not pairs:
        return np.zeros((0, len(LABELS)), dtype=np.float32)
    out = model.predict(list(pairs), batch_size=batch_size, show_progress_bar=False)
    return np.asarray(out, dtype=np.float32).reshape(len(pairs), len(LABELS))


def evaluate(model: CrossEncoder, pairs: list[VerifierPair], temperature: float) -> dict[str, Any]:
    logits = predict_logits(model, [(p.claim, p.evidence) for p in pairs])
    labels = np.array([p.label_id for p in pairs])
    report = classification_report(logits.argmax(axis=1), labels)
    report["calibration_raw"] = reliability(softmax(logits), labels)
    report["calibration_scaled"] = reliability(softmax(logits, temperature), labels)
    report["nll_raw"] = round(nll(logits, labels, 1.0), 4)
    report["nll_scaled"] = round(nll(logits, labels, temperature), 4)
    by_origin = {}
    for origin in sorted({p.origin for p in pairs}):
        mask = np.array([p.origin == origin for p in pairs])
        by_origin[origin] = classification_report(logits[mask].argmax(axis=1), labels[mask])
    report["by_origin"] = {
        k: {"n": v["n"], "accuracy": v["accuracy"], "macro_f1": v["macro_f1"]}
        for k, v in by_origin.items()
    }
    return report


def fit(
    model: CrossEncoder,
    net: Any,
    params: list[Any],
    batches: list[list[VerifierPair]],
    *,
    lr: float,
    max_length: int,
    report_every: int = 50,
    max_seconds: float | None = None,
) -> tuple[int, float]:
    """Train `params` of `net` (the cross-encoder's network, or a PEFT wrapper of it) over
    `batches` with AdamW, linear warm-up and decay, gradient clipping; prints progress with
    an ETA every `report_every` steps; stops after `max_seconds` if given. Returns the steps
    done and the seconds taken."""
    import torch

    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    warmup = max(1, int(0.06 * len(batches)))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min(
            (step + 1) / warmup, max(0.0, (len(batches) - step) / max(1, len(batches) - warmup))
        ),
    )
    net.train()
    started = time.monotonic()
    running = 0.0
    steps_done = 0
    for step, batch in enumerate(batches, 1):
        enc = encode_batch(model, batch, max_length)
        loss = net(**enc, labels=torch.tensor([p.label_id for p in batch])).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        steps_done = step
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        elapsed = time.monotonic() - started
        if step % report_every == 0 or step == len(batches):
            eta = elapsed / step * (len(batches) - step)
            print(
                f"step {step}/{len(batches)} loss {running:.3f} "
                f"{elapsed:.0f}s elapsed, {eta:.0f}s left",
                file=sys.stderr,
                flush=True,
            )
        if max_seconds is not None and elapsed > max_seconds:
            print(f"stopped early after {step} of {len(batches)} steps", file=sys.stderr)
            break
    return steps_done, time.monotonic() - started


def train(args: argparse.Namespace) -> dict[str, Any]:
    import torch
    from sentence_transformers import CrossEncoder

    from lyceum.retrieval.model_paths import minilm_dir

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    splits = build_splits(
        seed=args.seed,
        train_size=args.train_size,
        validation_size=args.validation_size,
        test_size=args.test_size,
        source_dir=args.source_dir,
    )
    model = CrossEncoder(str(minilm_dir()), num_labels=len(LABELS), max_length=args.max_len)
    net = model.transformers_model
    net.config.id2label = dict(enumerate(LABELS))
    net.config.label2id = {name: i for i, name in enumerate(LABELS)}
    net.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in net.bert.encoder.layer[: args.freeze_layers]:
        layer.requires_grad_(False)
    params = [p for p in net.parameters() if p.requires_grad]
    batches = [b for _ in range(args.epochs) for b in _batches(splits.train, args.batch_size, rng)]
    _, train_seconds = fit(model, net, params, batches, lr=args.lr, max_length=args.max_len)
    net.eval()

    val_logits = predict_logits(model, [(p.claim, p.evidence) for p in splits.validation])
    val_labels = np.array([p.label_id for p in splits.validation])
    temperature = fit_temperature(val_logits, val_labels)
    started = time.monotonic()
    test_report = evaluate(model, splits.test, temperature)
    infer_rate = len(splits.test) / (time.monotonic() - started)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    net.half()
    model.save(str(out))
    (out / "README.md").unlink(missing_ok=True)
    # Stored in fp16, but a plain `CrossEncoder(dir)` on a CPU should compute in fp32.
    hf_config = json.loads((out / "config.json").read_text())
    hf_config["dtype"] = "float32"
    (out / "config.json").write_text(json.dumps(hf_config, indent=2) + "\n")
    config = {
        "labels": list(LABELS),
        "temperature": round(temperature, 4),
        "max_length": args.max_len,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2",
    }
    (out / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
    report = {
        "data": {
            "source": "VitaminC (bigbench 1.0.0 sdist), split by Wikipedia page",
            "train": len(splits.train),
            "validation": len(splits.validation),
            "test": len(splits.test),
        },
        "training": {
            "epochs": args.epochs,
            "freeze_layers": args.freeze_layers,
            "batch_size": args.batch_size,
            "lr": args.lr,
            "max_len": args.max_len,
            "seed": args.seed,
            "threads": args.threads,
            "seconds": round(train_seconds, 1),
            "pairs_per_second": round(len(splits.train) * args.epochs / train_seconds, 2),
        },
        "temperature": round(temperature, 4),
        "test": test_report,
        "inference_pairs_per_second_fp32": round(infer_rate, 1),
    }
    (out / REPORT_FILE).write_text(json.dumps(report, indent=2) + "\n")
    return report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--train-size", type=int, default=43_000)
    parser.add_argument("--validation-size", type=int, default=1_000)
    parser.add_argument("--test-size", type=int, default=2_500)
    parser.add_argument("--max-len", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--threads",
        type=int,
        default=os.cpu_count() or 1,
        help="torch threads (default: every core; on a machine busy with other work, 1 is "
        "often faster)",
    )
    parser.add_argument(
        "--freeze-layers", type=int, default=2, help="lowest encoder layers left untrained"
    )
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=None,
        help="folder holding bigbench-1.0.0.tar.gz (default: download it with pip)",
    )
    report = train(parser.parse_args(argv))
    test = report["test"]
    print(
        json.dumps(
            {
                "accuracy": test["accuracy"],
                "macro_f1": test["macro_f1"],
                "ece_raw": test["calibration_raw"]["ece"],
                "ece_scaled": test["calibration_scaled"]["ece"],
                "train_seconds": report["training"]["seconds"],
            }
        )
    )


if __name__ == "__main__":
    main()
