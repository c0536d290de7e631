"""Who is calling: bearer API keys when keys are required, then the caller's rate limit.

Keys are required when the server binds a non-loopback address, when `[server]
require_keys` is set, or as soon as any active key exists. Without keys (a loopback
server for one person) callers are told apart by address for rate limiting.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from lyceum.server.errors import ApiError
from lyceum.server.settings import is_loopback
from lyceum.server.state import ServerState, get_state

bearer = HTTPBearer(
    auto_error=False,
    description="An API key from 'lyceum serve keys create', as 'Authorization: Bearer lyc_...'.",
)


class Principal(BaseModel):
    """Who is calling. Without keys (a loopback server for one person) the caller is that
    person: admin, but not `authenticated`."""

    id: str
    key_name: str | None = None
    admin: bool = False
    authenticated: bool = False


def keys_required(state: ServerState) -> bool:
    return state.config.require_keys or not is_loopback(state.host) or state.keys.any_active()


def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller, after the key check and the rate limit (401 / 429 otherwise)."""
    state = get_state(request)
    limit = state.config.rate_limit_per_min
    if keys_required(state):
        if credentials is None:
            state.metrics.rejected.labels("missing_key").inc()
            raise ApiError(
                401,
                "this server requires an API key",
                type="authentication_error",
                code="missing_api_key",
                hint="Send 'Authorization: Bearer <key>'; create one with 'lyceum serve keys create NAME'.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        info = state.keys.verify(credentials.credentials)
        if info is None:
            state.metrics.rejected.labels("invalid_key").inc()
            raise ApiError(
                401,
                "invalid or revoked API key",
                type="authentication_error",
                code="invalid_api_key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        principal = Principal(
            id=f"key:{info.id}", key_name=info.name, admin=info.admin, authenticated=True
        )
        limit = info.rate_limit_per_min or limit
    else:
        client = request.client.host if request.client else "unknown"
        principal = Principal(id=f"addr:{client}", admin=True)
    wait = state.limiter.acquire(principal.id, limit)
    if wait > 0:
        state.metrics.rejected.labels("rate_limited").inc()
        raise ApiError(
            429,
            f"rate limit of {limit} requests per minute exceeded",
            type="rate_limited",
            code="rate_limit_exceeded",
            hint=f"Retry in {wait:.1f}s.",
            headers={"Retry-After": str(max(1, round(wait)))},
        )
    return principal


Caller = Annotated[Principal, Depends(authenticate)]


def authenticate_admin(caller: Caller) -> Principal:
    """The caller, if it may read every key's jobs and the call log (403 otherwise)."""
    if not caller.admin:
        raise ApiError(
            403,
            "this needs an admin API key",
            type="forbidden",
            code="admin_required",
            hint="Create one with 'lyceum serve keys create NAME --admin'.",
        )
    return caller


AdminCaller = Annotated[Principal, Depends(authenticate_admin)]
