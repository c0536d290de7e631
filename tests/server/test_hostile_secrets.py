"""Every secret Lyceum reads is masked in what the server sends, streamed bodies included,
however the stream happens to be cut into chunks."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lyceum.config import load_settings
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.server.redaction import Redactor, RedactResponses, known_secrets

pytestmark = pytest.mark.hostile

SECRETS = {
    "BRAVE_SEARCH_API_KEY": "brave-SECRET-0123456789",
    "QDRANT_API_KEY": "qdrant-SECRET-0123456789",
    "MY_SEARX_TOKEN": "searx-SECRET-0123456789",
    "MY_VECTOR_KEY": "vector-SECRET-0123456789",
    "UPSTREAM_KEY": "sk-upstream-SECRET-0123456789",
}

CONFIG = """
[models.fake]
kind = "scripted"
[models.up]
kind = "openai"
base_url = "http://127.0.0.1:9/v1"
model = "m"
api_key_env = "UPSTREAM_KEY"
[gateway]
tiers = ["fake"]
[sources.web]
api_key_env = "MY_SEARX_TOKEN"
[retrieval]
qdrant_api_key_env = "MY_VECTOR_KEY"
[server]
allowed_hosts = ["testserver"]
rate_limit_per_min = 100000
"""


@pytest.fixture
def secret_settings(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    (workspace / "lyceum.toml").write_text(CONFIG)
    return load_settings(workspace)


def test_every_secret_lyceum_reads_is_known(secret_settings: Any) -> None:
    assert set(SECRETS.values()) <= set(known_secrets(secret_settings))
    store = secret_settings.store.model_copy(
        update={"url": "postgresql://u:db-SECRET-password@db.internal/x"}
    )
    with_db = secret_settings.model_copy(update={"store": store})
    assert "db-SECRET-password" in known_secrets(with_db)


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    edges = [0, *cuts, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


async def _through_middleware(chunks: list[bytes], secrets: list[str]) -> bytes:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for i, chunk in enumerate(chunks):
            await send(
                {"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1}
            )

    out: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            out.append(message["body"])

    await RedactResponses(app, Redactor(secrets))({"type": "http"}, None, send)
    return b"".join(out)


@pytest.mark.parametrize(
    "payload",
    [
        "data: {KEY}\n\n",
        "data: x{KEY}{KEY}y\n\n",
        "data: sk-upstream-SECRET-01 then {KEY}\n\n",  # a false start just before the key
        "sk-sk-sk-{KEY}",
        "{KEY}",
        'event: error\ndata: {{"message": "bad key {KEY}"}}\n\n',
    ],
)
def test_a_secret_split_across_stream_chunks_is_still_masked(payload: str) -> None:
    key = SECRETS["UPSTREAM_KEY"]
    data = payload.format(KEY=key).encode()
    for cut in range(1, len(data)):
        for cuts in ([cut], [cut, min(cut + 3, len(data) - 1)] if cut + 3 < len(data) else [cut]):
            out = asyncio.run(_through_middleware(_split(data, sorted(set(cuts))), [key]))
            assert key.encode() not in out, (cut, out)
            assert len(out) == len(data)
            assert out.replace(b"*" * len(key), key.encode()) == data


def test_a_stream_without_secrets_is_passed_on_chunk_by_chunk() -> None:
    chunks = [b"data: one\n\n", b"data: two\n\n"]
    seen: list[bytes] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            seen.append(message["body"])

    asyncio.run(
        RedactResponses(app, Redactor(["sk-upstream-SECRET"]))({"type": "http"}, None, send)
    )
    assert seen == [*chunks, b""]  # nothing held back: an event is not delayed


def test_streamed_chat_output_never_carries_a_search_or_vector_key(secret_settings: Any) -> None:
    from lyceum.server import create_app
    from lyceum.wiring import build_gateway

    words = " ".join(f"leak {v}" for v in SECRETS.values())
    backend = ScriptedBackend([words] * 4, name="fake")
    gateway = build_gateway(secret_settings, backends={"fake": backend})
    with TestClient(create_app(secret_settings, gateway=gateway)) as c:
        chat = {"model": "fake", "messages": [{"role": "user", "content": "hi"}]}
        streamed = c.post("/v1/chat/completions", json={**chat, "stream": True}).text
        plain = c.post("/v1/chat/completions", json=chat).text
    for value in SECRETS.values():
        assert value not in streamed and value not in plain
    assert "leak ****" in plain
