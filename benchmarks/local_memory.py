"""Resident memory of the embedded model by context window, each in a fresh process.

    python benchmarks/local_memory.py [--model qwen2.5-coder-0.5b-instruct]
                                      [--windows 8192,4096,2048,1024] [--json PATH]

Per window: VmRSS added by loading the llama.cpp server, and after one 300-token call
(the KV cache touched). The 8192 row is the fixed window the backend allocated before
`local_context` sized it from the calls; ratios are against it, measured in this run.
The load average is recorded around the run (memory does not depend on it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import provenance

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "local_memory.json"

CHILD = """
import json, sys
sys.path.insert(0, {here!r})
import local_optimisations as lo
from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.llm.backends import local as lb
x = lb._import_xllamacpp()
config = LocalBackendConfig(model={model!r}, n_ctx={window}, n_threads=1)
before = lo.rss_mib()
server = x.Server(lb._server_params(x, lb.resolve_model({model!r}), config, "bench"))
loaded = lo.rss_mib()
lo._chat(server, "hello " * 300, 5)
print(json.dumps({{"window": {window}, "loaded_mib": loaded - before, "after_call_mib": lo.rss_mib() - before}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="qwen2.5-coder-0.5b-instruct")
    parser.add_argument("--windows", default="8192,4096,2048,1024")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args()
    load_before = os.getloadavg()
    rows = []
    for window in (int(w) for w in args.windows.split(",")):
        code = CHILD.format(here=str(HERE), model=args.model, window=window)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
        if done.returncode != 0 or not lines:
            raise SystemExit(f"window {window} failed: {done.stderr[-1500:]}")
        rows.append(json.loads(lines[-1]))
    base = rows[0]["after_call_mib"]
    for row in rows:
        row["vs_first"] = row["after_call_mib"] / base
        print(
            f"window {row['window']:5d}: +{row['loaded_mib']:.0f} MiB loaded, "
            f"+{row['after_call_mib']:.0f} MiB after a call ({row['vs_first']:.2f}x of the first)"
        )
    provenance.append_run(args.json, load_before, model=args.model, rows=rows)


if __name__ == "__main__":
    main()
