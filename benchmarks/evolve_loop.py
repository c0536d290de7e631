"""`lyceum evolve run` end to end on this machine, recorded to benchmarks/results/.

The skill: the research writer's first drafts, supported as written by the claim check.
The research pipeline labels it itself (see lyceum.evolve.writer_skill): drafts the verify
step supported as written are SFT rows, drafts it rejected and then supported once
rewritten are DPO pairs, each on the draft's own prompt (question, section, notes).

Data: research runs on the offline Wikipedia collection for the questions of
benchmarks/data/evolve/questions.jsonl (none of them in the research benchmark's
dev/test set, benchmarks/data/research_quality/). `generate` runs them in a copy of the
Wikipedia workspace (the original is never written). The split is by question id: the
odd-numbered questions' runs are training data, the even-numbered ones the arena's
held-out tasks (`lyceum evolve tasks`); `evolve run --tasks` also drops every harvested
example of an arena run id or question before the gate.

Arena: target metric = drafts supported as written on the held-out tasks, production
(untrained base) vs candidate (base + adapter), paired, McNemar and bootstrap CI; the
capability check is a held-out seeded SQuAD sample (grounded reading), which refuses the
candidate if it drops by more than 5 points. Anchor rows (human-written, so the gate's
synthetic-share rule holds) are SQuAD rows of articles the capability sample does not use.

    python benchmarks/evolve_loop.py generate --wiki /work/ws/wiki --runs DIR
        [--breadth 2 --depth 2 --max-rounds 1 --max-time 300]
    python benchmarks/evolve_loop.py run --runs DIR [--max-steps 20] [--max-hours 0.75]
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
QUESTIONS = ROOT / "benchmarks" / "data" / "evolve" / "questions.jsonl"
ARENA_SAMPLE = 30
ANCHOR_SQUAD = 80

SUITE = f"""name: capability check, held-out grounded reading
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
arena_tasks = "tasks.jsonl"
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
        if title in held_out_titles or per_title.get(title, 0) >= 6:
            continue
        per_title[title] = per_title.get(title, 0) + 1
        added += 1
        anchor.append({"id": f"squad-{e.id}", "instruction": e.question, "input": e.context,
                       "output": e.answers[0], "synthetic": False, "generation_depth": 0,
                       "quality": 1.0, "source": "squad-dev (human)"})  # fmt: skip
        if added >= ANCHOR_SQUAD:
            break
    (workspace / "anchor.jsonl").write_text("".join(json.dumps(r) + "\n" for r in anchor))


def questions() -> list[dict[str, str]]:
    return [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]


def is_arena(question_id: str) -> bool:
    return int(question_id[1:]) % 2 == 0


def generate(wiki: Path, runs: Path, budgets: list[str]) -> None:
    """One research run per question not yet run, in a copy of the Wikipedia workspace,
    with the research budget flags `budgets`; each run's flags, exit code, wall time and
    load average go to RUNS/generate.json, which `run` copies into its record."""
    work = runs / "workspace"
    if not work.exists():
        shutil.copytree(wiki, work)
    log_path = runs / "generate.json"
    fresh = {"commit": _commit(), "runs": {}}
    log = json.loads(log_path.read_text()) if log_path.exists() else fresh
    for q in questions():
        if (runs / q["id"] / "trajectory.jsonl").exists():
            continue
        load_before = os.getloadavg()
        started = time.perf_counter()
        done = _lyceum(work, "research", q["question"], "--out", str(runs / q["id"]), "--no-pdf",
                       *budgets)  # fmt: skip
        seconds = time.perf_counter() - started
        log["runs"][q["id"]] = {"exit": done.returncode, "seconds": round(seconds, 1),
                                "budgets": budgets, "load_average_before": load_before,
                                "stderr_tail": done.stderr[-600:] if done.returncode else ""}  # fmt: skip
        log_path.write_text(json.dumps(log, indent=1))
        print(f"{q['id']} exit {done.returncode} {seconds:.0f} s", flush=True)


def _generate_log(runs: Path) -> dict[str, object] | None:
    path = runs / "generate.json"
    return json.loads(path.read_text()) if path.exists() else None


def run(args: argparse.Namespace) -> None:
    if args.workspace.exists():
        shutil.rmtree(args.workspace)
    prepare(args.workspace, args.model)
    done = [q for q in questions() if (args.runs / q["id"] / "trajectory.jsonl").exists()]
    train = [q["id"] for q in done if not is_arena(q["id"])]
    arena = [q["id"] for q in done if is_arena(q["id"])]
    tasks = _lyceum(args.workspace, "evolve", "tasks", "--out",
                    str(args.workspace / "tasks.jsonl"),
                    *[a for i in arena for a in ("-t", str(args.runs / i))])  # fmt: skip
    if tasks.returncode != 0:
        raise SystemExit(tasks.stderr)
    traj_args = [a for i in train for a in ("-t", str(args.runs / i))]
    load_before = os.getloadavg()
    started = time.perf_counter()
    command = ["evolve", "run", "--base-model", args.model, "--out", str(args.workspace / "run"),
               "--approve", "--max-hours", str(args.max_hours), "--kind", args.kind,
               "--tasks", str(args.workspace / "tasks.jsonl"), *traj_args]  # fmt: skip
    if args.max_steps:
        command += ["--max-steps", str(args.max_steps)]
    result = _lyceum(args.workspace, *command)
    seconds = time.perf_counter() - started
    state = json.loads((args.workspace / "run" / "run.json").read_text())
    status = _lyceum(args.workspace, "evolve", "status")
    rollback = None
    if state.get("outcome", "").startswith("promoted"):
        rolled = _lyceum(args.workspace, "evolve", "rollback", "model", "--reason", "benchmark")
        rollback = {"exit": rolled.returncode, "stdout": rolled.stdout.strip()}
    task_rows = [json.loads(line) for line in
                 (args.workspace / "tasks.jsonl").read_text().splitlines() if line.strip()]  # fmt: skip
    record = {
        "benchmark": "evolve_loop",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "commit": _commit(),
        "model": args.model,
        "kind": args.kind,
        "train_questions": train,
        "arena_questions": arena,
        "arena_tasks": len(task_rows),
        "arena_runs": sorted({t["run_id"] for t in task_rows}),
        "arena_tasks_supported_as_written_in_the_runs": sum(
            t["draft_label"] == "supported" for t in task_rows
        ),
        "research_runs": _generate_log(args.runs),
        "max_hours": args.max_hours,
        "seconds": seconds,
        "exit_code": result.returncode,
        "stdout": result.stdout[-4000:],
        "stderr_tail": result.stderr[-3000:],
        "state": state,
        "status": status.stdout[-3000:],
        "rollback": rollback,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"evolve_loop_{args.model}.json"
    out.write_text(json.dumps(record, indent=1, default=str))
    print(result.stdout)
    print(f"-> {out}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="Research runs for the questions (training + arena).")
    gen.add_argument("--wiki", type=Path, required=True, help="Wikipedia workspace (copied).")
    gen.add_argument("--runs", type=Path, required=True)
    for flag in ("--breadth", "--depth", "--max-rounds", "--max-time"):
        gen.add_argument(flag, default=None, help=f"Passed to lyceum research {flag}.")
    go = sub.add_parser("run", help="evolve run on the runs, writer-draft arena.")
    go.add_argument("--runs", type=Path, required=True)
    go.add_argument("--model", default="smollm2-135m-instruct")
    go.add_argument("--kind", default="sft", choices=["sft", "dpo", "auto"])
    go.add_argument("--max-hours", type=float, default=0.75)
    go.add_argument("--max-steps", type=int, default=None)
    go.add_argument("--workspace", type=Path, default=Path("/tmp/lyceum-evolve-bench"))
    args = parser.parse_args()
    if args.command == "generate":
        flags = {"--breadth": args.breadth, "--depth": args.depth,
                 "--max-rounds": args.max_rounds, "--max-time": args.max_time}  # fmt: skip
        generate(args.wiki, args.runs, [a for f, v in flags.items() if v for a in (f, v)])
    else:
        run(args)


if __name__ == "__main__":
    main()
