"""Errors at the HTTP edge: Lyceum's error hierarchy becomes 4xx/5xx with one JSON shape,
`{"error": {"type", "message", "hint", "code"}}`, which OpenAI clients also understand."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from lyceum.errors import (
    AllTiersFailedError,
    AuthenticationError,
    BackendTimeoutError,
    BadRequestError,
    CircuitOpenError,
    ConfigError,
    ContextLengthError,
    LyceumError,
    ModelError,
    NotFoundError,
    RateLimitedError,
)


class ErrorDetail(BaseModel):
    type: str = Field(description="Machine-readable kind, e.g. not_found, invalid_request_error.")
    message: str = Field(description="What went wrong.")
    hint: str = Field(default="", description="How to fix it, when known.")
    code: str | None = Field(default=None, description="OpenAI-style error code.")
    param: str | None = Field(default=None, description="The offending field, when one is.")


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """Raised by routes for a specific HTTP status."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        hint: str = "",
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.detail = ErrorDetail(type=type, message=message, hint=hint, code=code, param=param)
        self.headers = headers


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The request cannot be carried out."},
    401: {"model": ErrorBody, "description": "Missing or invalid API key."},
    403: {
        "model": ErrorBody,
        "description": "Not allowed (another owner's job, an admin route, a cross-site request).",
    },
    404: {"model": ErrorBody, "description": "No such resource."},
    413: {"model": ErrorBody, "description": "Request body too large."},
    415: {"model": ErrorBody, "description": "A body not sent as application/json."},
    422: {"model": ErrorBody, "description": "Invalid input; the message names each field."},
    429: {"model": ErrorBody, "description": "Rate limit exceeded; see Retry-After."},
}


def _status_for(exc: LyceumError) -> tuple[int, str]:
    if isinstance(exc, NotFoundError):
        return 404, "not_found"
    if isinstance(exc, ConfigError):
        return 422, "invalid_request_error"
    if isinstance(exc, BadRequestError | ContextLengthError):
        return 400, "invalid_request_error"
    if isinstance(exc, RateLimitedError):
        return 429, "rate_limited"
    if isinstance(exc, BackendTimeoutError):
        return 504, "backend_timeout"
    if isinstance(exc, AllTiersFailedError | CircuitOpenError):
        return 503, "backend_unavailable"
    if isinstance(exc, AuthenticationError):
        # The backend refused Lyceum's credentials: a server problem, not the client's.
        return 502, "backend_error"
    if isinstance(exc, ModelError):
        return 502, "backend_error"
    return 400, "invalid_request_error"


def error_response(
    status: int, detail: ErrorDetail, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        ErrorBody(error=detail).model_dump(mode="json"), status_code=status, headers=headers
    )


def lyceum_error_response(exc: LyceumError) -> JSONResponse:
    status, kind = _status_for(exc)
    return error_response(status, ErrorDetail(type=kind, message=str(exc), hint=exc.hint))


def _validation_message(errors: list[Any]) -> tuple[str, str | None]:
    parts = []
    first: str | None = None
    for err in errors:
        if err.get("type") == "json_invalid":
            # Its location is ("body", <character offset>): not a field to name as `param`.
            loc = [p for p in err.get("loc", ()) if p != "body"]
            at = f" at character {loc[0]}" if loc else ""
            reason = (err.get("ctx") or {}).get("error", "")
            parts.append(f"body is not valid JSON{at}" + (f": {reason}" if reason else ""))
            continue
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        where = ".".join(loc) or "(request)"
        first = first or where
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request", first


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.detail, exc.headers)

    @app.exception_handler(LyceumError)
    async def _lyceum_error(_request: Request, exc: LyceumError) -> JSONResponse:
        return lyceum_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        message, param = _validation_message(list(exc.errors()))
        return error_response(
            422, ErrorDetail(type="invalid_request_error", message=message, param=param)
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(
            exc.status_code,
            ErrorDetail(type=kind, message=str(exc.detail)),
            dict(exc.headers or {}),
        )
