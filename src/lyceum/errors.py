"""Lyceum's error hierarchy. Messages say how to fix the problem; the CLI and server
turn these into one line or an HTTP 4xx at the edge."""

from __future__ import annotations

from pydantic import ValidationError


class LyceumError(Exception):
    """Base of every error Lyceum raises on purpose."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class ConfigError(LyceumError):
    """The configuration file or environment is invalid."""


class MissingDependencyError(LyceumError):
    """An optional extra is needed for this feature."""

    def __init__(self, package: str, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs the '{package}' package.",
            hint=f"Install it with: pip install 'lyceum[{extra}]'",
        )


class ModelError(LyceumError):
    """A model backend failed. `retryable` tells the gateway whether trying again may help."""

    retryable: bool = False

    def __init__(self, message: str, *, backend: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.backend = backend


class BackendUnavailableError(ModelError):
    """The backend could not be reached (connection refused, DNS, dropped connection)."""

    retryable = True


class BackendTimeoutError(ModelError):
    retryable = True


class RateLimitedError(ModelError):
    retryable = True


class ServerError(ModelError):
    """The backend answered with a 5xx or a malformed response."""

    retryable = True


class BadRequestError(ModelError):
    """The backend refused the request itself; retrying the same request cannot help."""


class AuthenticationError(ModelError):
    pass


class ContextLengthError(ModelError):
    """The prompt does not fit the model's context window."""


class CircuitOpenError(ModelError):
    """The backend's circuit breaker is open; calls are refused until it cools down."""


class AllTiersFailedError(ModelError):
    """Every tier of the gateway failed; `errors` holds each tier's error."""

    def __init__(self, errors: list[ModelError]) -> None:
        summary = "; ".join(f"{e.backend or '?'}: {e}" for e in errors)
        super().__init__(
            f"all model tiers failed ({summary})",
            hint="Run 'lyceum models' to probe each configured backend.",
        )
        self.errors = errors


class StructuredOutputError(ModelError):
    """The model's output did not validate against the requested schema, even after repair."""

    def __init__(self, message: str, *, raw_output: str, backend: str = "") -> None:
        super().__init__(message, backend=backend)
        self.raw_output = raw_output


class NotFoundError(LyceumError):
    """A named run, collection, dataset or record does not exist."""


def validation_problems(exc: ValidationError, *, prefix: str = "") -> list[str]:
    """One `where: what` line per problem of a pydantic error, without its documentation URL.

    `prefix` names the object validated (`options`, `lab`); a problem at its root is shown
    under that name, or as `(root)` without one.
    """
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in (prefix, *err["loc"]) if p != "") or "(root)"
        what = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        lines.append(f"{where}: {what}")
    return lines
