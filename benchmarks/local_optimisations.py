"""The optimisation table of benchmarks/local_model.py (`--table`): each optimisation of the
embedded model against its baseline, both measured in this run, interleaved rep by rep.

Rows (one model):
- threads: raw xllamacpp at 1 thread vs at the default thread count chosen now;
- gateway: the same request through Lyceum's Gateway + LocalBackend vs raw xllamacpp on the
  very server the backend loaded (wall-clock tokens/s, prompt already cached for both);
- prompt reuse: a prompt whose long prefix an earlier call left in the KV cache vs the same
  prompt with `cache_prompt` off (time to first token, tokens reused);
- speculation: n-gram (`ngram_simple`) speculation on a copy-heavy rewrite and on free text,
  vs the same server settings without it (decode tok/s, draft acceptance);
- batching: `n_parallel = 4` slots with 1, 2 and 4 requests in flight vs one sequence
  (total decoded tokens/s);
- memory: resident set size added by loading the server (VmRSS before and after).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from lyceum.config_backends import LocalBackendConfig
from lyceum.llm.backends import local as local_backend
from lyceum.llm.backends.local import LocalBackend, _import_xllamacpp, _server_params
from lyceum.llm.gateway import Gateway
from lyceum.llm.types import GenerateParams, Message

PASSAGE = (
    "Photosynthesis is the process by which green plants, algae and some bacteria turn light "
    "energy into chemical energy. In the light-dependent reactions, chlorophyll in the "
    "thylakoid membranes absorbs photons, water is split and oxygen is released, and the "
    "energy is stored in ATP and NADPH. In the Calvin cycle, which runs in the stroma, the "
    "enzyme RuBisCO fixes carbon dioxide into three-carbon sugars using that ATP and NADPH. "
)
SYSTEM = "You are a careful research assistant. Answer only from the passage. " * 6
COPY = f"Rewrite the passage below word for word, changing nothing.\n\nPassage:\n{PASSAGE * 2}"
FREE = "Write a short story about a lighthouse keeper."


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _server(model: str, threads: int, **overrides: Any) -> tuple[Any, float]:
    x = _import_xllamacpp()
    path = local_backend.resolve_model(model)
    config = LocalBackendConfig(model=model, n_ctx=2048, n_threads=threads, **overrides)
    params = _server_params(x, path, config, "bench")
    before = rss_mib()
    return x.Server(params), rss_mib() - before


def _chat(server: Any, content: str, max_tokens: int, **extra: Any) -> dict[str, Any]:
    body = {"messages": [{"role": "user", "content": content}], "max_tokens": max_tokens}
    return server.handle_chat_completions({**body, **extra})


def threads_rows(model: str, default: int, reps: int) -> list[dict[str, Any]]:
    servers = {n: _server(model, n) for n in sorted({1, default})}
    runs: dict[int, dict[str, list[float]]] = {n: {"prefill": [], "decode": []} for n in servers}
    for i in range(reps):
        for n, (server, _) in servers.items():
            r = _chat(server, f"{i} {PASSAGE * 3}", 1, cache_prompt=False)
            runs[n]["prefill"].append(r["timings"]["prompt_per_second"])
            r = _chat(server, f"{i} {FREE}", 48, ignore_eos=True, cache_prompt=False)
            runs[n]["decode"].append(r["timings"]["predicted_per_second"])
    base = {k: statistics.median(v) for k, v in runs[1].items()}
    rows = []
    for n, (_, rss) in servers.items():
        m = {k: statistics.median(v) for k, v in runs[n].items()}
        rows.append(
            {
                "row": f"threads={n}",
                "baseline": "threads=1",
                "prefill_tok_s": m["prefill"],
                "decode_tok_s": m["decode"],
                "prefill_ratio": m["prefill"] / base["prefill"],
                "decode_ratio": m["decode"] / base["decode"],
                "rss_mib": rss,
            }
        )
    return rows


def gateway_row(model: str, reps: int) -> dict[str, Any]:
    """Decode through the gateway vs raw xllamacpp on the same server, with the steps in
    between measured too (interleaved rep by rep), so a loss shows where it happens:
    raw non-streamed -> raw streamed (one Python callback per token) -> LocalBackend
    (guard, queue hand-off to the event loop, assembly) -> Gateway (routing, metrics)."""
    backend = LocalBackend("local", LocalBackendConfig(model=model, n_ctx=2048))
    gateway = Gateway({"local": backend}, ["local"])
    messages = [Message.user(FREE)]
    params = GenerateParams(max_tokens=48, cache="bypass")

    async def run() -> dict[str, Any]:
        await backend.load()
        loaded = backend._loaded
        assert loaded is not None
        raw_body = local_backend.build_request(messages, params)
        stream_body = dict(raw_body)
        raw_body["stream"] = False
        raw_body.pop("stream_options", None)
        await gateway.generate(messages, params)  # every call below finds the prompt cached

        def raw_stream() -> int:
            chunks: list[Any] = []
            loaded.server.handle_chat_completions(stream_body, lambda c: chunks.append(c))
            return sum(int((c.get("usage") or {}).get("completion_tokens", 0)) for c in chunks)

        async def timed(kind: str) -> float:
            t = time.perf_counter()
            if kind == "raw":
                r = await asyncio.to_thread(loaded.server.handle_chat_completions, raw_body)
                n = r["usage"]["completion_tokens"]
            elif kind == "raw_stream":
                n = await asyncio.to_thread(raw_stream)
            elif kind == "backend":
                n = (await backend.generate(messages, params)).usage.completion_tokens
            else:
                n = (await gateway.generate(messages, params)).usage.completion_tokens
            return n / (time.perf_counter() - t)

        kinds = ("raw", "raw_stream", "backend", "gateway")
        speeds: dict[str, list[float]] = {k: [] for k in kinds}
        for _ in range(reps):
            for kind in kinds:
                speeds[kind].append(await timed(kind))
        threads = loaded.threads
        await backend.aclose()
        med = {k: statistics.median(v) for k, v in speeds.items()}
        return {
            "row": f"gateway (threads={threads})",
            "baseline": "raw xllamacpp, same server",
            "decode_tok_s": med["gateway"],
            "baseline_decode_tok_s": med["raw"],
            "decode_ratio": med["gateway"] / med["raw"],
            "steps_tok_s": med,
        }

    return asyncio.run(run())


def reuse_row(model: str, threads: int, reps: int) -> dict[str, Any]:
    server, _ = _server(model, threads)
    cold, warm, reused = [], [], []
    for i in range(reps):
        question = f"Question {i}: which enzyme fixes carbon dioxide?"
        shared = [{"role": "system", "content": SYSTEM + PASSAGE * 3}]
        body = {"messages": [*shared, {"role": "user", "content": question}], "max_tokens": 1}
        r = server.handle_chat_completions({**body, "cache_prompt": False})
        cold.append(r["timings"]["prompt_ms"])
        other = {"role": "user", "content": f"Another question {i}?"}
        server.handle_chat_completions({**body, "messages": [*shared, other]})
        r = server.handle_chat_completions(body)
        warm.append(r["timings"]["prompt_ms"])
        reused.append(r["timings"].get("cache_n", 0))
    return {
        "row": "prompt reuse (shared system prompt + passage)",
        "baseline": "cache_prompt off",
        "prefill_ms": statistics.median(warm),
        "baseline_prefill_ms": statistics.median(cold),
        "prefill_ratio": statistics.median(cold) / max(statistics.median(warm), 1e-6),
        "tokens_reused": statistics.median(reused),
    }


def speculation_rows(model: str, threads: int, reps: int) -> list[dict[str, Any]]:
    x = _import_xllamacpp()
    path = local_backend.resolve_model(model)
    servers = {}
    for name, kind in (("off", "NONE"), ("ngram_simple", "NGRAM_SIMPLE")):
        params = _server_params(
            x, path, LocalBackendConfig(model=model, n_ctx=2048, n_threads=threads), "bench"
        )
        params.speculative.types = [
            getattr(x.common_speculative_type, f"COMMON_SPECULATIVE_TYPE_{kind}")
        ]
        servers[name] = x.Server(params)
    rows = []
    for task, prompt in (("copy", COPY), ("free text", FREE)):
        speeds: dict[str, list[float]] = {n: [] for n in servers}
        drafted, accepted = 0, 0
        for _ in range(reps):
            for name, server in servers.items():
                r = _chat(server, prompt, 96, cache_prompt=True)
                speeds[name].append(r["timings"]["predicted_per_second"])
                if name != "off":
                    drafted += r["timings"].get("draft_n", 0)
                    accepted += r["timings"].get("draft_n_accepted", 0)
        on, off = statistics.median(speeds["ngram_simple"]), statistics.median(speeds["off"])
        rows.append(
            {
                "row": f"n-gram speculation, {task}",
                "baseline": "no speculation",
                "decode_tok_s": on,
                "baseline_decode_tok_s": off,
                "decode_ratio": on / off,
                "acceptance": accepted / drafted if drafted else None,
            }
        )
    return rows


def batching_rows(model: str, threads: int, reps: int) -> list[dict[str, Any]]:
    server, rss = _server(model, threads, n_parallel=4)
    rows, base = [], None
    with ThreadPoolExecutor(max_workers=4) as pool:
        for concurrency in (1, 2, 4):
            rates = []
            for i in range(reps):
                t = time.perf_counter()
                futures = [
                    pool.submit(
                        _chat, server, f"{i}-{k} {FREE}", 32, ignore_eos=True, cache_prompt=False
                    )
                    for k in range(concurrency)
                ]
                tokens = sum(f.result()["usage"]["completion_tokens"] for f in futures)
                rates.append(tokens / (time.perf_counter() - t))
            rate = statistics.median(rates)
            base = base or rate
            rows.append(
                {
                    "row": f"batching, {concurrency} in flight (n_parallel=4)",
                    "baseline": "1 in flight",
                    "throughput_tok_s": rate,
                    "throughput_ratio": rate / base,
                    "rss_mib": rss,
                }
            )
    return rows


PARTS = ("threads", "gateway", "reuse", "speculation", "batching")


def table(model: str, reps: int, parts: tuple[str, ...] = PARTS) -> list[dict[str, Any]]:
    from lyceum.llm.backends.local import default_threads

    threads = default_threads()
    rows: list[dict[str, Any]] = []
    builders = {
        "threads": lambda: threads_rows(model, max(threads, 2), reps),
        "gateway": lambda: [gateway_row(model, reps)],
        "reuse": lambda: [reuse_row(model, threads, reps)],
        "speculation": lambda: speculation_rows(model, threads, reps),
        "batching": lambda: batching_rows(model, threads, reps),
    }
    for name in parts:
        rows.extend(builders[name]())
        print(f"  {rows[-1]['row']}: done", flush=True)
    return rows


def _fmt(value: Any, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def markdown(run: dict[str, Any]) -> str:
    """One `--table` run as a Markdown table, with the run's date, commit and load."""
    load = run["loadavg_start"][0], run.get("loadavg_end", [float("nan")])[0]
    label = f" ({run['label']})" if run.get("label") else ""
    lines = [
        f"Measured {run['date']} on {run['machine']} at commit {run['commit']}, "
        f"model {run['table']['model']}, {run['busy_loops']} busy loops added, "
        f"load average {load[0]:.1f} at start and {load[1]:.1f} at end{label}.",
        "",
        "| optimisation | baseline (same run) | measured | baseline | ratio |",
        "|---|---|---|---|---|",
    ]
    for row in run["table"]["rows"]:
        if "throughput_tok_s" in row:
            cells = (f"{row['throughput_tok_s']:.1f} tok/s total", "", row["throughput_ratio"])
        elif "prefill_ms" in row:
            cells = (
                f"{row['prefill_ms']:.0f} ms prefill ({row['tokens_reused']:.0f} tokens reused)",
                f"{row['baseline_prefill_ms']:.0f} ms",
                row["prefill_ratio"],
            )
        elif "baseline_decode_tok_s" in row:
            extra = f", {row['acceptance']:.0%} of drafts accepted" if row.get("acceptance") else ""
            steps = row.get("steps_tok_s")
            if steps:  # the gateway row: where between raw and gateway the time goes
                extra += " (" + ", ".join(f"{k} {v:.2f}" for k, v in steps.items()) + " tok/s)"
            cells = (
                f"{row['decode_tok_s']:.1f} tok/s decode{extra}",
                f"{row['baseline_decode_tok_s']:.1f} tok/s",
                row["decode_ratio"],
            )
        else:
            cells = (
                f"prefill {row['prefill_tok_s']:.1f}, decode {row['decode_tok_s']:.1f} tok/s, "
                f"+{row['rss_mib']:.0f} MiB RSS",
                "",
                row["decode_ratio"],
            )
        lines.append(
            f"| {row['row']} | {row['baseline']} | {cells[0]} | {cells[1]} | "
            f"{_fmt(cells[2], '.2f')}x |"
        )
    return "\n".join(lines)
