"""What the gateway's shared attempt loop costs a call, against the two-copy gateway before it.

    .venv/bin/python benchmarks/gateway_attempt_loop.py [--base REV] [--calls 1500] [--rounds 5]

Since commit 0f064d3, `generate` and `stream` run one attempt loop (an async generator
that yields a stream's chunks and the recorded completion). This measures, per call, the
gateway's `generate` and a whole `stream` over the scripted backend (call log on in a
fresh SQLite file, cache off) with the `src/` of REV (default: the commit before the
change) and with this checkout's, each in its own process, the two alternated round by
round so load drift falls on both. Prints the medians and the ratio this/base, and writes
benchmarks/results/gateway_attempt_loop.json with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import provenance

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "gateway_attempt_loop.json"

# Runs in a child process against one version's src/; prints median seconds per call.
PROBE = r"""
import asyncio, json, statistics, sys, tempfile, time
from pathlib import Path
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.gateway import Gateway
from lyceum.llm.types import GenerateParams, Message
from lyceum.store.calls import CallLog
from lyceum.store.db import open_database

N = int(sys.argv[1])
PARAMS = GenerateParams(cache="bypass", max_tokens=16)

async def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        backend = ScriptedBackend([], default_output="the answer is four words", name="b")
        gw = Gateway({"b": backend}, ["b"], call_log=CallLog(db))
        times = {"generate": [], "stream": []}
        for i in range(N):
            msgs = [Message.user(f"question {i}")]
            t0 = time.perf_counter()
            await gw.generate(msgs, PARAMS)
            t1 = time.perf_counter()
            async for _ in gw.stream(msgs, PARAMS):
                pass
            t2 = time.perf_counter()
            times["generate"].append(t1 - t0)
            times["stream"].append(t2 - t1)
        print(json.dumps({k: statistics.median(v) for k, v in times.items()}))

asyncio.run(main())
"""


def export_src(rev: str, into: Path) -> Path:
    """`src/` of `rev`, written under `into`."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT.parent), "archive", "--format=tar", rev, "src"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def probe(src: Path, calls: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(calls)], env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"probe failed with {src}:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="0f064d3^", help="revision to compare against")
    parser.add_argument("--calls", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()
    base_rev = subprocess.run(
        ["git", "-C", str(ROOT.parent), "rev-parse", "--short", args.base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        variants = {"base": export_src(args.base, Path(tmp)), "this": ROOT.parent / "src"}
        samples: dict[str, dict[str, list[float]]] = {v: {} for v in variants}
        for _ in range(args.rounds):
            for name, src in variants.items():
                for kind, seconds in probe(src, args.calls).items():
                    samples[name].setdefault(kind, []).append(seconds)
    medians = {
        name: {kind: statistics.median(v) for kind, v in kinds.items()}
        for name, kinds in samples.items()
    }
    table = {}
    for kind in ("generate", "stream"):
        base_us, this_us = medians["base"][kind] * 1e6, medians["this"][kind] * 1e6
        table[kind] = {
            "base_us": round(base_us, 1),
            "this_us": round(this_us, 1),
            "ratio_this_to_base": round(this_us / base_us, 3),
        }
        print(
            f"{kind:8s}  base {base_us:7.1f} us/call   this {this_us:7.1f} us/call   "
            f"ratio {this_us / base_us:.3f}"
        )
    print(f"cores {len(os.sched_getaffinity(0))}, load average {os.getloadavg()}")
    provenance.write(
        RESULTS,
        load_before,
        benchmark="gateway_attempt_loop",
        base_revision=base_rev,
        calls_per_round=args.calls,
        rounds=args.rounds,
        per_call=table,
    )
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
