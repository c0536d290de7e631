"""What a second core gives on this machine, without llama.cpp: the yardstick for its
2-thread decode ratio.

    python benchmarks/cpu_scaling.py [--seconds 4] [--json benchmarks/results/cpu_scaling.json]

Two workloads, each run by 1 process and then by 2 at once (1, 2, 1, 2), one thread each:
- compute: 128x128 float32 matrix products (in cache);
- memory: sums over a 400 MB array (read bandwidth, like decode reading the weights).
The ratio is the two processes' total over the 1-process rate of the same round. If both
come near 2x, the cores and memory scale and what llama.cpp loses at 2 threads is its own
(threads waiting for each other at every operation of every layer).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import time
from pathlib import Path
from typing import Any

import provenance

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")


def _per_second(op: Any, seconds: float) -> float:
    """How many times `op()` ran per second, run repeatedly for `seconds`."""
    started, n = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        op()
        n += 1
    return n / (time.perf_counter() - started)


def _compute(seconds: float, out: Any) -> None:
    import numpy as np

    a = np.random.default_rng(0).random((128, 128), dtype=np.float32)
    out.put(_per_second(lambda: a @ a, seconds))


def _memory(seconds: float, out: Any) -> None:
    import numpy as np

    a = np.ones(50_000_000, dtype=np.float64)
    a.sum()
    out.put(_per_second(a.sum, seconds) * a.nbytes / 1e9)


def _together(work: Any, processes: int, seconds: float) -> list[float]:
    out: Any = mp.Queue()
    ps = [mp.Process(target=work, args=(seconds, out)) for _ in range(processes)]
    for p in ps:
        p.start()
    rates = [out.get() for _ in ps]
    for p in ps:
        p.join()
    return rates


def run(seconds: float, rounds: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, work, unit in (
        ("compute", _compute, "matmuls/s"),
        ("memory", _memory, "GB/s"),
    ):
        rows = []
        for _ in range(rounds):
            one = _together(work, 1, seconds)[0]
            two = _together(work, 2, seconds)
            rows.append({"one": one, "two_each": two, "ratio": sum(two) / one})
        result[name] = {
            "unit": unit,
            "rounds": rows,
            "ratio_median": statistics.median(r["ratio"] for r in rows),
        }
        print(
            f"{name}: 1 process {rows[-1]['one']:.1f} {unit}; 2 processes "
            f"{' + '.join(f'{x:.1f}' for x in rows[-1]['two_each'])}; total over one "
            f"{result[name]['ratio_median']:.2f}x (median of {rounds})",
            flush=True,
        )
    return result


def markdown(doc: dict[str, Any]) -> str:
    head = (
        f"{doc['date']}, {doc['machine']['cpus']} cores, commit {doc['git_commit']}, load "
        f"average {doc['load_average_before'][0]:.1f} before and "
        f"{doc['load_average_after'][0]:.1f} after"
    )
    rows = [head, "", "| workload | 1 process | 2 processes, total | 2 vs 1 |", "|---|---|---|---|"]
    for name in ("compute", "memory"):
        part = doc[name]
        one = statistics.median(r["one"] for r in part["rounds"])
        two = statistics.median(sum(r["two_each"]) for r in part["rounds"])
        rows.append(
            f"| {name} ({part['unit']}) | {one:.1f} | {two:.1f} | {part['ratio_median']:.2f}x |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--markdown", type=Path, default=None, help="print this JSON as a table")
    args = parser.parse_args()
    provenance.record_or_show(
        lambda: run(args.seconds, args.rounds), markdown, json_path=args.json, show=args.markdown
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
