"""`lyceum evolve run` end to end on this machine, recorded to benchmarks/results/.

The skill: writing sentences the claim check supports. Its data is labelled by the research
pipeline itself: harvest pairs each draft sentence the verifier rejected with the revision
it then supported (DPO: chosen = supported revision, rejected = unsupported draft). The
training questions' trajectories come from research runs (TRAIN_QUESTIONS); the arena is a
held-out seeded SQuAD sample (grounded reading, the embedded model's niche), paired
candidate vs production, with McNemar and a bootstrap CI. Anchor rows (human-written, so
the gate's synthetic-share rule holds) are SQuAD rows of articles the arena does not
sample. After the run, a promotion is rolled back and the restored version checked.

    python benchmarks/evolve_loop.py --trajectories DIR [--max-hours 0.5] [--max-steps 6]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TRAIN_QUESTIONS = ("q01", "q02", "q04", "q07")
ARENA_SAMPLE = 40
ANCHOR_SQUAD = 40

SUITE = f"""name: held-out grounded reading
datasets:
  - {{name: squad, label: squad-heldout, sample_size: {ARENA_SAMPLE}}}
methods: [{{name: naive, params: {{max_tokens: 24}}}}]
models: [local]
concurrency: 1
metrics: [token_f1, exact_match]
"""

CONFIG = """[models.local]
kind = "local"
model = "{model}"
n_ctx = 2048
timeout_s = 1800
[gateway]
tiers = ["local"]
max_retries = 0
[evolve]
anchor_path = "anchor.jsonl"
arena_experiment = "suite.yaml"
arena_model = "local"
"""


def _commit() -> str:
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    return out.stdout.strip()


def _lyceum(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "lyceum", "--workspace", str(workspace), *args],
                          capture_output=True, text=True, env=env, check=False)  # fmt: skip


def prepare(workspace: Path, model: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from lyceum.lab.datasets.base import load_examples, sample_examples
    from lyceum.lab.experiment import parse_experiment

    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / "suite.yaml").write_text(SUITE)
    (workspace / "lyceum.toml").write_text(CONFIG.format(model=model))
    suite = parse_experiment(__import__("yaml").safe_load(SUITE))
    examples = load_examples("squad", {})
    arena = sample_examples(examples, suite.datasets[0].sample_size, suite.seed)
    held_out_titles = {e.metadata.get("title") for e in arena}
    anchor = [json.loads(line) for line in
              (ROOT / "tests/evolve/data/anchor.jsonl").read_text().splitlines() if line.strip()]  # fmt: skip
    per_title: dict[str, int] = {}
    added = 0
    for e in examples:
        title = str(e.metadata.get("title"))
        if title in held_out_titles or per_title.get(title, 0) >= 3:
            continue
        per_title[title] = per_title.get(title, 0) + 1
        added += 1
        anchor.append({"id": f"squad-{e.id}", "instruction": e.question, "input": e.context,
                       "output": e.answers[0], "synthetic": False, "generation_depth": 0,
                       "quality": 1.0, "source": "squad-dev (human)"})  # fmt: skip
        if added >= ANCHOR_SQUAD:
            break
    (workspace / "anchor.jsonl").write_text("".join(json.dumps(r) + "\n" for r in anchor))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trajectories", type=Path, required=True,
                        help="Folder of research run folders named *_qNN (trajectory.jsonl).")  # fmt: skip
    parser.add_argument("--model", default="smollm2-135m-instruct")
    parser.add_argument("--max-hours", type=float, default=0.75)
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--workspace", type=Path, default=Path("/tmp/lyceum-evolve-bench"))
    args = parser.parse_args()
    if args.workspace.exists():
        shutil.rmtree(args.workspace)
    prepare(args.workspace, args.model)
    runs = sorted(p for p in args.trajectories.iterdir()
                  if p.is_dir() and p.name.rsplit("_", 1)[-1] in TRAIN_QUESTIONS)  # fmt: skip
    traj_args = [a for p in runs for a in ("-t", str(p))]
    load_before = os.getloadavg()
    started = time.perf_counter()
    command = ["evolve", "run", "--base-model", args.model, "--out", str(args.workspace / "run"),
               "--approve", "--max-hours", str(args.max_hours), *traj_args]  # fmt: skip
    if args.max_steps:
        command += ["--max-steps", str(args.max_steps)]
    run = _lyceum(args.workspace, *command)
    seconds = time.perf_counter() - started
    state = json.loads((args.workspace / "run" / "run.json").read_text())
    status = _lyceum(args.workspace, "evolve", "status")
    rollback = None
    if state.get("outcome", "").startswith("promoted"):
        rolled = _lyceum(args.workspace, "evolve", "rollback", "model", "--reason", "benchmark")
        rollback = {"exit": rolled.returncode, "stdout": rolled.stdout.strip()}
    record = {
        "benchmark": "evolve_loop",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "commit": _commit(),
        "model": args.model,
        "train_questions": list(TRAIN_QUESTIONS),
        "trajectory_runs": [p.name for p in runs],
        "max_hours": args.max_hours,
        "seconds": seconds,
        "exit_code": run.returncode,
        "stdout": run.stdout[-4000:],
        "stderr_tail": run.stderr[-3000:],
        "state": state,
        "status": status.stdout[-3000:],
        "rollback": rollback,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"evolve_loop_{args.model}.json"
    out.write_text(json.dumps(record, indent=1, default=str))
    print(run.stdout)
    print(f"-> {out}")


if __name__ == "__main__":
    main()
