"""/channels: a tenant's notification channels, test messages, and what was delivered.

Everyone who may read a tenant may list its channels and deliveries (URLs are always masked);
only its operators and admins may change them or send a test message.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.deliveries_sql import SqlDeliveryOutbox
from lorahub.api.audit_trail import audited
from lorahub.api.channel_schemas import (
    ChannelCreate,
    ChannelPublic,
    ChannelTestResult,
    ChannelUpdate,
    DeliveryPublic,
)
from lorahub.api.deps import PrincipalDep, ServicesDep, require_manage, tenant_for_change
from lorahub.api.problems import not_found
from lorahub.domain.ids import SLUG_PATTERN
from lorahub.notify.channel import Channel, DeliveryStatus
from lorahub.notify.ledger import DeliveryLedger
from lorahub.notify.probe import send_test
from lorahub.notify.sender import AppriseSender

TenantFilter = Annotated[str | None, Query(pattern=SLUG_PATTERN, description="only this tenant")]
StatusFilter = Annotated[DeliveryStatus | None, Query(description="only this status")]
Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many, newest first")]
ChannelId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a channel id")]


def add_routes(app: APIRouter, prefix: str) -> None:
    """Add the channel routes under ``prefix``."""
    base = f"{prefix}/channels"
    one = f"{base}/{{channel_id}}"
    tags: list[str | Enum] = ["notifications"]
    app.add_api_route(base, list_channels, tags=tags, methods=["GET"])
    app.add_api_route(
        base, create_channel, tags=tags, methods=["POST"], status_code=status.HTTP_201_CREATED
    )
    app.add_api_route(one, read_channel, tags=tags, methods=["GET"])
    app.add_api_route(one, update_channel, tags=tags, methods=["PATCH"])
    app.add_api_route(
        one, delete_channel, tags=tags, methods=["DELETE"], status_code=status.HTTP_204_NO_CONTENT
    )
    app.add_api_route(f"{one}/test", send_test_message, tags=tags, methods=["POST"])
    app.add_api_route(f"{one}/deliveries", list_channel_deliveries, tags=tags, methods=["GET"])
    app.add_api_route(
        f"{prefix}/notification-deliveries", list_deliveries, tags=tags, methods=["GET"]
    )


def readable_channel(
    channel_id: ChannelId, services: ServicesDep, principal: PrincipalDep
) -> Channel:
    """The path's channel, or 404 when absent or outside the caller's tenants."""
    channel = SqlChannelRepository(services.engine).get(channel_id, principal.scope())
    if channel is None:
        raise not_found("channel", str(channel_id))
    return channel


ReadableChannel = Annotated[Channel, Depends(readable_channel)]


def list_channels(
    services: ServicesDep, principal: PrincipalDep, tenant: TenantFilter = None
) -> list[ChannelPublic]:
    """The channels of the caller's tenants (or of one of them), URLs masked."""
    if tenant is not None and services.tenants.tenant(tenant, principal.scope()) is None:
        raise not_found("tenant", tenant)
    channels = SqlChannelRepository(services.engine).channels(principal.scope(), tenant)
    return [ChannelPublic.of(channel) for channel in channels]


def create_channel(
    body: ChannelCreate, services: ServicesDep, principal: PrincipalDep
) -> ChannelPublic:
    """Create a channel; 409 when the tenant has one of that name."""
    tenant_for_change(services, principal, body.tenant)
    repository = SqlChannelRepository(services.engine)
    with audited(
        services, principal, "create", ("channel", body.name), body.tenant, body.audit_detail()
    ) as connection:
        channel = repository.add(body.to_channel(), services.clock(), connection=connection)
    return ChannelPublic.of(channel)


def read_channel(channel: ReadableChannel) -> ChannelPublic:
    """One channel of the caller's tenants, with its health."""
    return ChannelPublic.of(channel)


def update_channel(
    channel: ReadableChannel, body: ChannelUpdate, services: ServicesDep, principal: PrincipalDep
) -> ChannelPublic:
    """Change a channel's settings (not its tenant or health)."""
    require_manage(principal, channel.tenant, "channel", str(channel.id))
    updated = body.apply(channel)
    with audited(
        services,
        principal,
        "update",
        ("channel", str(channel.id)),
        channel.tenant,
        body.audit_detail(),
    ) as connection:
        repository = SqlChannelRepository(services.engine)
        if not repository.update(updated, services.clock(), connection=connection):
            raise not_found("channel", str(channel.id))  # deleted meanwhile
    return ChannelPublic.of(updated)


def delete_channel(
    channel: ReadableChannel, services: ServicesDep, principal: PrincipalDep
) -> None:
    """Delete a channel and its delivery records."""
    require_manage(principal, channel.tenant, "channel", str(channel.id))
    with audited(
        services, principal, "delete", ("channel", str(channel.id)), channel.tenant
    ) as connection:
        if not SqlChannelRepository(services.engine).remove(channel.id, connection=connection):
            raise not_found("channel", str(channel.id))


async def send_test_message(
    channel: ReadableChannel, services: ServicesDep, principal: PrincipalDep
) -> ChannelTestResult:
    """Send a test message now and say whether it arrived (recorded as a ``test`` delivery)."""
    require_manage(principal, channel.tenant, "channel", str(channel.id))
    settings = services.notifications
    tenant = services.tenants.tenant(channel.tenant, None)
    ledger = DeliveryLedger(services.engine, None, settings.unhealthy_after)
    outcome = await send_test(
        channel,
        tenant.language if tenant is not None else "de",
        AppriseSender(settings.send_timeout_s),
        ledger,
        services.clock(),
    )
    return ChannelTestResult(ok=outcome.ok, error=outcome.error)


def list_channel_deliveries(
    channel: ReadableChannel,
    services: ServicesDep,
    delivery_status: Annotated[StatusFilter, Query(alias="status")] = None,
    limit: Limit = 100,
) -> list[DeliveryPublic]:
    """The channel's newest deliveries: queued, sent, failed (with the error) or held."""
    outbox = SqlDeliveryOutbox(services.engine)
    deliveries = outbox.deliveries(None, channel.id, delivery_status, limit)
    return [DeliveryPublic.of(delivery) for delivery in deliveries]


def list_deliveries(
    services: ServicesDep,
    principal: PrincipalDep,
    tenant: TenantFilter = None,
    delivery_status: Annotated[StatusFilter, Query(alias="status")] = None,
    limit: Limit = 100,
) -> list[DeliveryPublic]:
    """The newest deliveries of the caller's tenants' channels (``status=failed``: what failed)."""
    if tenant is not None and services.tenants.tenant(tenant, principal.scope()) is None:
        raise not_found("tenant", tenant)
    scope = frozenset({tenant}) if tenant is not None else principal.scope()
    deliveries = SqlDeliveryOutbox(services.engine).deliveries(scope, None, delivery_status, limit)
    return [DeliveryPublic.of(delivery) for delivery in deliveries]
