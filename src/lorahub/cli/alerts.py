"""``lorahub alerts``: list alerts, show one with its history, acknowledge it."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Column, Table

from lorahub.adapters.alerts_sql import AlertRecord, SqlAlertStore
from lorahub.alerts.acknowledge import Acknowledger
from lorahub.cli.context import failure, out, say, settings_of
from lorahub.cli.registry_access import audit_change, cli_actor, registry_engine

app = typer.Typer(help="See and acknowledge alerts.", no_args_is_help=True)


class StateName(StrEnum):
    """Alert states (typer takes lists of enums, not of literals)."""

    FIRING = "firing"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@app.command("list")
def list_alerts(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option(help="Only alerts of this tenant.")] = None,
    state: Annotated[
        list[StateName] | None, typer.Option(help="Only alerts in this state (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List alerts, newest first."""
    states = [item.value for item in state or ()]
    records = SqlAlertStore(registry_engine(ctx)).find(None, tenant, states, None, limit)  # type: ignore[arg-type]
    if as_json:
        out.print_json(json.dumps([asdict(record) for record in records]))
        return
    table = Table(
        "id",
        Column("tenant", overflow="fold"),
        Column("rule", overflow="fold"),
        "device",
        "severity",
        "state",
        "value",
        "since",
    )
    for record in records:
        table.add_row(
            str(record.id),
            record.tenant,
            record.rule,
            record.dev_eui,
            record.severity,
            record.state,
            _value(record),
            _time(record.started_ns),
        )
    out.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="Alert id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one alert and its history (exit 1 when absent)."""
    store = SqlAlertStore(registry_engine(ctx))
    record = store.get(alert_id, None)
    if record is None:
        raise failure(f"no alert {alert_id}")
    history = store.history(alert_id)
    if as_json:
        payload = {**asdict(record), "history": [asdict(entry) for entry in history]}
        out.print_json(json.dumps(payload))
        return
    say(
        f"alert {record.id}: {record.rule} on {record.dev_eui} ({record.tenant}), "
        f"{record.severity}, {record.state}, value {_value(record)}"
    )
    for entry in history:
        who = f" by {entry.actor}" if entry.actor else ""
        note = f": {entry.comment}" if entry.comment else ""
        say(f"  {_time(entry.at_ns)}  {entry.kind}{who}{note}")


@app.command("ack")
def acknowledge(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="Alert id.")],
    comment: Annotated[str | None, typer.Option(help="What is being done about it.")] = None,
) -> None:
    """Acknowledge a firing alert: stops re-notification (exit 1 when not firing)."""
    settings = settings_of(ctx)
    engine = registry_engine(ctx)
    acknowledger = Acknowledger.on(SqlAlertStore(engine), settings.alerts, settings.web.public_url)
    with engine.begin() as connection:
        acked = acknowledger.acknowledge(alert_id, cli_actor(), comment, time.time_ns(), connection)
        if acked is not None:
            detail: dict[str, object] = {"comment": comment}
            audit_change(
                engine, "acknowledge", "alert", str(alert_id), acked.tenant, detail, connection
            )
    if acked is None:
        raise failure(f"alert {alert_id} is not firing (absent, acknowledged or resolved)")
    say(f"acknowledged alert {alert_id}")


def _value(record: AlertRecord) -> str:
    if record.value is None:
        return ""
    return f"{record.value:g}" + (f" (limit {record.threshold:g})" if record.threshold else "")


def _time(time_ns: int) -> str:
    return datetime.fromtimestamp(time_ns / 1e9, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
