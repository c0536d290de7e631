"""Keep upstream API keys out of everything the server sends or logs.

The keys of configured backends live in environment variables (`api_key_env`). An
upstream that quotes the credentials it received in an error body could carry the key into
exception messages, and from there into 502 bodies, readiness reports, SSE error events and
log lines. The OpenAI-compatible backend masks its own key where it makes that text (so the
call log stays clean too); these two guards are the second layer, for whatever other path a
key takes (another SDK's exception text, a traceback): an ASGI middleware over every
response body chunk and a log-record factory while the app runs, each replacing a key with
asterisks of the same length (so a Content-Length stays right).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lyceum.config import Settings

# Shorter values are not credentials but would mask ordinary words.
MIN_SECRET_LENGTH = 8


def upstream_secrets(settings: Settings) -> list[str]:
    """The values of every configured backend's `api_key_env` that are set."""
    names = {getattr(cfg, "api_key_env", None) for cfg in settings.models.values()}
    values = {os.environ.get(name, "") for name in names if name}
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

        async def masked(message: Message) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                message = {**message, "body": self.redactor.data(message["body"])}
            await send(message)

        await self.app(scope, receive, masked)
