"""Hostile URLs and redirects: private addresses in every spelling, redirects out of a
configured endpoint, cached copies of what is now refused, and keys sent across hosts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lyceum.config import load_settings
from lyceum.errors import LyceumError
from lyceum.sources.addresses import is_public
from lyceum.sources.fetch import (
    FetchCache,
    Fetcher,
    FetchError,
    FetchPolicy,
    FetchRefusedError,
    check_url,
    configured_origins,
)

from .test_fetch import _Server, html

pytestmark = pytest.mark.hostile

NON_PUBLIC = [
    "::7f00:1",  # IPv4-compatible 127.0.0.1
    "::a9fe:a9fe",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::ffff:0:7f00:1",  # IPv4-translated
    "64:ff9b::a9fe:a9fe",  # NAT64 of the metadata service
    "64:ff9b::7f00:1",
    "64:ff9b::c0a8:101",
    "64:ff9b:1::a00:1",  # local-use NAT64
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "fec0::1",  # site-local
    "fc00::1",
    "fd12:3456::1",
    "fe80::1%eth0",
    "::1",
    "::",
    "ff02::1",
    "100::1",
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "192.0.0.8",
    "198.18.0.1",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "2001:db8::1",
    "not-an-address",
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_non_public_addresses_are_refused_in_every_spelling(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::7f00:1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "http://[fec0::1]/",
        "http://[::ffff:7f00:1]:8080/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://0/",
        "http://localhost/",
        "https://169.254.169.254/",
    ],
)
async def test_urls_reaching_the_machine_are_refused(url: str) -> None:
    with pytest.raises(FetchRefusedError, match="non-public address"):
        await check_url(url, allow_private=False)


def _api_fetcher(workspace: Path, toml: str) -> Fetcher:
    (workspace / "lyceum.toml").write_text(toml)
    return Fetcher.for_api(load_settings(workspace))


async def test_api_sources_trust_only_their_configured_endpoint(workspace: Path) -> None:
    server = _Server()
    other = _Server()
    try:
        server.routes["/search"] = (200, {"Content-Type": "application/json"}, b"[]")
        fetcher = _api_fetcher(workspace, f'[sources.web]\nbase_url = "{server.url("")}"\n')
        assert fetcher.policy.allow_private is False
        assert (await fetcher.fetch(server.url("/search"), use_cache=False)).content == b"[]"
        # Another local service is not an endpoint the user configured.
        other.routes["/admin"] = html(b"internal")
        with pytest.raises(FetchRefusedError):
            await fetcher.fetch(other.url("/admin"), use_cache=False)
    finally:
        server.stop()
        other.stop()


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2:{port}/x",
        "http://localhost:{port}/x",
        "http://[::1]:{port}/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:{port}/x",
    ],
)
async def test_a_configured_endpoint_cannot_redirect_into_the_private_network(
    workspace: Path, location: str
) -> None:
    server = _Server()
    try:
        server.routes["/go"] = (302, {"Location": location}, b"")
        server.routes["/x"] = html(b"private")
        fetcher = _api_fetcher(workspace, f'[sources.arxiv]\napi_url = "{server.url("/api")}"\n')
        with pytest.raises(FetchRefusedError):
            await fetcher.fetch(server.url("/go"), use_cache=False)
        assert [p for p, _ in server.requests] == ["/go"]
        # A redirect within the endpoint itself is followed.
        server.routes["/home"] = (302, {"Location": "/x"}, b"")
        assert (await fetcher.fetch(server.url("/home"), use_cache=False)).text == "private"
    finally:
        server.stop()


def test_configured_origins_come_from_every_url_setting(workspace: Path) -> None:
    (workspace / "lyceum.toml").write_text(
        '[sources.web]\nbase_url = "http://localhost:8888/"\n'
        '[sources.wikipedia]\napi_url = "https://wiki.internal/w/api.php"\n'
        "[sources.fetch]\nmax_bytes = 1000\n"
    )
    assert set(configured_origins(load_settings(workspace))) == {
        "http://localhost:8888",
        "https://wiki.internal:443",
    }


async def test_a_cached_copy_is_not_served_once_the_policy_refuses_it(tmp_path: Path) -> None:
    server = _Server()
    try:
        server.routes["/page"] = html(b"from the intranet")
        cache = FetchCache(tmp_path / "cache")
        await Fetcher(FetchPolicy(allow_private=True), cache).fetch(server.url("/page"))
        strict = Fetcher(FetchPolicy(), cache)
        with pytest.raises(FetchRefusedError):
            await strict.fetch(server.url("/page"))
        with pytest.raises(FetchRefusedError):
            await strict.fetch(server.url("/page"), offline=True)
    finally:
        server.stop()


async def test_a_cached_copy_is_checked_by_where_it_was_redirected(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from lyceum.sources.fetch import FetchResult

    cache = FetchCache(tmp_path / "cache")
    cache.put(
        FetchResult(
            url="http://93.184.216.34/a",
            final_url="http://127.0.0.1/secret",
            status=200,
            content_type="text/plain",
            content=b"secret",
            fetched_at=datetime.now(UTC),
        )
    )
    with pytest.raises(FetchRefusedError, match=r"127\.0\.0\.1"):
        await Fetcher(FetchPolicy(), cache).fetch("http://93.184.216.34/a", offline=True)


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Subscription-Token", "brave-key-123456789"),
        ("Authorization", "Bearer sk-123456789"),
        ("X-Api-Key", "k-123456789"),
    ],
)
async def test_caller_headers_never_follow_a_redirect_to_another_origin(
    tmp_path: Path, header: str, value: str
) -> None:
    first, second = _Server(), _Server()
    try:
        second.routes["/land"] = html(b"landed")
        first.routes["/away"] = (302, {"Location": second.url("/land")}, b"")
        first.routes["/near"] = (302, {"Location": "/land"}, b"")
        first.routes["/land"] = html(b"home")
        fetcher = Fetcher(FetchPolicy(allow_private=True), None)
        assert (await fetcher.fetch(first.url("/away"), headers={header: value})).text == "landed"
        assert header.lower() not in {k.lower() for k in second.requests[0][1]}
        await fetcher.fetch(first.url("/near"), headers={header: value})
        assert first.requests[-1][1].get(header) == value  # same origin: kept
    finally:
        first.stop()
        second.stop()


async def test_backends_do_not_carry_their_keys_through_redirects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[dict[str, str]] = []

    class Landing(BaseHTTPRequestHandler):
        def _any(self) -> None:
            seen.append(dict(self.headers))
            self.send_response(200)
            self.end_headers()

        do_GET = do_POST = _any

        def log_message(self, *args: Any) -> None:
            pass

    landing = ThreadingHTTPServer(("127.0.0.1", 0), Landing)
    port = landing.server_address[1]

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(307)
            self.send_header("Location", f"http://localhost:{port}{self.path}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    origin = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    for srv in (landing, origin):
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{origin.server_address[1]}"
    monkeypatch.setenv("HOSTILE_TEST_KEY", "sk-hostile-0123456789")
    try:
        from lyceum.config_backends import AnthropicBackendConfig, OpenAIBackendConfig
        from lyceum.llm.backends.anthropic import AnthropicBackend
        from lyceum.llm.backends.openai_compat import OpenAICompatBackend
        from lyceum.llm.types import Message

        backends = [
            AnthropicBackend(
                "a",
                AnthropicBackendConfig(model="m", api_key_env="HOSTILE_TEST_KEY", base_url=base),
            ),
            OpenAICompatBackend(
                "o",
                OpenAIBackendConfig(
                    model="m",
                    base_url=base + "/v1",
                    api_key_env="HOSTILE_TEST_KEY",
                    context_window=4096,
                ),
            ),
        ]
        for backend in backends:
            with pytest.raises(LyceumError) as caught:
                await backend.generate([Message(role="user", content="hi")])
            assert "sk-hostile-0123456789" not in str(caught.value)
            await backend.aclose()
        assert seen == []
    finally:
        for srv in (landing, origin):
            srv.shutdown()
            srv.server_close()


async def test_an_unresolvable_host_is_an_error_not_a_pass() -> None:
    with pytest.raises(FetchError):
        await check_url("http://does-not-exist.invalid/", allow_private=False)
