"""Safe fetching of outside URLs, with an on-disk cache shared by the whole workspace.

Every source (arXiv, Wikipedia, web search, pages a research worker reads) fetches
through `Fetcher`, so that:

- only `http(s)` URLs are fetched, and hosts that resolve to private, loopback,
  link-local or otherwise non-public addresses (IPv6 forms carrying one included, see
  `lyceum.sources.addresses`) are refused unless `allow_private` is set (a URL a model or
  a web page suggests must not reach the machine's own services). The one exception is an
  endpoint the user configured (`trusted_origins`, e.g. a SearxNG on localhost): its exact
  scheme, host and port are fetched wherever it resolves;
- every redirect is followed by hand and each hop is checked again under the same rules,
  so a configured endpoint cannot redirect a fetch into the private network; headers the
  caller passed (API keys) go only to the origin they were meant for, never to a
  redirect's other host;
- a response served from the cache is checked against the policy like a fresh one;
- a response larger than `max_bytes` is cut off while streaming (a lying or absent
  `Content-Length` does not help), the whole fetch has a deadline, and the content type
  must be one the caller accepts;
- every successful response is stored in `<workspace>/cache/fetch/`, keyed by URL, so a
  re-run is served from disk, works offline, and costs the remote service nothing.

Known limit: the address check resolves the name before httpx connects, so a DNS server
that answers differently the second time (DNS rebinding) is not caught.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import socket
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from lyceum.config import Settings, default_workspace, feature_settings
from lyceum.errors import LyceumError
from lyceum.sources.addresses import is_public, parse_address

DEFAULT_CONTENT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/xhtml+xml",
    "application/pdf",
    "application/x-tex",
    "application/x-latex",
)
USER_AGENT = "lyceum/0.1 (research assistant; +https://pypi.org/project/lyceum/)"
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(LyceumError):
    """A fetch failed: network error, HTTP error status, timeout, or nothing cached offline."""

    def __init__(self, message: str, *, url: str, status: int | None = None, hint: str = ""):
        super().__init__(message, hint=hint)
        self.url = url
        self.status = status


class FetchRefusedError(FetchError):
    """The fetch policy refused the URL or the response (scheme, address, size, type)."""


class SourceResponseError(FetchError):
    """A search service answered, but not with what its API promises."""


class FetchPolicy(BaseModel):
    """What `Fetcher` is willing to fetch."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allow_private: bool = Field(
        default=False,
        description="Allow hosts on private, loopback and link-local addresses (e.g. a "
        "SearxNG on localhost, or tests on 127.0.0.1).",
    )
    max_bytes: int = Field(default=10_000_000, ge=1, description="Largest body accepted.")
    timeout_s: float = Field(default=30.0, gt=0, description="Deadline for a whole fetch.")
    max_redirects: int = Field(default=5, ge=0, description="Redirects followed at most.")
    trusted_origins: tuple[str, ...] = Field(
        default=(),
        description="Origins (scheme://host:port) fetched even on a private address: the "
        "endpoints configured for sources. Redirects away from them are checked as usual.",
    )
    content_types: tuple[str, ...] = Field(
        default=DEFAULT_CONTENT_TYPES,
        description="Accepted content types; an entry ending in '/' accepts the whole family.",
    )
    user_agent: str = USER_AGENT


class FetchResult(BaseModel):
    """One fetched response (or its cached copy)."""

    url: str = Field(description="The URL asked for (the cache key).")
    final_url: str = Field(description="Where the redirects ended.")
    status: int
    content_type: str = ""
    content: bytes
    fetched_at: datetime
    from_cache: bool = False

    @property
    def text(self) -> str:
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"' ")
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def parse_json(self) -> Any:
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise FetchError(f"{self.url} did not return JSON: {exc}", url=self.url) from None


def fetch_policy(settings: Settings) -> FetchPolicy:
    """The policy in the `[sources.fetch]` table of lyceum.toml (defaults when absent)."""
    return feature_settings(settings, "sources.fetch", FetchPolicy)


def normalize_url(url: str) -> str:
    """The cache key of a URL: scheme and host lower-cased, fragment dropped."""
    parsed = httpx.URL(url)
    return str(parsed.copy_with(fragment=None))


class FetchCache:
    """Responses on disk, one JSON metadata file and one body file per URL."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    @classmethod
    def for_workspace(cls, workspace: Path | str | None = None) -> FetchCache:
        root = Path(workspace) if workspace is not None else default_workspace()
        return cls(root / "cache" / "fetch")

    def _paths(self, url: str) -> tuple[Path, Path]:
        digest = hashlib.sha256(normalize_url(url).encode("utf-8")).hexdigest()
        folder = self.directory / digest[:2]
        return folder / f"{digest}.json", folder / f"{digest}.body"

    def get(self, url: str, *, max_age_s: float | None = None) -> FetchResult | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            content = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        result = FetchResult(**meta, content=content, from_cache=True)
        if max_age_s is not None:
            age = (datetime.now(UTC) - result.fetched_at).total_seconds()
            if age > max_age_s:
                return None
        return result

    def put(self, result: FetchResult) -> None:
        meta_path, body_path = self._paths(result.url)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta = result.model_dump(mode="json", exclude={"content", "from_cache"})
        _write_atomic(body_path, result.content)
        _write_atomic(meta_path, json.dumps(meta).encode("utf-8"))

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and self._paths(url)[0].exists()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_is_public = is_public


def origin(url: httpx.URL | str) -> str:
    """`scheme://host:port` of a URL, with the default port spelled out."""
    parsed = httpx.URL(url) if isinstance(url, str) else url
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return f"{parsed.scheme}://{parsed.host}:{port}".lower()


def configured_origins(settings: Settings) -> tuple[str, ...]:
    """Origins of the endpoints configured in `[sources.*]` (every `*url` key, outside
    `[sources.fetch]`): the user chose them, so they may be private hosts."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value)
            elif isinstance(key, str) and key.endswith("url") and isinstance(value, str):
                with contextlib.suppress(httpx.InvalidURL, TypeError):
                    parsed = httpx.URL(value)
                    if parsed.scheme in ("http", "https") and parsed.host:
                        found.append(origin(parsed))

    walk({k: v for k, v in settings.section("sources").items() if k != "fetch"})
    return tuple(dict.fromkeys(found))


async def check_url(
    url: str,
    *,
    allow_private: bool,
    trusted_origins: tuple[str, ...] = (),
    resolve: bool = True,
) -> httpx.URL:
    """`url` parsed, if the policy allows fetching it; else `FetchRefusedError`.

    `resolve=False` (offline, for a cached copy) checks only what the URL itself says: an
    IP literal or a `localhost` name."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchRefusedError(f"not a valid URL: {url!r} ({exc})", url=str(url)) from None
    if parsed.scheme not in ("http", "https"):
        raise FetchRefusedError(f"refusing {url!r}: only http and https URLs are fetched", url=url)
    if not parsed.host:
        raise FetchRefusedError(f"refusing {url!r}: the URL has no host", url=url)
    if parsed.userinfo:
        raise FetchRefusedError(f"refusing {url!r}: credentials in URLs are not allowed", url=url)
    if allow_private or origin(parsed) in trusted_origins:
        return parsed
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    host = parsed.host.strip("[]")
    if not resolve:
        literal = parse_address(host)
        local_name = host.rstrip(".").lower().endswith("localhost")
        addresses = [host] if literal is not None else (["127.0.0.1"] if local_name else [])
    else:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {parsed.host}: {exc}", url=url) from None
        addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        if not _is_public(address):
            raise FetchRefusedError(
                f"refusing {url!r}: {parsed.host} resolves to the non-public address {address}",
                url=url,
                hint="Private and loopback hosts are fetched only with "
                "'allow_private = true' in the [sources.fetch] table of lyceum.toml "
                "(e.g. for a local SearxNG).",
            )
    return parsed


class Fetcher:
    """Fetch URLs under a `FetchPolicy`, through a `FetchCache` (None: no caching)."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        cache: FetchCache | None = None,
        *,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self.cache = cache
        self._client = client

    @classmethod
    def for_workspace(
        cls, workspace: Path | str | None = None, policy: FetchPolicy | None = None
    ) -> Fetcher:
        """A fetcher caching into the workspace's shared fetch cache."""
        return cls(policy, FetchCache.for_workspace(workspace))

    @classmethod
    def for_settings(cls, settings: Settings) -> Fetcher:
        """The workspace's fetcher under the `[sources.fetch]` policy."""
        return cls(fetch_policy(settings), FetchCache.for_workspace(settings.workspace))

    @classmethod
    def for_api(cls, settings: Settings) -> Fetcher:
        """The fetcher sources use for their configured API endpoints.

        An endpoint's base URL comes from the user's configuration, not from a model or a
        page, so it may be a private host (a SearxNG on localhost): exactly those origins
        are trusted. Everything else, redirects from those endpoints included, is checked.
        """
        policy = fetch_policy(settings)
        trusted = tuple(dict.fromkeys([*policy.trusted_origins, *configured_origins(settings)]))
        policy = policy.model_copy(update={"trusted_origins": trusted})
        return cls(policy, FetchCache.for_workspace(settings.workspace))

    async def fetch(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        content_types: tuple[str, ...] | None = None,
        use_cache: bool = True,
        max_age_s: float | None = None,
        offline: bool = False,
    ) -> FetchResult:
        """GET `url`. Served from the cache when present (and younger than `max_age_s`);
        `offline=True` never touches the network. `headers` are not part of the cache key,
        which is what keeps API keys out of it."""
        if use_cache and self.cache is not None:
            cached = self.cache.get(url, max_age_s=max_age_s)
            if cached is not None:
                # The policy may be stricter now than when the copy was stored, and a copy
                # must not serve what a fetch would refuse.
                for where in dict.fromkeys((url, cached.final_url)):
                    await self._check(where, resolve=not offline)
                return cached
        if offline:
            raise FetchError(
                f"{url} is not in the fetch cache and fetching is offline",
                url=url,
                hint="Run once with network access to fill the cache.",
            )
        try:
            async with asyncio.timeout(self.policy.timeout_s):
                result = await self._fetch_following_redirects(url, headers or {}, content_types)
        except TimeoutError:
            raise FetchError(
                f"fetching {url} took longer than {self.policy.timeout_s:g} s", url=url
            ) from None
        if use_cache and self.cache is not None:
            self.cache.put(result)
        return result

    async def _fetch_following_redirects(
        self, url: str, headers: dict[str, str], content_types: tuple[str, ...] | None
    ) -> FetchResult:
        target = url
        home = ""
        for _ in range(self.policy.max_redirects + 1):
            parsed = await self._check(target)
            home = home or origin(parsed)
            # Caller headers (API keys) go only to the origin they were given for.
            hop_headers = headers if origin(parsed) == home else {}
            response = await self._get(parsed, target, hop_headers, content_types)
            if isinstance(response, FetchResult):
                return response.model_copy(update={"url": url})
            target = response
        raise FetchRefusedError(
            f"{url} redirected more than {self.policy.max_redirects} times", url=url
        )

    async def _check(self, url: str, *, resolve: bool = True) -> httpx.URL:
        return await check_url(
            url,
            allow_private=self.policy.allow_private,
            trusted_origins=self.policy.trusted_origins,
            resolve=resolve,
        )

    async def _get(
        self,
        parsed: httpx.URL,
        url: str,
        headers: dict[str, str],
        content_types: tuple[str, ...] | None,
    ) -> FetchResult | str:
        """The response, or the next URL when it is a redirect."""
        request_headers = {"User-Agent": self.policy.user_agent, **headers}
        client = self._client or httpx.AsyncClient()
        try:
            async with client.stream(
                "GET", parsed, headers=request_headers, follow_redirects=False
            ) as response:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    return str(parsed.join(response.headers["location"]))
                if response.status_code >= 400:
                    raise FetchError(
                        f"{url} answered HTTP {response.status_code}",
                        url=url,
                        status=response.status_code,
                    )
                content_type = response.headers.get("content-type", "")
                self._check_content_type(url, content_type, content_types)
                content = await self._read_limited(url, response)
                return FetchResult(
                    url=url,
                    final_url=str(response.url),
                    status=response.status_code,
                    content_type=content_type,
                    content=content,
                    fetched_at=datetime.now(UTC),
                )
        except httpx.HTTPError as exc:
            raise FetchError(
                f"fetching {url} failed: {type(exc).__name__}: {exc}", url=url
            ) from None
        finally:
            if self._client is None:
                await client.aclose()

    def _check_content_type(
        self, url: str, content_type: str, accepted: tuple[str, ...] | None
    ) -> None:
        allowed = accepted if accepted is not None else self.policy.content_types
        mime = content_type.split(";", 1)[0].strip().lower()
        if not any(mime.startswith(a) if a.endswith("/") else mime == a for a in allowed):
            raise FetchRefusedError(
                f"refusing {url}: content type {mime or '(none)'!r} is not one of "
                f"{', '.join(allowed)}",
                url=url,
            )

    async def _read_limited(self, url: str, response: httpx.Response) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchRefusedError(
                f"refusing {url}: {int(declared):,} bytes is over the {limit:,}-byte limit",
                url=url,
            )
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body.extend(chunk)
            if len(body) > limit:
                raise FetchRefusedError(
                    f"refusing {url}: the body is over the {limit:,}-byte limit", url=url
                )
        return bytes(body)
