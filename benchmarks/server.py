"""Server throughput and tail latency on loopback, against the gateway called in-process in
the same run.

    python benchmarks/server.py [--requests 2000] [--concurrency 64]

1. Baseline: an exact-cache hit through the gateway, called in-process by `concurrency`
   asyncio tasks (the same scripted backend and SQLite call log the server uses).
2. POST /v1/chat/completions for that same cached request, `concurrency` clients over HTTP
   to `lyceum serve` running in its own process on 127.0.0.1 (access log off).
3. GET /health under the same load (the HTTP floor: no model call, no call record).

The load generator is a minimal keep-alive HTTP/1.1 client on raw sockets (one connection
per client), so it takes as little as possible of the machine from the server. Every phase
is bounded by a request count and a deadline; the server is stopped at the
end. The client runs in this process, so on a small machine it competes with the server
for cores: the numbers are for the machine as a whole, printed with its core count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from lyceum.config import load_settings
from lyceum.llm.types import GenerateParams, Message
from lyceum.wiring import build_gateway

CONFIG = """
[models.fake]
kind = "scripted"
default_output = "Paris is the capital of France."
[gateway]
tiers = ["fake"]
[server]
rate_limit_per_min = 100000000
access_log = false
"""
QUESTION = "What is the capital of France?"
DEADLINE_S = 120.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def load(
    call: Callable[[], Awaitable[None]], requests: int, concurrency: int
) -> tuple[float, float, float]:
    """(requests per second, p50 s, p95 s) of `requests` calls from `concurrency` workers."""
    latencies: list[float] = []
    remaining = requests

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            t0 = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - t0)

    started = time.perf_counter()
    async with asyncio.timeout(DEADLINE_S):
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies, 50), percentile(latencies, 95)


class Connection:
    """A minimal HTTP/1.1 keep-alive client on one socket: far cheaper per request than a
    general client, so the load generator takes less of the machine from the server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {
            k.strip().lower(): v.strip()
            for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)
        }
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        return status, headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def http_request(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workspace: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lyceum",
            "--workspace",
            str(workspace),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(workspace / "server.log", "wb"),  # noqa: SIM115 - closed with the process
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


async def main(requests: int, concurrency: int) -> None:
    workspace = Path(tempfile.mkdtemp(prefix="lyceum-bench-server-"))
    (workspace / "lyceum.toml").write_text(CONFIG)
    settings = load_settings(workspace)
    messages = [Message.user(QUESTION)]
    params = GenerateParams()

    gateway = build_gateway(settings)
    await gateway.generate(messages, params)  # fill the exact cache

    async def in_process() -> None:
        await gateway.generate(messages, params)

    await load(in_process, 100, concurrency)  # warm up
    base_rps, base_p50, base_p95 = await load(in_process, requests, concurrency)

    port = free_port()
    server = start_server(workspace, port)
    connections = [Connection(port) for _ in range(concurrency)]
    try:
        chat_raw = http_request(
            "POST",
            "/v1/chat/completions",
            json.dumps(
                {"model": "default", "messages": [{"role": "user", "content": QUESTION}]}
            ).encode(),
        )
        health_raw = http_request("GET", "/health")

        def client(raw: bytes, check: Callable[[int, dict[str, str]], bool]) -> Any:
            free = list(connections)

            async def call() -> None:
                conn = free.pop()
                try:
                    status, headers, body = await conn.request(raw)
                finally:
                    free.append(conn)
                if not check(status, headers):
                    raise RuntimeError(f"unexpected answer {status}: {body[:200]!r}")

            return call

        chat = client(chat_raw, lambda st, h: st == 200 and h.get("x-lyceum-cache") == "exact")
        health = client(health_raw, lambda st, h: st == 200)
        await load(health, 200, concurrency)  # open the connections
        await load(chat, 200, concurrency)
        chat_rps, chat_p50, chat_p95 = await load(chat, requests, concurrency)
        health_rps, health_p50, health_p95 = await load(health, requests, concurrency)
    finally:
        for conn in connections:
            conn.close()
        server.terminate()
        server.wait(timeout=30)
        await gateway.aclose()

    ms = 1000
    print(f"cores: {os.cpu_count()}  requests per phase: {requests}  concurrency: {concurrency}")
    print(f"{'phase':44} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    rows = [
        ("gateway in-process, exact-cache hit", base_rps, base_p50, base_p95),
        ("HTTP POST /v1/chat/completions, cache hit", chat_rps, chat_p50, chat_p95),
        ("HTTP GET /health", health_rps, health_p50, health_p95),
    ]
    for name, rps, p50, p95 in rows:
        print(f"{name:44} {rps:8.0f} {p50 * ms:8.1f} {p95 * ms:8.1f}")
    print(f"chat over HTTP / in-process gateway throughput: {chat_rps / base_rps:.2f}x")
    print(f"chat over HTTP / in-process gateway p95: {chat_p95 / base_p95:.1f}x")
    print(f"chat / health throughput over HTTP: {chat_rps / health_rps:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency))
