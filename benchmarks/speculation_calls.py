"""Draft-free speculation per call type, on the prompts a research run really sent.

    python benchmarks/speculation_calls.py CALLS.jsonl [CALLS2.jsonl ...] [--threads 1]
        [--variants off,ngram_simple,ngram_simple_m8,ngram_map_k] [--reps 1] [--json PATH]

CALLS.jsonl comes from `research_profile.py --calls-out`: one line per embedded-model
call of a research run (caller, the exact llama.cpp request). Each request is replayed,
not streamed, on one server per speculation variant (same model, threads and n_ctx),
the variants taking turns call by call so load drift hits them alike; decoding is
greedy, so every variant writes the same tokens and only the speed differs. Per call
type: decode tok/s from llama.cpp's own timings (prompt excluded), drafted and accepted
tokens, and the ratio against `off` measured in the same run. Load average before/after.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import provenance

from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.llm.backends import local as local_backend
from lyceum.llm.backends.local import _import_xllamacpp
from lyceum.llm.backends.local_server import server_params

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "speculation_calls.json"
MODEL = "qwen2.5-coder-0.5b-instruct"

# name -> (llama.cpp speculation type, {ngram parameter: value})
VARIANTS: dict[str, tuple[str, dict[str, int]]] = {
    "off": ("NONE", {}),
    "ngram_simple": ("NGRAM_SIMPLE", {}),
    "ngram_simple_m8": ("NGRAM_SIMPLE", {"size_m": 8}),
    "ngram_simple_n4_m8": ("NGRAM_SIMPLE", {"size_n": 4, "size_m": 8}),
    "ngram_map_k": ("NGRAM_MAP_K", {}),
}


def make_server(variant: str, threads: int, n_ctx: int) -> Any:
    x = _import_xllamacpp()
    kind, knobs = VARIANTS[variant]
    config = LocalBackendConfig(model=MODEL, n_ctx=n_ctx, n_threads=threads)
    params = server_params(x, local_backend.resolve_model(MODEL), config, "bench", threads)
    params.speculative.types = [
        getattr(x.common_speculative_type, f"COMMON_SPECULATIVE_TYPE_{kind}")
    ]
    target = (
        params.speculative.ngram_map_k if kind == "NGRAM_MAP_K" else params.speculative.ngram_simple
    )
    for key, value in knobs.items():
        setattr(target, key, value)
    return x.Server(params)


def load_calls(paths: list[Path]) -> list[dict[str, Any]]:
    calls = []
    for path in paths:
        for line in path.read_text().splitlines():
            if line.strip():
                calls.append(json.loads(line))
    return calls


def replay(server: Any, request: dict[str, Any]) -> dict[str, float]:
    body = {k: v for k, v in request.items() if k != "stream_options"}
    body["stream"] = False
    out = server.handle_chat_completions(body)
    if "error" in out:
        raise RuntimeError(str(out["error"])[:300])
    t = out["timings"]
    return {
        "decode_ms": float(t.get("predicted_ms", 0.0)),
        "decoded": float(t.get("predicted_n", 0)),
        "drafted": float(t.get("draft_n", 0)),
        "accepted": float(t.get("draft_n_accepted", 0)),
        "text": out["choices"][0]["message"].get("content") or "",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("calls", type=Path, nargs="+")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--variants", default="off,ngram_simple,ngram_simple_m8,ngram_map_k")
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--label", default="")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args()
    variants = args.variants.split(",")
    calls = load_calls(args.calls)
    load_before = os.getloadavg()
    servers = {v: make_server(v, args.threads, args.n_ctx) for v in variants}
    # caller -> variant -> summed measures
    sums: dict[str, dict[str, dict[str, float]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(float))
    )
    mismatched = 0
    for rep in range(args.reps):
        for i, call in enumerate(calls):
            texts = []
            order = variants if (i + rep) % 2 == 0 else list(reversed(variants))
            for variant in order:
                m = replay(servers[variant], call["request"])
                texts.append(m.pop("text"))
                row = sums[call["caller"]][variant]
                row["calls"] += 1
                for key, value in m.items():
                    row[key] += value
            mismatched += len(set(texts)) > 1
            print(
                f"rep {rep} call {i} ({call['caller']}) done, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    table: dict[str, dict[str, dict[str, float]]] = {}
    for caller, per_variant in sums.items():
        base = per_variant["off"]
        base_rate = base["decoded"] / (base["decode_ms"] / 1000) if base["decode_ms"] else 0.0
        table[caller] = {}
        for variant, row in per_variant.items():
            rate = row["decoded"] / (row["decode_ms"] / 1000) if row["decode_ms"] else 0.0
            table[caller][variant] = {
                "calls": row["calls"],
                "decoded_tokens": row["decoded"],
                "decode_tok_s": rate,
                "vs_off": rate / base_rate if base_rate else None,
                "drafted": row["drafted"],
                "accepted": row["accepted"],
                "acceptance": row["accepted"] / row["drafted"] if row["drafted"] else None,
            }
            print(
                f"{caller:22s} {variant:20s} {rate:6.1f} tok/s  x{table[caller][variant]['vs_off'] or 0:.2f}"
                f"  drafted {row['drafted']:.0f} accepted {row['accepted']:.0f}"
            )
    provenance.append_run(
        args.json,
        load_before,
        label=args.label,
        model=MODEL,
        threads=args.threads,
        reps=args.reps,
        calls_files=[str(p) for p in args.calls],
        calls=len(calls),
        outputs_differing_between_variants=mismatched,
        per_caller=table,
    )


if __name__ == "__main__":
    main()
