"""The `[server]` section of lyceum.toml."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from lyceum.config import Settings, feature_settings


class ServerSettings(BaseModel):
    """How `lyceum serve` listens, limits requests and runs jobs."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(
        default="127.0.0.1",
        description="Address to bind. Anything but loopback requires API keys "
        "('lyceum serve keys create').",
    )
    port: int = Field(default=8321, ge=0, le=65535, description="TCP port.")
    max_request_bytes: int = Field(
        default=1_000_000, ge=1024, description="Largest request body accepted (413 above)."
    )
    rate_limit_per_min: int = Field(
        default=120,
        ge=1,
        description="Requests per minute per API key (or per client address without keys); "
        "a key may carry its own limit.",
    )
    job_concurrency: int = Field(
        default=1, ge=1, le=32, description="Research and lab jobs running at once."
    )
    job_lease_s: float = Field(
        default=30.0,
        ge=0.5,
        le=3600,
        description="Lease a server holds on a job it runs, renewed every third of it. "
        "Another server on the same store takes a running job over only after its lease "
        "lapsed, so a killed server's jobs resume this long after it died.",
    )
    instance_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="A stable name for this server. A restarted server with the same name "
        "takes its earlier process's running jobs back at once instead of waiting for "
        "their leases to lapse. Give each server sharing a store its own name.",
    )
    jobs_dir: Path | None = Field(
        default=None,
        description="Where job artifacts (research reports) are written. "
        "Default: `server/jobs` in the workspace.",
    )
    agent_tools: list[str] = Field(
        default_factory=lambda: ["calculator"],
        description="Tools POST /run-agent may use (registered tool names).",
    )
    agent_max_iterations: int = Field(
        default=8, ge=1, le=50, description="Ceiling on an agent request's iterations."
    )
    access_log: bool = Field(default=True, description="Log one line per request (uvicorn).")
    require_keys: bool = Field(
        default=False,
        description="Require an API key even on loopback. Keys are always required when "
        "any active key exists or the host is not loopback.",
    )

    def jobs_path(self, settings: Settings) -> Path:
        return self.jobs_dir or settings.workspace / "server" / "jobs"


def server_settings(settings: Settings) -> ServerSettings:
    return feature_settings(settings, "server", ServerSettings)


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")
