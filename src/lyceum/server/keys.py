"""API keys: random bearer tokens of which only a SHA-256 digest is stored.

A token is shown once, when created. Tokens carry 256 bits of randomness, so a plain
SHA-256 (no salt, no slow hash) is enough to make the stored digest useless to a thief,
and lets a request be checked with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select

from lyceum.errors import LyceumError, NotFoundError
from lyceum.store.base import utcnow
from lyceum.store.db import Database
from lyceum.store.server_tables import ApiKeyRow

TOKEN_PREFIX = "lyc_"


class ApiKeyInfo(BaseModel):
    """A key as listed: never the token, never its hash."""

    id: str
    name: str
    prefix: str
    rate_limit_per_min: int | None
    admin: bool = False
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(row: ApiKeyRow) -> ApiKeyInfo:
    return ApiKeyInfo(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        rate_limit_per_min=row.rate_limit_per_min,
        admin=bool(row.admin),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


class KeyStore:
    """Create, list, revoke and check keys. Checks are cached for `cache_s` seconds, so a
    key revoked from another process (the CLI) stops working within that time."""

    def __init__(self, db: Database, cache_s: float = 5.0) -> None:
        self._db = db
        self._cache_s = cache_s
        self._lock = threading.Lock()
        self._verified: dict[str, tuple[float, ApiKeyInfo | None]] = {}
        self._active: tuple[float, bool] | None = None

    def create(
        self, name: str, rate_limit_per_min: int | None = None, *, admin: bool = False
    ) -> tuple[ApiKeyInfo, str]:
        """A new key and its token (the only time the token is available). An `admin` key
        also reads other keys' jobs and the call log."""
        name = name.strip()
        if not name:
            raise LyceumError("an API key needs a name", hint="lyceum serve keys create NAME")
        if rate_limit_per_min is not None and rate_limit_per_min < 1:
            raise LyceumError(f"rate limit must be at least 1 per minute, got {rate_limit_per_min}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = ApiKeyRow(
            name=name,
            prefix=token[: len(TOKEN_PREFIX) + 6],
            token_hash=hash_token(token),
            rate_limit_per_min=rate_limit_per_min,
            admin=admin,
        )
        with self._db.session() as session:
            session.add(row)
            session.flush()
            info = _info(row)
        self._forget()
        return info, token

    def list(self, include_revoked: bool = False) -> list[ApiKeyInfo]:
        q = select(ApiKeyRow).order_by(ApiKeyRow.created_at)
        if not include_revoked:
            q = q.where(ApiKeyRow.revoked_at.is_(None))
        with self._db.session() as session:
            return [_info(r) for r in session.scalars(q)]

    def revoke(self, key: str) -> ApiKeyInfo:
        """Revoke by id, id prefix, name or token prefix (must match exactly one key)."""
        with self._db.session() as session:
            rows = [
                r
                for r in session.scalars(select(ApiKeyRow).where(ApiKeyRow.revoked_at.is_(None)))
                if r.id == key or r.name == key or r.prefix == key or r.id.startswith(key)
            ]
            if not rows:
                raise NotFoundError(
                    f"no active API key matches {key!r}", hint="List keys: lyceum serve keys list"
                )
            if len(rows) > 1:
                raise LyceumError(
                    f"{key!r} matches {len(rows)} keys",
                    hint="Revoke by id (lyceum serve keys list)",
                )
            rows[0].revoked_at = utcnow()
            info = _info(rows[0])
        self._forget()
        return info

    def any_active(self) -> bool:
        now = time.monotonic()
        with self._lock:
            if self._active is not None and now - self._active[0] < self._cache_s:
                return self._active[1]
        with self._db.session() as session:
            found = (
                session.scalar(select(ApiKeyRow.id).where(ApiKeyRow.revoked_at.is_(None)).limit(1))
                is not None
            )
        with self._lock:
            self._active = (now, found)
        return found

    def verify(self, token: str) -> ApiKeyInfo | None:
        """The active key whose token this is, or None."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        digest = hash_token(token)
        now = time.monotonic()
        with self._lock:
            cached = self._verified.get(digest)
            if cached is not None and now - cached[0] < self._cache_s:
                return cached[1]
        with self._db.session() as session:
            row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.token_hash == digest))
            info: ApiKeyInfo | None = None
            # compare_digest keeps the check constant-time even though the lookup is indexed.
            if (
                row is not None
                and row.revoked_at is None
                and hmac.compare_digest(row.token_hash, digest)
            ):
                row.last_used_at = utcnow()
                info = _info(row)
        with self._lock:
            if len(self._verified) > 10_000:
                self._verified.clear()
            self._verified[digest] = (now, info)
        return info

    def _forget(self) -> None:
        with self._lock:
            self._verified.clear()
            self._active = None
