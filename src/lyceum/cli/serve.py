"""`lyceum serve`: the HTTP API and dashboard; `lyceum serve keys ...` manages API keys."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from lyceum.cli.state import state

if TYPE_CHECKING:
    from lyceum.server.keys import KeyStore

serve_app = typer.Typer(
    help="Serve the HTTP API, the OpenAI-compatible endpoint and the dashboard.",
    no_args_is_help=False,
)
keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
serve_app.add_typer(keys_app, name="keys")
console = Console()


def _keys() -> KeyStore:
    from lyceum.server.keys import KeyStore
    from lyceum.store.db import open_database

    return KeyStore(open_database(state.settings().database_url))


@serve_app.callback(invoke_without_command=True)
def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None,
        typer.Option(help="Address to bind (default 127.0.0.1; others need API keys)."),
    ] = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="Port (default 8321).")] = None,
) -> None:
    """Start the server. Open http://HOST:PORT/ for the dashboard."""
    if ctx.invoked_subcommand is not None:
        return
    from lyceum.server.run import serve as run_server

    run_server(state.settings(), host=host, port=port)


@keys_app.command("create")
def create_key(
    name: Annotated[str, typer.Argument(help="Who or what the key is for.")],
    rate_limit: Annotated[
        int | None,
        typer.Option("--rate-limit", min=1, help=r"Requests per minute (default: \[server])."),
    ] = None,
    admin: Annotated[
        bool,
        typer.Option("--admin", help="Also read other keys' jobs and the call log."),
    ] = False,
) -> None:
    """Create a key; its token is printed once and never stored."""
    info, token = _keys().create(name, rate_limit, admin=admin)
    console.print(f"created {'admin ' if info.admin else ''}key [bold]{info.name}[/] ({info.id})")
    console.print("token (shown only now; send as 'Authorization: Bearer <token>'):")
    typer.echo(token)


@keys_app.command("list")
def list_keys(
    all_keys: Annotated[bool, typer.Option("--all", help="Include revoked keys.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per key.")] = False,
) -> None:
    """Active keys (never their tokens)."""
    keys = _keys().list(include_revoked=all_keys)
    if as_json:
        for k in keys:
            row = {
                "id": k.id,
                "name": k.name,
                "prefix": k.prefix,
                "admin": k.admin,
                "rate_limit_per_min": k.rate_limit_per_min,
                "created_at": k.created_at.isoformat(),
                "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None,
                "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
            }
            print(json.dumps(row))
        return
    if not keys:
        console.print("no API keys; create one with 'lyceum serve keys create NAME'")
        return
    table = Table("id", "name", "prefix", "admin", "rate/min", "created", "last used", "revoked")
    for k in keys:
        table.add_row(
            k.id,
            k.name,
            k.prefix + "…",
            "yes" if k.admin else "",
            str(k.rate_limit_per_min or "default"),
            k.created_at.strftime("%Y-%m-%d %H:%M"),
            k.last_used_at.strftime("%Y-%m-%d %H:%M") if k.last_used_at else "",
            k.revoked_at.strftime("%Y-%m-%d %H:%M") if k.revoked_at else "",
        )
    console.print(table)


@keys_app.command("revoke")
def revoke_key(
    key: Annotated[str, typer.Argument(help="Key id (or a unique prefix of it), or its name.")],
) -> None:
    """Revoke a key; a running server refuses it within seconds."""
    info = _keys().revoke(key)
    console.print(f"revoked {info.name} ({info.id})")


def register(app: typer.Typer) -> None:
    app.add_typer(serve_app, name="serve")
