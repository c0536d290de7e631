"""Embedded-model decode after the embedder has run in the same process: torch's OpenMP
team left on a long-lived thread (the code before `lyceum.llm.backends.openmp_team`)
against torch run on a thread of its own, which is what Lyceum does now.

    python benchmarks/openmp_team.py [--reps 3] [--json benchmarks/results/openmp_team.json]

llama.cpp and torch share one libgomp; once it manages more threads than there are cores,
its barriers stop spinning, and llama.cpp meets one at every layer of every token. A
research run embeds (MiniLM) and decodes (Qwen) in one process, so the first embedding
decided the speed of every later token.

Each configuration runs in a fresh process (an OpenMP team cannot be undone inside one),
in turn, `--reps` times, so the machine's drift reaches all of them alike:
- `alone`: no torch in the process: the ceiling;
- `inline`: MiniLM embeds 256 sentences on the main thread, then llama.cpp decodes;
- `own team`: the same through `SentenceTransformerEmbedder.embed` (its own thread);
- `own team, 1 thread`: as `own team` with llama.cpp on 1 thread: the 1-thread baseline.
Decode and prefill are llama.cpp's own timings of raw xllamacpp calls (32 tokens, prompt
not cached); each process also prints what other processes used meanwhile (cores) and
the VM's steal time (its host's other guests). Ratios are medians over reps of in-rep
ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import local_rounds
import provenance

ROOT = Path(__file__).resolve().parent.parent
MODEL = "qwen2.5-coder-0.5b-instruct"
CONFIGS = ("alone", "inline", "own team", "own team, 1 thread")
TEXTS = [
    f"Sentence {i}: carbon dioxide and methane trap heat in the Earth's atmosphere."
    for i in range(256)
]


def _steal_ticks() -> int:
    with open("/proc/stat", encoding="ascii") as f:
        fields = f.readline().split()
    return int(fields[8]) if len(fields) > 8 else 0


def child(config: str, calls: int) -> dict[str, Any]:
    """One configuration in this (fresh) process."""
    embed_per_s = None
    if config != "alone":
        from lyceum.retrieval.embeddings import load_embedder

        embedder = load_embedder("minilm", threads=2)
        embedder.embed(TEXTS[:8])  # load on its own thread in both cases
        started = time.perf_counter()
        if config == "inline":
            embedder._encode(TEXTS, 2)  # what embed() did before: on the calling thread
        else:
            embedder.embed(TEXTS)
        embed_per_s = len(TEXTS) / (time.perf_counter() - started)
    server = local_rounds._raw_server(MODEL, 1 if config.endswith("1 thread") else 2)
    local_rounds._threads_part(server, 0)
    steal, clk = _steal_ticks(), os.sysconf("SC_CLK_TCK")
    started = time.perf_counter()
    decode, prefill, others = [], [], []
    for i in range(1, calls + 1):
        m, busy = local_rounds._others(lambda k=i: local_rounds._threads_part(server, k))
        decode.append(m["decode"])
        prefill.append(m["prefill"])
        others.append(busy)
    seconds = time.perf_counter() - started
    return {
        "config": config,
        "decode": statistics.median(decode),
        "prefill": statistics.median(prefill),
        "embed_per_s": embed_per_s,
        "others_cores_worst": max(others),
        "steal_cores": (_steal_ticks() - steal) / clk / seconds,
    }


def run(reps: int, calls: int) -> dict[str, Any]:
    reps_out = []
    for rep in range(reps):
        row: dict[str, Any] = {"loadavg_before": os.getloadavg()}
        for config in CONFIGS:
            done = subprocess.run(
                [sys.executable, __file__, "--child", config, "--calls", str(calls)],
                capture_output=True,
                text=True,
                check=True,
            )
            row[config] = json.loads(done.stdout.strip().splitlines()[-1])
        reps_out.append(row)
        print(
            f"rep {rep + 1}: decode tok/s "
            + ", ".join(f"{c} {row[c]['decode']:.1f}" for c in CONFIGS)
            + f"; steal {max(row[c]['steal_cores'] for c in CONFIGS):.2f} cores at most",
            flush=True,
        )
    return {
        "model": MODEL,
        "calls_per_config": calls,
        "reps": reps_out,
        "summary": summary(reps_out),
    }


def summary(reps: list[dict[str, Any]]) -> dict[str, float]:
    def med(num: str, den: str, key: str = "decode") -> float:
        return statistics.median(r[num][key] / r[den][key] for r in reps)

    return {
        **{f"decode {c}": statistics.median(r[c]["decode"] for r in reps) for c in CONFIGS},
        "inline vs alone": med("inline", "alone"),
        "own team vs alone": med("own team", "alone"),
        "own team vs inline": med("own team", "inline"),
        "own team 2 threads vs 1": med("own team", "own team, 1 thread"),
        "prefill own team 2 threads vs 1": med("own team", "own team, 1 thread", "prefill"),
        "embed own team vs inline": med("own team", "inline", "embed_per_s"),
    }


def markdown(doc: dict[str, Any]) -> str:
    s = doc["summary"]
    head = (
        f"{doc['date']}, {doc['machine']['cpus']} cores, commit {doc['git_commit']}, "
        f"{len(doc['reps'])} reps, load average {doc['load_average_before'][0]:.1f} before "
        f"and {doc['load_average_after'][0]:.1f} after"
    )
    rows = [
        head,
        "",
        "| llama.cpp decode (2 threads unless said) | tok/s (median) | ratio |",
        "|---|---|---|",
        f"| alone in the process | {s['decode alone']:.1f} | 1.00x |",
        f"| after the embedder ran on the main thread (before) | {s['decode inline']:.1f} "
        f"| {s['inline vs alone']:.2f}x of alone |",
        f"| after the embedder ran on its own thread (now) | {s['decode own team']:.1f} "
        f"| {s['own team vs alone']:.2f}x of alone, {s['own team vs inline']:.2f}x of before |",
        f"| the same, llama.cpp on 1 thread | {s['decode own team, 1 thread']:.1f} "
        f"| 2 threads: {s['own team 2 threads vs 1']:.2f}x decode, "
        f"{s['prefill own team 2 threads vs 1']:.2f}x prefill |",
        "",
        f"Embedding speed, own thread against main thread: {s['embed own team vs inline']:.2f}x.",
    ]
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--calls", type=int, default=3, help="decode calls per process")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--markdown", type=Path, default=None, help="print this JSON as a table")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.calls)))
        return 0
    result = provenance.record_or_show(
        lambda: run(args.reps, args.calls), markdown, json_path=args.json, show=args.markdown
    )
    if result is not None:
        print(json.dumps(result["summary"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
