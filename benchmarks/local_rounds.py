"""Thread and gateway measurements taken only while the machine is quiet (or only while
our own busy loops are the competition), on a machine other people share.

    python benchmarks/local_model.py --rounds N [--max-wait S] [--busy K] [--json PATH]

The load average lags by a minute, so it cannot say whether one 2-second measurement
ran on a quiet machine. Instead every measurement is bracketed by two readings of
/proc/stat and /proc/self/stat (`local_threads._sample`): the CPU time other processes
used while it ran, in cores. A round is kept only when no part of it saw more than
`QUIET_CORES` of other work beyond the `--busy` loops we started ourselves; otherwise it
is recorded as discarded and the script waits for a quiet moment.

One round, every part against its baseline in the same round:
- raw xllamacpp at 1 thread and at 2 threads (prefill and decode, llama.cpp's timings);
- the thread count the backend's default would choose at this moment;
- one decode through Gateway + LocalBackend and one raw non-streamed decode on the very
  server that backend loaded (wall-clock tok/s; both find the prompt cached), plus the
  steps between (raw streamed, LocalBackend.stream and .generate without the gateway).
Each server is loaded for its part and freed after it, so only one is ever in the process
(runs before 2026-12-03 21:00 kept three at once, which slowed their 2-thread rows).
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.llm.backends import local as local_backend
from lyceum.llm.backends import local_threads
from lyceum.llm.backends.local import LocalBackend, _import_xllamacpp, _server_params
from lyceum.llm.gateway import Gateway
from lyceum.llm.types import GenerateParams, Message

QUIET_CORES = 0.25
PREFILL_TEXT = "The quick brown fox jumps over the lazy dog near the riverbank. " * 15
STORY = "Write a long story about a lighthouse keeper."


def _others(action: Callable[[], Any]) -> tuple[Any, float]:
    """Run `action`; return its result and the cores other processes used meanwhile."""
    first = local_threads._sample()
    result = action()
    second = local_threads._sample()
    busy = local_threads._busy_between(first, second) if first and second else float("nan")
    return result, busy


def _raw_server(model: str, threads: int) -> Any:
    x = _import_xllamacpp()
    path = local_backend.resolve_model(model)
    config = LocalBackendConfig(model=model, n_ctx=2048, n_threads=threads)
    return x.Server(_server_params(x, path, config, "bench"))


def _threads_part(server: Any, i: int) -> dict[str, float]:
    r = server.handle_chat_completions(
        {
            "messages": [{"role": "user", "content": f"{i} {PREFILL_TEXT}"}],
            "max_tokens": 1,
            "cache_prompt": False,
        }
    )
    prefill = r["timings"]["prompt_per_second"]
    r = server.handle_chat_completions(
        {
            "messages": [{"role": "user", "content": f"{i} {STORY}"}],
            "max_tokens": 32,
            "ignore_eos": True,
            "cache_prompt": False,
        }
    )
    return {"prefill": prefill, "decode": r["timings"]["predicted_per_second"]}


class _GatewayPair:
    """A LocalBackend behind a Gateway, and raw calls on the server that backend loaded."""

    def __init__(self, model: str, threads: int) -> None:
        # n_ctx 2047: its own registry entry, never the raw servers' model.
        self.backend = LocalBackend(
            "local", LocalBackendConfig(model=model, n_ctx=2047, n_threads=threads)
        )
        self.gateway = Gateway({"local": self.backend}, ["local"])
        self.messages = [Message.user(STORY)]
        self.params = GenerateParams(max_tokens=48, cache="bypass")
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.backend.load())
        body = local_backend.build_request(self.messages, self.params)
        self.stream_body = dict(body)
        self.raw_body = {k: v for k, v in body.items() if k != "stream_options"}
        self.raw_body["stream"] = False
        self.loop.run_until_complete(self.gateway.generate(self.messages, self.params))

    @property
    def server(self) -> Any:
        assert self.backend._loaded is not None
        return self.backend._loaded.server

    def run(self, kind: str) -> tuple[float, float]:
        """Wall-clock tok/s and this process's CPU milliseconds per token (every thread's:
        llama.cpp's workers and Python's), which other processes' load barely moves."""
        t, cpu = time.perf_counter(), time.process_time()
        if kind == "raw":
            n = self.server.handle_chat_completions(self.raw_body)["usage"]["completion_tokens"]
        elif kind == "raw_stream":
            chunks: list[Any] = []
            self.server.handle_chat_completions(self.stream_body, chunks.append)
            n = max(int((c.get("usage") or {}).get("completion_tokens", 0)) for c in chunks)
        elif kind == "backend_stream":
            n = self.loop.run_until_complete(self._consume_stream())
        elif kind == "backend":
            done = self.loop.run_until_complete(self.backend.generate(self.messages, self.params))
            n = done.usage.completion_tokens
        else:
            done = self.loop.run_until_complete(self.gateway.generate(self.messages, self.params))
            n = done.usage.completion_tokens
        return n / (time.perf_counter() - t), (time.process_time() - cpu) * 1000 / max(n, 1)

    async def _consume_stream(self) -> int:
        n = 0
        async for chunk in self.backend.stream(self.messages, self.params):
            if chunk.usage is not None:
                n = chunk.usage.completion_tokens
        return n

    def close(self) -> None:
        self.loop.run_until_complete(self.backend.aclose())
        self.loop.close()


GATEWAY_STEPS = ("raw", "raw_stream", "backend_stream", "backend", "gateway")


def rounds(model: str, n: int, max_wait_s: float, busy: int) -> dict[str, Any]:
    """Up to `n` kept rounds within `max_wait_s`; every round, kept or not, is returned."""
    allowed = busy + QUIET_CORES
    kept: list[dict[str, Any]] = []
    discarded = 0
    waited = 0.0
    deadline = time.monotonic() + max_wait_s
    i = 0
    while len(kept) < n and time.monotonic() < deadline:
        if local_threads.others_busy_cores(0.5) > allowed:
            time.sleep(2.0)
            waited += 2.5
            continue
        i += 1
        row: dict[str, Any] = {"loadavg_before": os.getloadavg()}
        worst = 0.0
        row["default_threads"] = local_threads.threads_now()
        # One llama.cpp server in the process at a time: every server keeps an OpenMP
        # team, and with more team threads than cores libgomp's barriers stop spinning
        # (see lyceum.llm.backends.openmp_team), which slowed 2 threads to 1-thread speed.
        for threads in (1, 2):
            server = _raw_server(model, threads)
            _threads_part(server, 0)
            m, others = _others(lambda s=server, k=i: _threads_part(s, k))
            row[f"threads_{threads}"] = {**m, "others_cores": others}
            worst = max(worst, others)
            del server
            gc.collect()
        pair = _GatewayPair(model, 2)
        for kind in GATEWAY_STEPS:
            (rate, cpu_ms), others = _others(lambda k=kind, p=pair: p.run(k))
            row[kind] = {"decode": rate, "cpu_ms_per_token": cpu_ms, "others_cores": others}
            worst = max(worst, others)
        pair.close()
        row["worst_others_cores"] = worst
        row["loadavg_after"] = os.getloadavg()
        if worst <= allowed:
            kept.append(row)
            print(
                f"round {i} kept (others {worst:.2f} cores): decode 2t/1t "
                f"{row['threads_2']['decode'] / row['threads_1']['decode']:.2f}x, "
                f"gateway/raw {row['gateway']['decode'] / row['raw']['decode']:.2f}x",
                flush=True,
            )
        else:
            discarded += 1
            print(f"round {i} discarded: others used {worst:.2f} cores", flush=True)
    return {
        "rounds_kept": kept,
        "rounds_discarded": discarded,
        "seconds_waiting_for_quiet": waited,
        "quiet_threshold_cores": QUIET_CORES,
        "summary": summary(kept),
    }


def summary(kept: list[dict[str, Any]]) -> dict[str, float] | None:
    """Medians over kept rounds of each in-round ratio."""
    if not kept:
        return None

    def med(f: Callable[[dict[str, Any]], float]) -> float:
        return statistics.median(f(r) for r in kept)

    out = {
        "decode_1t": med(lambda r: r["threads_1"]["decode"]),
        "decode_2t": med(lambda r: r["threads_2"]["decode"]),
        "prefill_1t": med(lambda r: r["threads_1"]["prefill"]),
        "prefill_2t": med(lambda r: r["threads_2"]["prefill"]),
        "decode_ratio_2t": med(lambda r: r["threads_2"]["decode"] / r["threads_1"]["decode"]),
        "prefill_ratio_2t": med(lambda r: r["threads_2"]["prefill"] / r["threads_1"]["prefill"]),
        "default_threads": med(lambda r: r["default_threads"]),
        # The default's own speed: the raw server of the thread count it chose that round.
        "decode_ratio_default": med(
            lambda r: (
                r[f"threads_{min(r['default_threads'], 2)}"]["decode"] / r["threads_1"]["decode"]
            )
        ),
    }
    for kind in GATEWAY_STEPS:
        out[f"{kind}_tok_s"] = med(lambda r, k=kind: r[k]["decode"])
        out[f"{kind}_vs_raw"] = med(lambda r, k=kind: r[k]["decode"] / r["raw"]["decode"])
        out[f"{kind}_cpu_ms_per_token"] = med(lambda r, k=kind: r[k]["cpu_ms_per_token"])
    return out


def markdown(run: dict[str, Any]) -> str:
    s = run["rounds"]["summary"]
    head = (
        f"{run['date']}, {run['machine']}, commit {run['commit']}, {run['busy_loops']} busy "
        f"loops added; {len(run['rounds']['rounds_kept'])} rounds kept in which other "
        f"processes used at most {run['rounds']['quiet_threshold_cores']} cores beyond them "
        f"({run['rounds']['rounds_discarded']} discarded); load average "
        f"{run['loadavg_start'][0]:.1f} at start, {run['loadavg_end'][0]:.1f} at end"
    )
    if s is None:
        return head + "\n\nNo round was quiet enough."
    return "\n".join(
        [
            head,
            "",
            "| measure | 1 thread | 2 threads | 2 vs 1 | default's choice | default vs 1 |",
            "|---|---|---|---|---|---|",
            f"| decode tok/s | {s['decode_1t']:.1f} | {s['decode_2t']:.1f} | "
            f"{s['decode_ratio_2t']:.2f}x | {s['default_threads']:.0f} | "
            f"{s['decode_ratio_default']:.2f}x |",
            f"| prefill tok/s | {s['prefill_1t']:.1f} | {s['prefill_2t']:.1f} | "
            f"{s['prefill_ratio_2t']:.2f}x | | |",
            "",
            "| decode path (2 threads, 48 tokens, prompt cached) | tok/s | vs raw "
            "| process CPU ms per token |",
            "|---|---|---|---|",
            *(
                f"| {label} | {s[f'{k}_tok_s']:.1f} | {s[f'{k}_vs_raw']:.3f}x "
                f"| {s[f'{k}_cpu_ms_per_token']:.1f} |"
                for k, label in (
                    ("raw", "raw xllamacpp, not streamed"),
                    ("raw_stream", "raw xllamacpp, streamed (a Python callback per chunk)"),
                    ("backend_stream", "LocalBackend.stream (each chunk handed to the event loop)"),
                    ("backend", "LocalBackend.generate"),
                    ("gateway", "Gateway.generate (LocalBackend)"),
                )
            ),
        ]
    )
