"""The `[server]` section of lyceum.toml."""

from __future__ import annotations

import ipaddress
import socket
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

    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the server answers to besides the bound address (and, on "
        "loopback, localhost, 127.0.0.1 and ::1), e.g. the name of a reverse proxy. Other "
        "Host headers are refused (421), which defeats DNS rebinding. A wildcard bind "
        "(0.0.0.0, ::) with this list empty answers to any name; it requires keys.",
    )
    probe_rate_per_min: int = Field(
        default=6,
        ge=1,
        le=600,
        description="Readiness probes (GET /health/ready?probe=true, a generation on every "
        "backend) per minute, for the whole server.",
    )
    job_max_attempts: int = Field(
        default=3,
        ge=1,
        le=100,
        description="Times a job may be picked up again after the server running it died "
        "(a llama.cpp abort, the OOM killer); the job then fails with the reason instead "
        "of taking every restart down with it.",
    )
    research_max_time_s: float = Field(
        default=3600.0, gt=0, description="Ceiling on a research job's wall-time budget."
    )
    research_max_tokens: int = Field(
        default=2_000_000, ge=1, description="Ceiling on a research job's token budget."
    )
    research_max_cost_usd: float = Field(
        default=5.0,
        gt=0,
        description="Ceiling on a research job's cost budget in USD. Over the API a budget "
        "is never unlimited: an unset or 0 budget becomes this ceiling.",
    )
    lab_max_concurrency: int = Field(
        default=8, ge=1, le=256, description="Ceiling on a lab experiment's concurrency."
    )
    lab_max_cost_usd: float = Field(
        default=5.0, gt=0, description="Cost in USD after which a lab job is stopped."
    )
    lab_max_tokens: int = Field(
        default=5_000_000, ge=1, description="Tokens after which a lab job is stopped."
    )
    lab_data_dir: Path | None = Field(
        default=None,
        description="The folder lab datasets given over the API are read from; a path "
        "outside it is refused. Default: `data` in the workspace.",
    )
    pdf_timeout_s: float = Field(
        default=300.0,
        gt=0,
        le=3600,
        description="Time a research job's PDF compilation may take in all; then the "
        "compiler's whole process group is killed and the job finishes without a PDF.",
    )

    def jobs_path(self, settings: Settings) -> Path:
        return self.jobs_dir or settings.workspace / "server" / "jobs"

    def data_path(self, settings: Settings) -> Path:
        return self.lab_data_dir or settings.workspace / "data"


def server_settings(settings: Settings) -> ServerSettings:
    return feature_settings(settings, "server", ServerSettings)


def is_loopback(host: str) -> bool:
    """Whether `host` reaches only this machine: an IP literal in 127.0.0.0/8 or ::1, or a
    name whose every resolved address is one. A string test would pass `127.foo` (a public
    name) and `localhost.evil.example`; an unresolvable name is not loopback."""
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    literal = _ip(name)
    if literal is not None:
        return literal.is_loopback
    if not name or name != name.strip("."):
        return False
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    addresses = [_ip(str(info[4][0])) for info in infos]
    return bool(addresses) and all(a is not None and a.is_loopback for a in addresses)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip
