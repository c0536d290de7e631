"""Prefill and decode tokens/s of the embedded models at each thread count, from
llama.cpp's own timings; the 1-thread run is the baseline the others are divided by.

    python benchmarks/local_model.py [--models qwen2.5-coder-0.5b-instruct,smollm2-135m-instruct]
                                     [--threads 1,2] [--reps 2]
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

from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.llm.backends.local import _import_xllamacpp, _server_params
from lyceum.llm.weights import resolve_model

PREFILL_TEXT = "The quick brown fox jumps over the lazy dog near the riverbank. " * 15


def measure(model: str, n_threads: int, reps: int) -> dict[str, float]:
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
        "prefill": statistics.median(prefill),
        "decode": statistics.median(decode),
    }


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="qwen2.5-coder-0.5b-instruct,smollm2-135m-instruct")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--label", default="", help="free text stored with the run (e.g. 'quiet')")
    parser.add_argument(
        "--busy", type=int, default=0, help="run N busy-loop processes (nice 0) meanwhile"
    )
    parser.add_argument("--json", type=Path, default=None, help="append the run to this JSON list")
    args = parser.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
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
    for model in args.models.split(","):
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
