"""Requests a browser was tricked into sending: the Host and Origin checks.

A loopback server without keys trusts whoever reaches it, and a web page can reach it: by
DNS rebinding (its own name, re-pointed at 127.0.0.1, so the browser thinks the page and
the server share an origin) or with a cross-site form or `no-cors` fetch that cannot read
the answer but still starts work. So:

- the `Host` header must name this server (the bound address, the loopback names when it
  is bound to loopback, and `[server] allowed_hosts`); a rebound name is refused with 421;
- a state-changing request (anything but GET, HEAD, OPTIONS) that carries an `Origin`
  (browsers always send one on those) must come from this server's own origin, and one a
  browser marks `Sec-Fetch-Site: cross-site` or `same-site` is refused, with 403;
- a body on such a request must be declared `application/json` (a cross-site page can
  send only form and text types without a CORS preflight), else 415.

Clients that are not browsers (curl, OpenAI SDKs) send no `Origin` and are unaffected.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from lyceum.server.errors import ErrorBody, ErrorDetail
from lyceum.server.settings import is_loopback

Scope = dict[str, Any]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})


def normalize_host(host: str) -> str:
    """A host name without port or IPv6 brackets, lower-cased: `[::1]:80` -> `::1`."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host


def allowed_host_names(bound: str, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """The `Host` names the server answers to, or None for any (a wildcard bind, which
    requires API keys anyway, with no `allowed_hosts` configured)."""
    names = {normalize_host(h) for h in extra if h.strip()}
    host = normalize_host(bound)
    if host in WILDCARD_BINDS:
        return frozenset(names) | frozenset(LOOPBACK_NAMES) if names else None
    names.add(host)
    if is_loopback(host):
        names.update(LOOPBACK_NAMES)
    return frozenset(names)


def _valid_port(port: str) -> bool:
    return port.isdigit() and 0 < int(port) < 65536


def split_host_header(value: str) -> tuple[str, str] | None:
    """(host, port) of a Host header value, or None when it is malformed."""
    value = value.strip().lower()
    if not value or any(c in value for c in "/\\@?#% \t"):
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        host, rest = value[1:end], value[end + 1 :]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
        if rest and not (rest.startswith(":") and _valid_port(rest[1:])):
            return None
        return host, rest[1:]
    host, _, port = value.partition(":")
    if not host or (port and not _valid_port(port)) or ":" in port:
        return None
    return host.rstrip("."), port


def _reject(status: int, kind: str, message: str, hint: str) -> tuple[int, bytes]:
    detail = ErrorDetail(type=kind, message=message, hint=hint)
    return status, ErrorBody(error=detail).model_dump_json().encode()


class RequestGuard:
    """ASGI middleware refusing requests not meant for this server (see the module doc)."""

    def __init__(self, app: Any, allowed_hosts: frozenset[str] | None) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.check(scope)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, body = refusal
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def check(self, scope: Scope) -> tuple[int, bytes] | None:
        headers: dict[bytes, bytes] = {}
        for name, value in scope.get("headers", []):
            if name in headers and name in (b"host", b"origin", b"content-type"):
                return _reject(400, "invalid_request_error", "repeated header", "")
            headers[name] = value
        host_header = headers.get(b"host", b"").decode("latin-1")
        parsed = split_host_header(host_header)
        if parsed is None or (
            self.allowed_hosts is not None and parsed[0] not in self.allowed_hosts
        ):
            return _reject(
                421,
                "misdirected_request",
                f"this server does not answer to the host {host_header[:100]!r}",
                "Use the address the server listens on, or add the name to "
                "[server] allowed_hosts in lyceum.toml.",
            )
        if scope.get("method", "GET").upper() in SAFE_METHODS:
            return None
        site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
        if site in ("cross-site", "same-site"):
            return _reject(
                403, "forbidden", "cross-site requests may not change this server's state", ""
            )
        origin = headers.get(b"origin")
        if origin is not None:
            own = {f"http://{host_header.lower()}", f"https://{host_header.lower()}"}
            if origin.decode("latin-1").lower().rstrip("/") not in own:
                return _reject(
                    403,
                    "forbidden",
                    f"requests from the origin {origin.decode('latin-1')[:100]!r} may not "
                    "change this server's state",
                    "Call the API from the dashboard this server serves, or from a client "
                    "that is not a browser.",
                )
        if _has_body(headers):
            media = headers.get(b"content-type", b"").decode("latin-1").split(";", 1)[0]
            media = media.strip().lower()
            if media != "application/json" and not media.endswith("+json"):
                return _reject(
                    415,
                    "unsupported_media_type",
                    f"request bodies must be JSON, sent as 'Content-Type: application/json' "
                    f"(got {media or 'none'!r})",
                    "Set the Content-Type header.",
                )
        return None


def _has_body(headers: dict[bytes, bytes]) -> bool:
    length = headers.get(b"content-length")
    if length is not None:
        return length.strip() not in (b"", b"0")
    return b"transfer-encoding" in headers
