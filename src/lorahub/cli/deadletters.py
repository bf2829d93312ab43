"""``lorahub deadletters``: inspect rejected messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from lorahub.adapters.deadletters_sql import SqlDeadLetterStore
from lorahub.cli.context import out
from lorahub.cli.registry_access import registry_engine
from lorahub.domain.dead_letter import StoredDeadLetter
from lorahub.errors import RejectReason

app = typer.Typer(help="Inspect dead letters (rejected messages).", no_args_is_help=True)


def _store(ctx: typer.Context) -> SqlDeadLetterStore:
    return SqlDeadLetterStore(registry_engine(ctx))


def _time(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).isoformat(timespec="milliseconds")


def _as_json(item: StoredDeadLetter) -> dict[str, object]:
    letter = item.letter
    return {
        "id": item.id,
        "received_at": _time(letter.received_ns),
        "reason": letter.reason.value,
        "error": letter.error,
        "dev_eui": letter.dev_eui,
        "topic": letter.topic,
        "payload": letter.payload.decode("utf-8", errors="backslashreplace"),
    }


@app.command("list")
def list_letters(
    ctx: typer.Context,
    reason: Annotated[
        RejectReason | None, typer.Option(help="Only dead letters of this reason.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (with payloads).")] = False,
) -> None:
    """List dead letters, newest first."""
    letters = _store(ctx).list(reason, limit)
    if as_json:
        out.print_json(json.dumps([_as_json(item) for item in letters]))
        return
    table = Table("id", "received", "reason", "dev_eui", "error", "topic")
    for item in letters:
        letter = item.letter
        table.add_row(
            str(item.id),
            _time(letter.received_ns),
            letter.reason.value,
            letter.dev_eui or "",
            letter.error,
            letter.topic,
        )
    out.print(table)


@app.command("counts")
def counts(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """How many dead letters there are per reason."""
    per_reason = {reason.value: count for reason, count in _store(ctx).counts().items()}
    if as_json:
        out.print_json(json.dumps(per_reason))
        return
    table = Table("reason", "count")
    for reason, count in sorted(per_reason.items()):
        table.add_row(reason, str(count))
    out.print(table)
