"""Where a research run's wall time goes on the embedded model.

    python benchmarks/research_profile.py --workspace /work/ws/wiki [--question Q]
        [--breadth B --depth D --max-rounds R] [--start-window N] [--calls-out calls.jsonl]
        [--json PATH]

Runs one report in this process, in a copy of `--workspace` (the Wikipedia collection
workspace; the original is not touched), with timers wrapped around the parts that cost:

- model: every LocalBackend call (wall), split by llama.cpp's own timings into prefill
  and decode, per call type (the `caller` of the call context: planner, worker, ...);
- model load: starting the llama.cpp server (and reloads);
- verifier: the trained faithfulness cross-encoder (`ClaimModel.probabilities`);
- embedding: sentence-transformer embeddings (queries, relevance gates);
- reranker: the retrieval cross-encoder;
- retrieval: collection search, minus the embedding and reranking inside it.

Times are exclusive (a timer running inside another is subtracted from its parent);
"other" is the wall time no timer covered. Every model call's prompt, parameters,
caller and timings are written to `--calls-out` (JSON lines) for the per-call-type
speculation benchmark. Peak RSS is the process's (model, embedder, verifier together);
`--start-window 8192` gives the fixed window allocated before `local_context` sized it.
The load average is recorded around the run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import datetime
import functools
import inspect
import json
import os
import platform
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import provenance

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "research_profile.json"


class _Frame:
    __slots__ = ("children",)

    def __init__(self) -> None:
        self.children = 0.0


_FRAME: contextvars.ContextVar[_Frame | None] = contextvars.ContextVar("frame", default=None)
TOTALS: dict[str, float] = defaultdict(float)
COUNTS: dict[str, int] = defaultdict(int)


def _enter() -> tuple[_Frame | None, _Frame, contextvars.Token, float]:
    parent = _FRAME.get()
    frame = _Frame()
    return parent, frame, _FRAME.set(frame), time.perf_counter()


def _leave(name: str, parent: _Frame | None, frame: _Frame, token: Any, t0: float) -> None:
    elapsed = time.perf_counter() - t0
    _FRAME.reset(token)
    TOTALS[name] += max(0.0, elapsed - frame.children)
    COUNTS[name] += 1
    if parent is not None:
        parent.children += elapsed


def timed(owner: Any, attr: str, name: str) -> None:
    """Wrap `owner.attr` (a function, coroutine function or async generator function)."""
    fn = getattr(owner, attr)
    if inspect.isasyncgenfunction(fn):

        @functools.wraps(fn)
        async def agen(*args: Any, **kwargs: Any) -> Any:
            parent, frame, token, t0 = _enter()
            try:
                async for item in fn(*args, **kwargs):
                    yield item
            finally:
                _leave(name, parent, frame, token, t0)

        setattr(owner, attr, agen)
    elif inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def coro(*args: Any, **kwargs: Any) -> Any:
            parent, frame, token, t0 = _enter()
            try:
                return await fn(*args, **kwargs)
            finally:
                _leave(name, parent, frame, token, t0)

        setattr(owner, attr, coro)
    else:

        @functools.wraps(fn)
        def sync(*args: Any, **kwargs: Any) -> Any:
            parent, frame, token, t0 = _enter()
            try:
                return fn(*args, **kwargs)
            finally:
                _leave(name, parent, frame, token, t0)

        setattr(owner, attr, sync)


CALLS: list[dict[str, Any]] = []


def instrument() -> None:
    from lyceum.claimcheck import model as claim_model
    from lyceum.llm.backends import local as local_mod
    from lyceum.llm.backends.local_stats import LocalStats
    from lyceum.llm.context import current_context
    from lyceum.retrieval import embeddings, rerank
    from lyceum.sources import local as local_source

    timed(local_mod.LocalBackend, "generate", "model")
    timed(local_mod.LocalBackend, "stream", "model")
    timed(local_mod, "_start_server", "model load")
    timed(claim_model.ClaimModel, "probabilities", "verifier")
    timed(embeddings.SentenceTransformerEmbedder, "embed", "embedding")
    timed(rerank.CrossEncoderReranker, "score", "reranker")
    timed(local_source.LocalCorpusSource, "search", "retrieval")

    original_build = local_mod.build_request

    def build_request(messages: Any, params: Any) -> dict[str, Any]:
        body = original_build(messages, params)
        ctx = current_context()
        CALLS.append({"caller": ctx.caller or "?", "request": body, "timings": None})
        return body

    local_mod.build_request = build_request
    original_record = LocalStats.record

    def record(self: LocalStats, timings: dict[str, Any]) -> None:
        original_record(self, timings)
        for call in reversed(CALLS):
            if call["timings"] is None:
                call["timings"] = dict(timings)
                break

    LocalStats.record = record  # type: ignore[method-assign]


def _commit() -> str:
    return provenance.commit()


def per_caller(calls: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for call in calls:
        t = call["timings"] or {}
        row = out.setdefault(
            call["caller"],
            {
                "calls": 0,
                "prompt_tokens_evaluated": 0,
                "prompt_tokens_reused": 0,
                "prefill_s": 0.0,
                "decoded_tokens": 0,
                "decode_s": 0.0,
                "draft_tokens": 0,
                "draft_tokens_accepted": 0,
            },
        )
        row["calls"] += 1
        row["prompt_tokens_evaluated"] += t.get("prompt_n", 0)
        row["prompt_tokens_reused"] += t.get("cache_n", 0)
        row["prefill_s"] += t.get("prompt_ms", 0.0) / 1000
        row["decoded_tokens"] += t.get("predicted_n", 0)
        row["decode_s"] += t.get("predicted_ms", 0.0) / 1000
        row["draft_tokens"] += t.get("draft_n", 0)
        row["draft_tokens_accepted"] += t.get("draft_n_accepted", 0)
    return out


async def profile(args: argparse.Namespace, ws: Path) -> dict[str, Any]:
    import research as bench
    from lyceum.config import load_settings
    from lyceum.research.settings import research_settings
    from lyceum.research.sources import build_sources

    db_dir = Path(tempfile.mkdtemp(prefix="lyceum-profile-db-"))
    settings = bench.settings_for(ws, db_dir, args.slots)
    overrides: dict[str, Any] = {"compile_pdf": False, "memory": False}
    for key in ("breadth", "depth", "max_rounds"):
        if getattr(args, key) is not None:
            overrides[key] = getattr(args, key)
    if args.collection:
        overrides["collection"] = args.collection
    config = research_settings(load_settings(ws)).with_overrides(**overrides)
    sources = build_sources(config, load_settings(ws))
    t0 = time.perf_counter()
    result = await bench.one_run(args.question, settings, config, sources, db_dir / "out")
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "result": result, "config": config.model_dump(mode="json")}


def breakdown(wall: float, calls: list[dict[str, Any]]) -> dict[str, float]:
    prefill = sum((c["timings"] or {}).get("prompt_ms", 0.0) for c in calls) / 1000
    decode = sum((c["timings"] or {}).get("predicted_ms", 0.0) for c in calls) / 1000
    model = TOTALS.get("model", 0.0)
    parts = {
        "model prefill": prefill,
        "model decode": decode,
        "model, rest of the call (queue, template, grammar, hand-off)": max(
            0.0, model - prefill - decode
        ),
        "model load": TOTALS.get("model load", 0.0),
        "verifier (cross-encoder)": TOTALS.get("verifier", 0.0),
        "embedding": TOTALS.get("embedding", 0.0),
        "reranker": TOTALS.get("reranker", 0.0),
        "retrieval (search, excl. embedding/reranking)": TOTALS.get("retrieval", 0.0),
    }
    parts["other"] = max(0.0, wall - sum(parts.values()))
    return parts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--question", default="How do vaccines train the immune system?")
    parser.add_argument("--collection", default=None)
    parser.add_argument("--breadth", type=int, default=None)
    parser.add_argument("--depth", type=int, default=None)
    parser.add_argument("--max-rounds", type=int, default=None)
    parser.add_argument("--slots", type=int, default=1)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--start-window",
        type=int,
        default=None,
        help="context window the model starts with (8192: the fixed window before sizing)",
    )
    parser.add_argument("--calls-out", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="lyceum-profile-ws-"))
    ws = tmp / "ws"
    shutil.copytree(args.workspace, ws, symlinks=True)
    instrument()
    if args.start_window:
        from lyceum.llm.backends import local_context

        local_context.START_TOKENS = args.start_window
    load_before = os.getloadavg()
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    cpu0 = time.process_time()
    out = asyncio.run(profile(args, ws))
    cpu = time.process_time() - cpu0
    parts = breakdown(out["wall_s"], CALLS)
    run = {
        "date": started,
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "commit": _commit(),
        "label": args.label,
        "start_window": args.start_window,
        "question": args.question,
        "config": {k: out["config"].get(k) for k in ("breadth", "depth", "max_rounds")},
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "wall_s": out["wall_s"],
        "process_cpu_s": cpu,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "result": out["result"],
        "breakdown_s": parts,
        "timer_counts": dict(COUNTS),
        "per_caller": per_caller(CALLS),
        "longest_call_tokens": max(
            (
                (c["timings"] or {}).get("prompt_n", 0)
                + (c["timings"] or {}).get("cache_n", 0)
                + (c["timings"] or {}).get("predicted_n", 0)
                for c in CALLS
            ),
            default=0,
        ),
    }
    print(f"wall {out['wall_s']:.1f} s (load {load_before[0]:.1f} -> {os.getloadavg()[0]:.1f})")
    for name, seconds in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {name:60s} {seconds:7.1f} s  {seconds / out['wall_s']:5.1%}")
    for caller, row in run["per_caller"].items():
        print(f"  {caller}: {json.dumps(row)}")
    print(
        f"peak RSS {run['peak_rss_mib']:.0f} MiB; longest call {run['longest_call_tokens']} tokens"
    )
    if args.calls_out:
        with args.calls_out.open("w") as f:
            for call in CALLS:
                f.write(json.dumps(call) + "\n")
    runs = json.loads(args.json.read_text()) if args.json.exists() else []
    args.json.write_text(json.dumps([*runs, run], indent=2) + "\n")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
