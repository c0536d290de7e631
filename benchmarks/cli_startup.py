"""What validating the whole lyceum.toml on load costs a command.

    .venv/bin/python benchmarks/cli_startup.py [--runs 7]

Every command now validates every table present in lyceum.toml (importing the feature's
settings module), so a typo fails every command. This times, each in a fresh process,
`lyceum collections --json` and a bare `load_settings()` in a workspace whose lyceum.toml
is `lyceum init`'s (every table) against one with no lyceum.toml (the baseline, same run,
runs alternated), and prints the medians and their ratio. Writes
benchmarks/results/cli_startup.json with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import provenance

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "cli_startup.json"
LOAD_ONLY = "import sys; from lyceum.config import load_settings; load_settings(sys.argv[1])"


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - start


def main(runs: int) -> None:
    from lyceum.init_workspace import init_workspace

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        bare, full = Path(tmp) / "bare", Path(tmp) / "full"
        bare.mkdir()
        init_workspace(full)
        cases = {
            "collections": lambda ws: [
                *(sys.executable, "-m", "lyceum", "-w", str(ws)),
                *("collections", "--json"),
            ],
            "load_settings": lambda ws: [sys.executable, "-c", LOAD_ONLY, str(ws)],
        }
        results = {}
        for name, argv in cases.items():
            timed(argv(full))  # warm the file cache
            times: dict[str, list[float]] = {"no_config": [], "init_config": []}
            for _ in range(runs):
                times["no_config"].append(timed(argv(bare)))
                times["init_config"].append(timed(argv(full)))
            medians = {k: statistics.median(v) for k, v in times.items()}
            results[name] = {
                "median_s": {k: round(v, 3) for k, v in medians.items()},
                "ratio_init_over_none": round(medians["init_config"] / medians["no_config"], 2),
                "runs": runs,
            }
            print(name, results[name])
    provenance.write(
        RESULTS,
        load_before,
        results=results,
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    main(parser.parse_args().runs)
