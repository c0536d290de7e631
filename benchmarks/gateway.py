"""Gateway overhead, cache-hit latency and concurrent throughput, against baselines measured
in the same run.

    python benchmarks/gateway.py [--calls 2000] [--concurrency 32]

1. Overhead: the same scripted backend called directly and through the gateway (routing,
   breaker, metrics, and a committed call record in SQLite per call; cache off).
2. Cache hit: an exact-cache hit through the gateway versus an uncached call to an
   OpenAI-compatible HTTP server on 127.0.0.1.
3. Throughput: 32 concurrent requests to that server, directly and through the gateway.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from lyceum.llm.backend_config import OpenAIBackendConfig
from lyceum.llm.backends.openai_compat import OpenAICompatBackend
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.cache import ExactCache
from lyceum.llm.gateway import Gateway, TierPolicy
from lyceum.llm.types import GenerateParams, Message
from lyceum.store.calls import CallLog
from lyceum.store.db import Database
from lyceum.testing.openai_stub import OpenAIStubServer

NO_CACHE = GenerateParams(cache="bypass", max_tokens=16)


async def per_call_seconds(model, n: int, params: GenerateParams) -> list[float]:
    times = []
    for i in range(n):
        msgs = [Message.user(f"question {i}")]
        t0 = time.perf_counter()
        await model.generate(msgs, params)
        times.append(time.perf_counter() - t0)
    return times


async def overhead(db: Database, n: int) -> tuple[float, float]:
    backend = ScriptedBackend([], default_output="answer", name="b")
    gateway = Gateway({"b": backend}, ["b"], call_log=CallLog(db))
    await per_call_seconds(backend, 50, NO_CACHE)  # warm up
    await per_call_seconds(gateway, 50, NO_CACHE)
    direct = statistics.median(await per_call_seconds(backend, n, NO_CACHE))
    through = statistics.median(await per_call_seconds(gateway, n, NO_CACHE))
    return direct, through


async def cache_hit(db: Database, stub: OpenAIStubServer, n: int) -> tuple[float, float]:
    cfg = OpenAIBackendConfig(base_url=stub.base_url, model="stub", api_key_env=None)
    backend = OpenAICompatBackend("http", cfg)
    gateway = Gateway({"http": backend}, ["http"], call_log=CallLog(db), exact_cache=ExactCache(db))
    q = [Message.user("a cached question")]
    await gateway.generate(q)
    uncached = statistics.median(await per_call_seconds(backend, n, NO_CACHE))
    hits = []
    for _ in range(n):
        t0 = time.perf_counter()
        out = await gateway.generate(q)
        hits.append(time.perf_counter() - t0)
        assert out.cached == "exact"
    await backend.aclose()
    return uncached, statistics.median(hits)


async def throughput(db: Database, stub: OpenAIStubServer, concurrency: int, total: int) -> tuple[float, float]:
    cfg = OpenAIBackendConfig(
        base_url=stub.base_url, model="stub", api_key_env=None, max_concurrency=concurrency
    )

    async def run(model) -> float:
        sem = asyncio.Semaphore(concurrency)

        async def one(i: int) -> None:
            async with sem:
                await model.generate([Message.user(f"t{i}")], NO_CACHE)

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(total)))
        return total / (time.perf_counter() - t0)

    direct_backend = OpenAICompatBackend("http", cfg)
    direct = await run(direct_backend)
    await direct_backend.aclose()
    gw_backend = OpenAICompatBackend("http", cfg)
    gateway = Gateway(
        {"http": gw_backend},
        ["http"],
        policies={"http": TierPolicy(max_concurrency=concurrency)},
        call_log=CallLog(db),
    )
    through = await run(gateway)
    await gw_backend.aclose()
    return direct, through


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--server-delay-ms", type=float, default=20.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        print(f"cores: {os.cpu_count()}  calls: {args.calls}")

        direct, through = await overhead(db, args.calls)
        extra_ms = (through - direct) * 1000
        print(
            f"overhead: direct {direct * 1e6:.0f} us/call, gateway {through * 1e6:.0f} us/call "
            f"-> +{extra_ms:.3f} ms per call (target < 1 ms)"
        )

        with OpenAIStubServer(delay_s=args.server_delay_ms / 1000) as stub:
            uncached, hit = await cache_hit(db, stub, max(50, args.calls // 20))
            print(
                f"cache: uncached HTTP call {uncached * 1000:.2f} ms, exact-cache hit "
                f"{hit * 1000:.3f} ms -> hit/uncached = {hit / uncached:.3f}; "
                f"gateway overhead / cached-call time = {extra_ms / (hit * 1000):.2f}"
            )
            print(
                f"overhead as share of an uncached HTTP call: {extra_ms / (uncached * 1000):.2%} "
                f"(target < 5 %)"
            )
            total = args.concurrency * 8
            d_rps, g_rps = await throughput(db, stub, args.concurrency, total)
            print(
                f"throughput at {args.concurrency} concurrent ({total} requests, server delay "
                f"{args.server_delay_ms:.0f} ms): direct {d_rps:.0f} req/s, gateway {g_rps:.0f} "
                f"req/s -> gateway/direct = {g_rps / d_rps:.2f}"
            )
        db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
