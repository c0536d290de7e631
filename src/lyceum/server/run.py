"""Running the server: the bind check, then uvicorn."""

from __future__ import annotations

import errno
import socket

from lyceum.config import Settings
from lyceum.errors import LyceumError, MissingDependencyError
from lyceum.server.keys import KeyStore
from lyceum.server.settings import is_loopback, server_settings
from lyceum.store.db import open_database


class InsecureBindError(LyceumError):
    """Binding a non-loopback address with no API key to protect it."""


def check_bind(host: str, keys: KeyStore) -> None:
    """Refuse to expose the server beyond this machine unless API keys exist."""
    if is_loopback(host) or keys.any_active():
        return
    raise InsecureBindError(
        f"refusing to listen on {host} without API keys: anyone who can reach this address "
        "could use your models and read your runs",
        hint="Create a key first with 'lyceum serve keys create NAME' (clients send it as "
        "'Authorization: Bearer <key>'), or listen on 127.0.0.1.",
    )


class PortInUseError(LyceumError):
    """Another process already listens on the address and port."""


def check_port(host: str, port: int) -> None:
    """Refuse, with a hint, a port another process holds (uvicorn would log an OSError)."""
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        raise LyceumError(f"cannot listen on {host}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise LyceumError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
            raise PortInUseError(
                f"port {port} on {host} is already in use (another 'lyceum serve'?)",
                hint=f"Stop the other process (e.g. 'ss -ltnp | grep :{port}' shows it), or "
                "pick another port with --port or [server] port.",
            ) from None


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Start the server (blocking) on `host`:`port`, default from `[server]`."""
    try:
        import uvicorn
    except ModuleNotFoundError as exc:
        raise MissingDependencyError("uvicorn", "server", "lyceum serve") from exc
    from lyceum.server.app import create_app

    config = server_settings(settings)
    host = host or config.host
    port = config.port if port is None else port
    check_bind(host, KeyStore(open_database(settings.database_url)))
    check_port(host, port)
    app = create_app(settings, config=config, host=host)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=config.access_log,
        server_header=False,
        # Longer than uvicorn's 5 s default: under load a pooled client connection can sit
        # idle that long, and a close racing the next request surfaces as a client error.
        timeout_keep_alive=30,
    )
