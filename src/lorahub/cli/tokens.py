"""``lorahub tokens``: create, list and revoke API tokens."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer
from rich.table import Column, Table

from lorahub.adapters.tenants_sql import Conflict
from lorahub.adapters.tokens_sql import SqlTokenRepository
from lorahub.cli.context import err, failure, out, say
from lorahub.cli.registry_access import audit_change, registry_engine
from lorahub.domain.tenancy import Role

app = typer.Typer(help="Manage API tokens (stored hashed; shown once).", no_args_is_help=True)


@app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Token name, unique, e.g. lindenau-hubapp.")],
    role: Annotated[
        Role, typer.Option(help="admin: every tenant; operator: manage; viewer: read.")
    ],
    tenants: Annotated[
        list[str] | None,
        typer.Option("--tenant", help="A tenant the token may use (repeat; not for admin)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a token and print it once: only its hash is stored, it cannot be shown again."""
    granted = sorted(set(tenants or []))
    engine = registry_engine(ctx)
    try:
        token = SqlTokenRepository(engine).create(name, role, granted, time.time_ns())
    except Conflict as exc:
        raise failure(str(exc)) from exc
    detail: dict[str, object] = {"role": role, "tenants": granted}
    audit_change(engine, "create", "token", name, granted[0] if len(granted) == 1 else None, detail)
    # Plain writes, not rich: the secret must come out unwrapped and unstyled for copy and pipes.
    if as_json:
        typer.echo(json.dumps({"name": name, "role": role, "tenants": granted, "token": token}))
    else:
        typer.echo(token)
    err.print(
        f"[yellow]Store token {name!r} now: it is kept only as a hash and cannot be shown "
        "again.[/yellow]"
    )


@app.command("list")
def list_tokens(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List tokens with role, tenants and state (never the secrets)."""
    tokens = SqlTokenRepository(registry_engine(ctx)).list()
    if as_json:
        out.print_json(
            json.dumps(
                [
                    {
                        "name": info.name,
                        "role": info.role,
                        "tenants": list(info.tenants),
                        "revoked": info.revoked,
                    }
                    for info in tokens
                ]
            )
        )
        return
    table = Table(Column("name", overflow="fold"), "role", "tenants", "revoked")
    for info in tokens:
        table.add_row(info.name, info.role, ", ".join(info.tenants), "yes" if info.revoked else "")
    out.print(table)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name of the token to revoke.")],
) -> None:
    """Revoke a token: it stops working at once (exit 1 when there is none of that name)."""
    engine = registry_engine(ctx)
    if not SqlTokenRepository(engine).revoke(name):
        raise failure(f"no token {name!r}")
    audit_change(engine, "revoke", "token", name, None)
    say(f"revoked token {name}")
