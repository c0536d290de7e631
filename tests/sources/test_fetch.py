"""Safe fetch against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from lyceum.sources import fetch as fetch_module
from lyceum.sources.fetch import (
    FetchCache,
    Fetcher,
    FetchError,
    FetchPolicy,
    FetchRefusedError,
    check_url,
)

Route = tuple[int, dict[str, str], bytes]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.server.routes.get(urlsplit(self.path).path)
        if route is None:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
        else:
            status, headers, body = route
        if headers.get("X-Sleep"):
            time.sleep(float(headers["X-Sleep"]))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value.replace("{port}", str(self.server.server_port)))
        self.end_headers()
        # The client may hang up on purpose (size limit, deadline).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        self.running = True

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def stop(self) -> None:
        if self.running:
            self.shutdown()
            self.server_close()
            self.running = False


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    yield srv
    srv.stop()


def html(body: bytes, **headers: str) -> Route:
    return 200, {"Content-Type": "text/html; charset=utf-8", **headers}, body


def local_fetcher(tmp_path: Path, **policy: Any) -> Fetcher:
    return Fetcher(FetchPolicy(allow_private=True, **policy), FetchCache(tmp_path / "cache"))


async def test_a_second_fetch_is_served_from_disk_with_the_server_gone(
    server: _Server, tmp_path: Path
) -> None:
    server.routes["/page"] = html("<p>Héllo</p>".encode())
    fetcher = local_fetcher(tmp_path)

    first = await fetcher.fetch(server.url("/page"))
    server.stop()
    second = await fetcher.fetch(server.url("/page#section-2"))
    fresh_process = await local_fetcher(tmp_path).fetch(server.url("/page"), offline=True)

    assert first.from_cache is False and first.status == 200
    assert first.text == "<p>Héllo</p>"
    assert second.from_cache is True and fresh_process.from_cache is True
    assert second.content == first.content and second.content_type == first.content_type
    assert len(server.requests) == 1


async def test_the_workspace_cache_is_shared_and_lives_in_the_workspace(
    server: _Server, workspace: Path
) -> None:
    server.routes["/a"] = html(b"a")
    await Fetcher.for_workspace(policy=FetchPolicy(allow_private=True)).fetch(server.url("/a"))
    assert any((workspace / "cache" / "fetch").rglob("*.body"))
    assert server.url("/a") in FetchCache.for_workspace()


async def test_offline_without_a_cached_copy_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="not in the fetch cache"):
        await local_fetcher(tmp_path).fetch("http://127.0.0.1:9/x", offline=True)


async def test_stale_entries_are_refetched_and_failures_are_not_cached(
    server: _Server, tmp_path: Path
) -> None:
    server.routes["/v"] = html(b"one")
    fetcher = local_fetcher(tmp_path)
    await fetcher.fetch(server.url("/v"))
    server.routes["/v"] = html(b"two")
    assert (await fetcher.fetch(server.url("/v"))).text == "one"
    assert (await fetcher.fetch(server.url("/v"), max_age_s=0)).text == "two"

    with pytest.raises(FetchError, match="HTTP 404") as info:
        await fetcher.fetch(server.url("/missing"))
    assert info.value.status == 404
    assert server.url("/missing") not in fetcher.cache  # type: ignore[operator]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/page",
        "http://localhost:{port}/page",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
    ],
)
async def test_private_and_loopback_addresses_are_refused_by_default(
    server: _Server, tmp_path: Path, url: str
) -> None:
    server.routes["/page"] = html(b"secret")
    fetcher = Fetcher(FetchPolicy(), FetchCache(tmp_path / "cache"))
    with pytest.raises(FetchRefusedError, match="non-public address"):
        await fetcher.fetch(url.replace("{port}", str(server.server_port)))
    assert server.requests == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/x", "only http and https"),
        ("gopher://example.org/", "only http and https"),
        ("http://user:pw@example.org/", "credentials"),
        ("http:///nohost", "no host"),
    ],
)
async def test_only_plain_http_urls_are_fetched(url: str, message: str) -> None:
    with pytest.raises(FetchRefusedError, match=message):
        await check_url(url, allow_private=True)


async def test_bodies_over_the_size_limit_are_refused_declared_or_not(
    server: _Server, tmp_path: Path
) -> None:
    server.routes["/declared"] = html(b"x" * 5000, **{"Content-Length": "5000"})
    server.routes["/undeclared"] = html(b"x" * 5000)
    server.routes["/small"] = html(b"x" * 500)
    fetcher = local_fetcher(tmp_path, max_bytes=1000)

    with pytest.raises(FetchRefusedError, match="5,000 bytes is over the 1,000-byte limit"):
        await fetcher.fetch(server.url("/declared"))
    with pytest.raises(FetchRefusedError, match="over the 1,000-byte limit"):
        await fetcher.fetch(server.url("/undeclared"))
    assert len((await fetcher.fetch(server.url("/small"))).content) == 500


async def test_content_types_outside_the_allowed_list_are_refused(
    server: _Server, tmp_path: Path
) -> None:
    server.routes["/bin"] = (200, {"Content-Type": "application/octet-stream"}, b"\x00\x01")
    server.routes["/json"] = (200, {"Content-Type": "application/json"}, b'{"a": 1}')
    fetcher = local_fetcher(tmp_path)
    with pytest.raises(FetchRefusedError, match="content type 'application/octet-stream'"):
        await fetcher.fetch(server.url("/bin"))
    assert (await fetcher.fetch(server.url("/json"))).parse_json() == {"a": 1}
    with pytest.raises(FetchRefusedError, match="content type 'application/json'"):
        await fetcher.fetch(server.url("/json"), content_types=("text/",), use_cache=False)


async def test_redirects_are_followed_and_each_hop_is_checked_again(
    server: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/old"] = (301, {"Location": "/new"}, b"")
    server.routes["/new"] = html(b"moved here")
    server.routes["/to-file"] = (302, {"Location": "file:///etc/passwd"}, b"")
    server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    server.routes["/to-private"] = (302, {"Location": "http://127.0.0.2:{port}/new"}, b"")
    fetcher = local_fetcher(tmp_path, max_redirects=3)

    moved = await fetcher.fetch(server.url("/old"))
    assert moved.text == "moved here"
    assert moved.url == server.url("/old") and moved.final_url == server.url("/new")
    with pytest.raises(FetchRefusedError, match="only http and https"):
        await fetcher.fetch(server.url("/to-file"))
    with pytest.raises(FetchRefusedError, match="redirected more than 3 times"):
        await fetcher.fetch(server.url("/loop"))

    # Pretend 127.0.0.1 is a public host: the redirect to another loopback address must
    # still be refused, because every hop is checked.
    monkeypatch.setattr(fetch_module, "_is_public", lambda address: address == "127.0.0.1")
    strict = Fetcher(FetchPolicy(), FetchCache(tmp_path / "strict"))
    with pytest.raises(FetchRefusedError, match=r"127\.0\.0\.2"):
        await strict.fetch(server.url("/to-private"))
    assert [p for p, _ in server.requests].count("/to-private") == 1


async def test_a_slow_server_hits_the_deadline(server: _Server, tmp_path: Path) -> None:
    server.routes["/slow"] = html(b"late", **{"X-Sleep": "2"})
    with pytest.raises(FetchError, match=r"took longer than 0\.3 s"):
        await local_fetcher(tmp_path, timeout_s=0.3).fetch(server.url("/slow"))


async def test_connection_failures_are_fetch_errors(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="failed: ConnectError"):
        await local_fetcher(tmp_path).fetch("http://127.0.0.1:9/nothing-listens-here")


async def test_request_headers_reach_the_server_but_not_the_cache(
    server: _Server, tmp_path: Path
) -> None:
    server.routes["/api"] = (200, {"Content-Type": "application/json"}, b"[]")
    fetcher = local_fetcher(tmp_path)
    await fetcher.fetch(server.url("/api?q=1"), headers={"X-Api-Key": "sekrit-123"})

    assert server.requests[0][1]["X-Api-Key"] == "sekrit-123"
    assert server.requests[0][1]["User-Agent"].startswith("lyceum/")
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert b"sekrit-123" not in stored


def test_text_is_decoded_with_the_declared_charset() -> None:
    from datetime import UTC, datetime

    result = fetch_module.FetchResult(
        url="http://x/",
        final_url="http://x/",
        status=200,
        content_type="text/plain; charset=latin-1",
        content="café".encode("latin-1"),
        fetched_at=datetime.now(UTC),
    )
    assert result.text == "café"


async def test_the_refusal_hint_names_the_setting_that_allows_private_hosts(
    workspace: Path,
) -> None:
    import re

    from lyceum.config import load_settings
    from lyceum.sources.fetch import fetch_policy

    with pytest.raises(FetchRefusedError) as caught:
        await check_url("http://127.0.0.1/", allow_private=False)
    hint = caught.value.hint
    match = re.search(r"'(\w+) = true' in the \[([\w.]+)\] table", hint)
    assert match, hint
    key, table = match.groups()
    # The setting the hint names is real: written as told, it lets the fetcher through.
    (workspace / "lyceum.toml").write_text(f"[{table}]\n{key} = true\n")
    policy = fetch_policy(load_settings(workspace))
    assert policy.allow_private is True
    await check_url("http://127.0.0.1/", allow_private=policy.allow_private)
