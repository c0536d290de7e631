"""Prefill and decode tokens/s of the embedded models at each thread count, from
llama.cpp's own timings; the 1-thread run is the baseline the others are divided by.

    python benchmarks/local_model.py [--models qwen2.5-coder-0.5b-instruct,smollm2-135m-instruct]
                                     [--threads 1,2,default] [--reps 2] [--busy N] [--json PATH]
    python benchmarks/local_model.py --rounds N [--max-wait S] [--busy N] [--json PATH]
    python benchmarks/local_model.py --table [--models MODEL] [--reps 3] [--busy N] [--json PATH]

`--busy N` runs N busy-loop processes at nice 0 for the whole measurement (a machine someone
else is using). `--table`: each optimisation against its baseline measured in the same run
(see local_optimisations.py). Every run records the load average before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import provenance

from lyceum.config_backends import LocalBackendConfig
from lyceum.llm.backends.local import _import_xllamacpp, _server_params
from lyceum.llm.weights import resolve_model

PREFILL_TEXT = "The quick brown fox jumps over the lazy dog near the riverbank. " * 15


def measure(model: str, n_threads: int, reps: int) -> dict[str, float]:
    """`n_threads` 0: the backend's default, chosen now (with any busy loops running)."""
    if n_threads == 0:
        from lyceum.llm.backends.local import default_threads

        n_threads = default_threads()
        print(f"  default threads chosen now: {n_threads}", flush=True)
    xllamacpp = _import_xllamacpp()
    path = resolve_model(model)
    params = _server_params(
        xllamacpp, path, LocalBackendConfig(model=model, n_ctx=2048, n_threads=n_threads), "bench"
    )
    started = time.perf_counter()
    server = xllamacpp.Server(params)
    load_s = time.perf_counter() - started
    prefill, decode = [], []
    for i in range(reps):
        r = server.handle_chat_completions(
            {
                "messages": [{"role": "user", "content": f"{i} {PREFILL_TEXT}"}],
                "max_tokens": 1,
                "cache_prompt": False,
            }
        )
        prefill.append(r["timings"]["prompt_per_second"])
        r = server.handle_chat_completions(
            {
                "messages": [{"role": "user", "content": f"{i} Write a long story."}],
                "max_tokens": 32,
                "ignore_eos": True,
                "cache_prompt": False,
            }
        )
        decode.append(r["timings"]["predicted_per_second"])
    del server
    return {
        "load_s": load_s,
        "threads_used": n_threads,
        "prefill": statistics.median(prefill),
        "decode": statistics.median(decode),
    }


def _commit() -> str:
    return provenance.commit()


@contextlib.contextmanager
def competing_load(n: int) -> Iterator[None]:
    """`n` busy-loop processes at nice 0 for the duration: a machine someone else is using."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        time.sleep(1.0)
        yield
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def _threads_label(row: dict) -> str:
    return f"default ({row['threads_used']})" if row["threads"] == 0 else str(row["threads"])


def threads_markdown(run: dict) -> str:
    """One thread-count run as a Markdown table (ratios against its first 1-thread row)."""
    lines = [
        f"{run['date']}, {run['machine']}, commit {run['commit']}, {run['label'] or '-'}, "
        f"{run.get('busy_loops', 0)} busy loops added, load average "
        f"{run['loadavg_start'][0]:.1f} at start, {run.get('loadavg_end', [0])[0]:.1f} at end",
        "",
        "| model | threads | prefill tok/s | decode tok/s | decode vs 1 thread | load before |",
        "|---|---|---|---|---|---|",
    ]
    base: dict[str, dict] = {}
    for row in run["rows"]:
        first = base.setdefault(row["model"], row)
        lines.append(
            f"| {row['model']} | {_threads_label(row)} | {row['prefill']:.1f} | {row['decode']:.1f} "
            f"| {row['decode'] / first['decode']:.2f}x | {row['loadavg_before'][0]:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="qwen2.5-coder-0.5b-instruct,smollm2-135m-instruct")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--label", default="", help="free text stored with the run (e.g. 'quiet')")
    parser.add_argument(
        "--busy", type=int, default=0, help="run N busy-loop processes (nice 0) meanwhile"
    )
    parser.add_argument("--table", action="store_true", help="the optimisation table")
    parser.add_argument(
        "--parts",
        default=",".join(("threads", "gateway", "reuse", "speculation", "batching")),
        help="with --table: which rows (threads,gateway,reuse,speculation,batching)",
    )
    parser.add_argument(
        "--rounds", type=int, default=0, help="quiet-moment rounds (see local_rounds.py)"
    )
    parser.add_argument("--max-wait", type=float, default=900.0, help="with --rounds: seconds")
    parser.add_argument(
        "--markdown", type=Path, default=None, help="print the --table runs of this JSON file"
    )
    parser.add_argument("--json", type=Path, default=None, help="append the run to this JSON list")
    args = parser.parse_args()
    if args.markdown:
        import local_optimisations

        for past in json.loads(args.markdown.read_text()):
            if "rounds" in past:
                import local_rounds

                print(local_rounds.markdown(past) + "\n")
            elif "table" in past:
                print(local_optimisations.markdown(past) + "\n")
            else:
                print(threads_markdown(past) + "\n")
        return
    # "default": the backend's own choice at that moment (stored as threads 0).
    threads = [0 if t == "default" else int(t) for t in args.threads.split(",")]
    print(f"cores: {os.cpu_count()}  load average at start: {os.getloadavg()[0]:.1f}")
    run = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "commit": _commit(),
        "label": args.label,
        "reps": args.reps,
        "busy_loops": args.busy,
        "loadavg_start": os.getloadavg(),
        "rows": [],
    }
    if args.rounds:
        import local_rounds

        with competing_load(args.busy):
            run["rounds"] = local_rounds.rounds(
                args.models.split(",")[0], args.rounds, args.max_wait, args.busy
            )
        print(json.dumps(run["rounds"]["summary"], indent=1))
    elif args.table:
        import local_optimisations

        model = args.models.split(",")[0]
        with competing_load(args.busy):
            rows = local_optimisations.table(model, args.reps, tuple(args.parts.split(",")))
            run["table"] = {"model": model, "rows": rows}
        for row in run["table"]["rows"]:
            print(json.dumps(row))
    for model in args.models.split(",") if not (args.table or args.rounds) else []:
        base = None
        for n in threads:
            load_before = os.getloadavg()
            with competing_load(args.busy):
                m = measure(model, n, args.reps)
            run["rows"].append(
                {
                    "model": model,
                    "threads": n,
                    **m,
                    "loadavg_before": load_before,
                    "loadavg_after": os.getloadavg(),
                }
            )
            base = base or m
            print(
                f"{model} threads={n}: load {m['load_s']:.1f}s, prefill {m['prefill']:.1f} tok/s "
                f"({m['prefill'] / base['prefill']:.2f}x of {threads[0]} thread), decode "
                f"{m['decode']:.1f} tok/s ({m['decode'] / base['decode']:.2f}x)"
            )
    run["loadavg_end"] = os.getloadavg()
    if args.json:
        runs = json.loads(args.json.read_text()) if args.json.exists() else []
        runs.append(run)
        args.json.write_text(json.dumps(runs, indent=2) + "\n")


if __name__ == "__main__":
    main()
