"""Runs a benchmark script and records what it printed, with date, machine, load average and
commit, as benchmarks/results/NAME.json. The docs show recorded runs from these files
(scripts/docs_gen.py), so a number in the docs always names the run it came from.

    python benchmarks/record.py gateway -- benchmarks/gateway.py --calls 500

For scripts that write their own results JSON (claim_check, relevance_gate, research) use
those files instead; this is for the scripts that only print.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import provenance

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="results file name, without .json")
    parser.add_argument("script", nargs="+", help="the benchmark script and its arguments")
    argv = sys.argv[1:]
    if "--" in argv:
        cut = argv.index("--")
        argv = [*argv[:cut], *argv[cut + 1 :]]
    args = parser.parse_args([*argv[:1], "--", *argv[1:]])
    script: list[str] = args.script
    if not script[0].endswith(".py"):
        parser.error("give the benchmark script, e.g. -- benchmarks/gateway.py")
    load_before = os.getloadavg()
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, *script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        print(f"{script[0]} failed (exit {done.returncode}); nothing recorded", file=sys.stderr)
        return done.returncode
    doc = {
        "recorded_by": "benchmarks/record.py",
        "name": args.name,
        "command": "python " + shlex.join(script),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "load_average": {"before": list(load_before), "after": list(os.getloadavg())},
        "commit": provenance.commit(),
        "seconds": round(time.monotonic() - started, 1),
        "stdout": done.stdout,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{args.name}.json"
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", "utf-8")
    sys.stdout.write(done.stdout)
    print(f"recorded {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
