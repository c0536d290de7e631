"""What the hostile-input defences of the server cost per request, against the same app
without them, measured in one run.

    python benchmarks/server_guard.py [--requests 1500] [--rounds 5]

1. GET /health and POST /v1/chat/completions (an exact-cache hit) through the whole ASGI
   app in-process (httpx's ASGI transport, no sockets), with the Host/Origin/content-type
   guard and without it (the same app with that one middleware removed). Rounds alternate
   between the two so load on the shared machine hits both alike.
2. Secret masking of a streamed body: 1 MB in 4 KB chunks through the redaction
   middleware with six secrets set, against the same middleware with none.

Writes benchmarks/results/server_guard.json (date, machine, load average, commit).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import provenance

from lyceum.config import load_settings
from lyceum.server import create_app
from lyceum.server.guard import RequestGuard
from lyceum.server.redaction import Redactor, RedactResponses
from lyceum.wiring import build_gateway

CONFIG = """
[models.fake]
kind = "scripted"
default_output = "Paris is the capital of France."
[gateway]
tiers = ["fake"]
[server]
rate_limit_per_min = 100000000
"""
CHAT = {"model": "default", "messages": [{"role": "user", "content": "Capital of France?"}]}
HEADERS = {"Origin": "http://127.0.0.1:8321", "Sec-Fetch-Site": "same-origin"}


def _app(workspace: Path, guarded: bool) -> Any:
    settings = load_settings(workspace)
    app = create_app(settings, gateway=build_gateway(settings), run_jobs=False)
    if not guarded:
        app.user_middleware = [m for m in app.user_middleware if m.cls is not RequestGuard]
    return app


async def _per_request_s(app: Any, requests: int) -> dict[str, float]:
    transport = httpx.ASGITransport(app=app)
    out = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8321") as c:
        await c.post("/v1/chat/completions", json=CHAT, headers=HEADERS)  # fill the cache
        for name, call in (
            ("health", lambda: c.get("/health")),
            ("chat", lambda: c.post("/v1/chat/completions", json=CHAT, headers=HEADERS)),
        ):
            started = time.perf_counter()
            for _ in range(requests):
                r = await call()
                assert r.status_code == 200, r.text
            out[name] = (time.perf_counter() - started) / requests
    return out


async def _stream_s(secrets: list[str], body: bytes, chunk: int) -> float:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for i in range(0, len(body), chunk):
            await send(
                {
                    "type": "http.response.body",
                    "body": body[i : i + chunk],
                    "more_body": i + chunk < len(body),
                }
            )

    async def sink(message: Any) -> None:
        return None

    middleware = RedactResponses(app, Redactor(secrets))
    started = time.perf_counter()
    await middleware({"type": "http"}, None, sink)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp)
        (workspace / "lyceum.toml").write_text(CONFIG)
        os.environ["LYCEUM_WORKSPACE"] = str(workspace)
        samples: dict[str, dict[str, list[float]]] = {"guarded": {}, "bare": {}}
        for _ in range(args.rounds):
            for kind in ("bare", "guarded"):
                app = _app(workspace, guarded=kind == "guarded")
                for name, value in asyncio.run(_per_request_s(app, args.requests)).items():
                    samples[kind].setdefault(name, []).append(value)
    secrets = [f"sk-secret-{i}-" + "x" * 30 for i in range(6)]
    body = (b"data: " + b"lorem ipsum dolor sit amet " * 40 + b"\n\n") * 1000
    body = body[: 1 << 20]
    stream = {"masked": [], "plain": []}
    for _ in range(args.rounds):
        stream["plain"].append(asyncio.run(_stream_s([], body, 4096)))
        stream["masked"].append(asyncio.run(_stream_s(secrets, body, 4096)))

    med = {k: {n: statistics.median(v) for n, v in d.items()} for k, d in samples.items()}
    result = {
        **provenance.stamp(load_before),
        "benchmark": "server_guard",
        "requests_per_round": args.requests,
        "rounds": args.rounds,
        "per_request_ms": {
            k: {n: round(v * 1000, 4) for n, v in d.items()} for k, d in med.items()
        },
        "guard_overhead_ratio": {
            n: round(med["guarded"][n] / med["bare"][n], 3) for n in med["bare"]
        },
        "stream_1mb_ms": {k: round(statistics.median(v) * 1000, 2) for k, v in stream.items()},
        "masking_ratio": round(
            statistics.median(stream["masked"]) / statistics.median(stream["plain"]), 2
        ),
    }
    out = Path(__file__).with_name("results") / "server_guard.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
