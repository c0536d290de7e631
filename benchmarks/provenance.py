"""Where a benchmark's numbers come from: date, machine, load average and commit, written
beside the results so that a documented number can be traced and re-measured."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def commit() -> str:
    """The short commit, marked `+uncommitted` when src/ or benchmarks/ have local changes."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "benchmarks"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return out.stdout.strip() + ("+uncommitted" if dirty else "")


def stamp(load_before: tuple[float, ...] | list[float]) -> dict[str, Any]:
    """The provenance fields of a results file, measured now (the load after the run)."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "cpus": len(os.sched_getaffinity(0)),
            "python": sys.version.split()[0],
        },
        "load_average_before": list(load_before),
        "load_average_after": list(os.getloadavg()),
        "git_commit": commit(),
    }


def write(path: Path, load_before: tuple[float, ...] | list[float], **fields: Any) -> None:
    """Write `fields` to `path` as JSON, after the provenance fields."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp(load_before) | fields, indent=2) + "\n")


def record_or_show(
    run: Callable[[], dict[str, Any]],
    markdown: Callable[[dict[str, Any]], str],
    *,
    json_path: Path | None,
    show: Path | None,
) -> dict[str, Any] | None:
    """The shared end of a benchmark that writes one results file and prints it as a table:
    with `show`, print that file's table and run nothing; otherwise run, write `json_path`
    (if given) stamped with this run's provenance, and print its table."""
    if show is not None:
        print(markdown(json.loads(show.read_text())))
        return None
    load_before = os.getloadavg()
    result = run()
    if json_path is not None:
        write(json_path, load_before, **result)
        print(markdown(json.loads(json_path.read_text())))
    return result


def append_run(path: Path, load_before: tuple[float, ...] | list[float], **fields: Any) -> None:
    """Append one run to the JSON list at `path`, stamped in the shape the local-model
    benchmarks' result lists have always had (docs_gen reads it): date, machine as one
    string, commit, load average before and after, then `fields`."""
    run = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "commit": commit(),
        "loadavg_before": list(load_before),
        "loadavg_after": list(os.getloadavg()),
        **fields,
    }
    runs = json.loads(path.read_text()) if path.exists() else []
    path.write_text(json.dumps([*runs, run], indent=2) + "\n")
