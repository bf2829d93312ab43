"""``lorahub channels``: a tenant's notification channels, test messages and deliveries.

A channel's URL is a secret: it is taken on the command line and never printed back whole.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Column, Table

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.deliveries_sql import SqlDeliveryOutbox
from lorahub.adapters.tenants_sql import Conflict, SqlTenantRepository
from lorahub.alerts.notice import NoticeKind, Severity
from lorahub.cli.context import failure, out, say, settings_of
from lorahub.cli.registry_access import audit_change, registry_engine
from lorahub.notify.channel import (
    DEFAULT_TIMEZONE,
    NOTICE_KINDS,
    Channel,
    Delivery,
    DeliveryStatus,
)
from lorahub.notify.ledger import DeliveryLedger
from lorahub.notify.probe import send_test
from lorahub.notify.sender import AppriseSender
from lorahub.notify.urls import is_valid_url, mask_url


class KindChoice(StrEnum):
    """The notice kinds, as a command-line choice (typer takes no lists of literals)."""

    FIRED = "fired"
    RENOTIFIED = "renotified"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


app = typer.Typer(
    help="Manage notification channels (apprise URLs) and see their deliveries.",
    no_args_is_help=True,
)


def _time(ns: int | None) -> str | None:
    return None if ns is None else datetime.fromtimestamp(ns / 1e9, UTC).isoformat()


def _channel_json(channel: Channel) -> dict[str, object]:
    health = channel.health
    return {
        "id": channel.id,
        "tenant": channel.tenant,
        "name": channel.name,
        "url": mask_url(channel.url),
        "min_severity": channel.min_severity,
        "kinds": [kind for kind in NOTICE_KINDS if kind in channel.kinds],
        "digest_hour": channel.digest_hour,
        "timezone": channel.timezone,
        "enabled": channel.enabled,
        "healthy": health.healthy,
        "consecutive_failures": health.consecutive_failures,
        "last_error": health.last_error,
        "last_success": _time(health.last_success_ns),
        "last_failure": _time(health.last_failure_ns),
    }


def _delivery_json(delivery: Delivery) -> dict[str, object]:
    return {
        "id": delivery.id,
        "channel_id": delivery.channel_id,
        "tenant": delivery.tenant,
        "kind": delivery.kind,
        "severity": delivery.severity,
        "title": delivery.title,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "created": _time(delivery.created_ns),
        "next_attempt": _time(delivery.next_attempt_ns),
        "sent": _time(delivery.sent_ns),
        "last_error": delivery.last_error,
    }


@app.command("add")
def add(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Argument(help="Tenant id.")],
    name: Annotated[str, typer.Argument(help="Channel name, unique in the tenant.")],
    url: Annotated[str, typer.Argument(help="Apprise URL (a secret; see the README).")],
    min_severity: Annotated[
        Severity, typer.Option(help="Only alerts this urgent or more.")
    ] = "info",
    kind: Annotated[
        list[KindChoice] | None,
        typer.Option(help="Notice kinds it gets (repeat; default: all)."),
    ] = None,
    digest_hour: Annotated[
        int | None, typer.Option(min=0, max=23, help="Daily digest at this local hour instead.")
    ] = None,
    timezone: Annotated[str, typer.Option(help="IANA timezone of times and digest.")] = (
        DEFAULT_TIMEZONE
    ),
) -> None:
    """Add a channel (exit 1 for an URL apprise does not understand, a duplicate name)."""
    if not is_valid_url(url):
        raise failure(f"not a notification URL apprise understands: {mask_url(url)}")
    channel = Channel(
        id=0,
        tenant=tenant,
        name=name,
        url=url,
        min_severity=min_severity,
        kinds=frozenset(_kinds(kind)),
        digest_hour=digest_hour,
        timezone=timezone,
    )
    engine = registry_engine(ctx)
    try:
        with engine.begin() as connection:
            stored = SqlChannelRepository(engine).add(channel, time.time_ns(), connection)
            detail = {**_channel_json(stored), "url": mask_url(url)}
            audit_change(engine, "create", "channel", name, tenant, detail, connection)
    except Conflict as exc:
        raise failure(str(exc)) from exc
    say(f"added channel {stored.id} ({name}, {mask_url(url)}) to tenant {tenant}")


def _kinds(chosen: list[KindChoice] | None) -> list[NoticeKind]:
    if not chosen:
        return list(NOTICE_KINDS)
    return [kind for kind in NOTICE_KINDS if kind in {choice.value for choice in chosen}]


@app.command("list")
def list_channels(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option(help="Only channels of this tenant.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List channels with their health (URLs masked)."""
    channels = SqlChannelRepository(registry_engine(ctx)).channels(None, tenant)
    if as_json:
        out.print_json(json.dumps([_channel_json(channel) for channel in channels]))
        return
    table = Table(
        "id",
        Column("tenant", overflow="fold"),
        "name",
        "url",
        "severity",
        "digest",
        "state",
        "last error",
    )
    for channel in channels:
        state = "disabled" if not channel.enabled else "healthy"
        if channel.enabled and not channel.health.healthy:
            state = f"unhealthy ({channel.health.consecutive_failures} failures)"
        digest = "" if channel.digest_hour is None else f"{channel.digest_hour}:00"
        table.add_row(
            str(channel.id),
            channel.tenant,
            channel.name,
            mask_url(channel.url),
            f"≥ {channel.min_severity}",
            digest,
            state,
            channel.health.last_error or "",
        )
    out.print(table)


@app.command("remove")
def remove(
    ctx: typer.Context, channel_id: Annotated[int, typer.Argument(help="Channel id.")]
) -> None:
    """Remove a channel and its delivery records (exit 1 when absent)."""
    engine = registry_engine(ctx)
    repository = SqlChannelRepository(engine)
    channel = repository.get(channel_id, None)
    if channel is None:
        raise failure(f"no channel {channel_id}")
    with engine.begin() as connection:
        repository.remove(channel_id, connection)
        audit_change(engine, "delete", "channel", str(channel_id), channel.tenant, None, connection)
    say(f"removed channel {channel_id} ({channel.name})")


@app.command("test")
def test(
    ctx: typer.Context, channel_id: Annotated[int, typer.Argument(help="Channel id.")]
) -> None:
    """Send a test message now (exit 0 when it was delivered, 1 with the reason otherwise)."""
    settings = settings_of(ctx).notifications
    engine = registry_engine(ctx)
    channel = SqlChannelRepository(engine).get(channel_id, None)
    if channel is None:
        raise failure(f"no channel {channel_id}")
    tenant = SqlTenantRepository(engine).tenant(channel.tenant, None)
    outcome = asyncio.run(
        send_test(
            channel,
            tenant.language if tenant is not None else "de",
            AppriseSender(settings.send_timeout_s),
            DeliveryLedger(engine, None, settings.unhealthy_after),
            time.time_ns(),
        )
    )
    if not outcome.ok:
        raise failure(f"test message to channel {channel_id} failed: {outcome.error}")
    say(f"test message delivered to channel {channel_id} ({channel.name})")


@app.command("deliveries")
def deliveries(
    ctx: typer.Context,
    channel: Annotated[int | None, typer.Option(help="Only this channel.")] = None,
    tenant: Annotated[str | None, typer.Option(help="Only this tenant.")] = None,
    status: Annotated[DeliveryStatus | None, typer.Option(help="Only this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List deliveries, newest first: pending, sent, failed (with the error), held, digested."""
    scope = None if tenant is None else frozenset({tenant})
    found = SqlDeliveryOutbox(registry_engine(ctx)).deliveries(scope, channel, status, limit)
    if as_json:
        out.print_json(json.dumps([_delivery_json(delivery) for delivery in found]))
        return
    table = Table("id", "channel", "created", "kind", "status", "attempts", "title", "error")
    for delivery in found:
        table.add_row(
            str(delivery.id),
            str(delivery.channel_id),
            _time(delivery.created_ns),
            delivery.kind,
            delivery.status,
            str(delivery.attempts),
            delivery.title,
            delivery.last_error or "",
        )
    out.print(table)
