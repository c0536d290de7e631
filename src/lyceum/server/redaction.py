"""Keep the secrets Lyceum reads out of everything the server sends or logs.

Secrets live in environment variables named by the configuration: every backend's
`api_key_env`, the web search key (`[sources.web] api_key_env`), the vector store's
(`[retrieval] qdrant_api_key_env`), any other `*_env` key of a feature section, and the
password in a database URL. An upstream that quotes the credentials it received in an
error body could carry a key into exception messages, and from there into 502 bodies,
readiness reports, SSE error events and log lines. The backends mask their own key where
they make that text (so the call log stays clean too); these guards are the second layer,
for whatever other path a key takes (another SDK's exception text, a traceback): an ASGI
middleware over every response body and a log-record factory while the app runs, each
replacing a secret with asterisks of the same length (so a Content-Length stays right).
A streamed body is masked across chunk boundaries: the end of a chunk that could be the
start of a secret is held back until the next chunk shows whether it is one.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lyceum.config import FEATURE_SECTIONS, Settings

# Shorter values are not credentials but would mask ordinary words.
MIN_SECRET_LENGTH = 8


def secret_env_names(settings: Settings) -> set[str]:
    """Names of the environment variables holding secrets Lyceum may read."""
    from lyceum.retrieval.settings import RetrievalSettings
    from lyceum.sources.web import WebSearchSettings

    names = {getattr(cfg, "api_key_env", None) for cfg in settings.models.values()}
    # The defaults apply when the setting is left out of lyceum.toml.
    names.add(WebSearchSettings.model_fields["api_key_env"].default)
    names.add(RetrievalSettings.model_fields["qdrant_api_key_env"].default)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and key.endswith("_env") and isinstance(value, str):
                    names.add(value)
                walk(value)

    for section in FEATURE_SECTIONS:
        walk(settings.section(section))
    return {n for n in names if n}


def known_secrets(settings: Settings) -> list[str]:
    """The values of every secret Lyceum reads that is set, longest first."""
    values = {os.environ.get(name, "") for name in secret_env_names(settings)}
    # An unparsable URL fails later, where the store opens it.
    with contextlib.suppress(ArgumentError, ValueError):
        values.add(make_url(settings.database_url).password or "")
    return sorted((v for v in values if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = [s for s in secrets if len(s) >= MIN_SECRET_LENGTH]
        self._bytes = [(s.encode(), b"*" * len(s.encode())) for s in self.secrets]

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, "*" * len(secret))
        return value

    def data(self, value: bytes) -> bytes:
        for secret, mask in self._bytes:
            value = value.replace(secret, mask)
        return value

    def partial_tail(self, value: bytes) -> int:
        """Length of the longest end of `value` that is the start of a secret."""
        longest = 0
        end = len(value)
        for secret, _ in self._bytes:
            # Earliest start first: the first match is the longest for this secret.
            i = value.find(secret[:1], max(0, end - len(secret) + 1))
            while i != -1 and end - i > longest:
                if secret.startswith(value[i:]):
                    longest = end - i
                    break
                i = value.find(secret[:1], i + 1)
        return longest

    def install_log_guard(self) -> Callable[[], None]:
        """Redact log records made from now on; returns the function that undoes it."""
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if not self.secrets:
                return record
            message = record.getMessage()
            clean = self.text(message)
            if clean != message:
                record.msg, record.args = clean, None
            if record.exc_info and record.exc_info[1] is not None:
                formatted = logging.Formatter().formatException(record.exc_info)
                record.exc_text = self.text(formatted)
            return record

        logging.setLogRecordFactory(factory)

        def restore() -> None:
            if logging.getLogRecordFactory() is factory:
                logging.setLogRecordFactory(previous)

        return restore


class RedactResponses:
    """ASGI middleware: mask secrets in response bodies, streamed ones chunk by chunk."""

    def __init__(self, app: ASGIApp, redactor: Redactor) -> None:
        self.app = app
        self.redactor = redactor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.redactor.secrets:
            await self.app(scope, receive, send)
            return

        carry = b""

        async def masked(message: Message) -> None:
            nonlocal carry
            if message["type"] == "http.response.body":
                body = self.redactor.data(carry + message.get("body", b""))
                keep = self.redactor.partial_tail(body) if message.get("more_body") else 0
                carry = body[len(body) - keep :] if keep else b""
                message = {**message, "body": body[: len(body) - keep]}
            await send(message)

        await self.app(scope, receive, masked)
