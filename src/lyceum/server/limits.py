"""Per-principal rate limits (token buckets), the request-size limit and request metrics
(plain ASGI middleware: cheaper per request than Starlette's BaseHTTPMiddleware)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from lyceum.server.errors import ErrorBody, ErrorDetail

Scope = dict[str, Any]
Message = dict[str, Any]


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per principal: `per_min` requests a minute, bursts up to `per_min`."""

    def __init__(self, clock: Any = time.monotonic, max_principals: int = 10_000) -> None:
        self._clock = clock
        self.max_principals = max_principals
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, principal: str, per_min: int) -> float:
        """0.0 if the request may go ahead, else the seconds until it could."""
        now = self._clock()
        rate = per_min / 60.0
        with self._lock:
            bucket = self._buckets.get(principal)
            if bucket is None:
                if len(self._buckets) >= self.max_principals:
                    self._prune(now, rate, per_min)
                bucket = self._buckets[principal] = _Bucket(float(per_min), now)
            bucket.tokens = min(float(per_min), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / rate

    def _prune(self, now: float, rate: float, per_min: int) -> None:
        """Forget buckets that have refilled (they behave like new ones), so many client
        addresses cannot grow the table without bound."""
        full = [
            p for p, b in self._buckets.items() if b.tokens + (now - b.updated) * rate >= per_min
        ]
        for p in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[p]


class BodyTooLargeError(Exception):
    pass


def _too_large(limit: int) -> bytes:
    """The documented error body (type, message, hint, code, param), as every status has."""
    detail = ErrorDetail(
        type="request_too_large",
        message=f"request body exceeds the limit of {limit} bytes",
        hint="Send less, or raise [server] max_request_bytes.",
    )
    return ErrorBody(error=detail).model_dump_json().encode()


class BodySizeLimit:
    """Refuses bodies over `limit` bytes with 413: by Content-Length up front, and by
    counting while reading for chunked uploads that do not declare a length."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.limit:
                    await self._reject(send)
                    return
        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message: Message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    exceeded = True
                    raise BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            # The app may turn the read error into a response of its own (FastAPI answers
            # 400 for any failure while parsing a body); the client gets the 413 instead.
            if exceeded:
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._reject(send)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLargeError:
            if not started:
                await self._reject(send)

    async def _reject(self, send: Any) -> None:
        body = _too_large(self.limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class RequestMetrics:
    """Counts requests by route template and status, times them, and sets nosniff."""

    def __init__(self, app: Any, metrics: Any) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-content-type-options", b"nosniff")]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            # The router records the matched route in the scope; label by its template so
            # ids in paths do not explode the metric's cardinality.
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(route, scope.get("method", ""), str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
