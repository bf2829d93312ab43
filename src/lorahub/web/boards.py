"""Which tiles a board shows (rooms of a hub, compartments of a parcel station) and their state."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from pydantic import BaseModel

from lorahub.api.services import ApiServices
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui
from lorahub.domain.tenancy import Language, Site
from lorahub.web.i18n import text
from lorahub.web.live import LiveBoard
from lorahub.web.presence import (
    TileState,
    compartment_state,
    merged_buckets,
    room_state,
    sparkline_points,
)

BoardKind = Literal["hub", "parcel_station"]


@dataclass(frozen=True, slots=True)
class Tile:
    """One room of a hub (or one occupancy device directly in it), or one compartment."""

    id: str
    name: str
    kind: Literal["room", "compartment"]
    capacity: int | None
    devices: tuple[DevEui, ...]


def board_tiles(services: ApiServices, site: Site, *, public_only: bool) -> list[Tile]:
    """The tiles of a hub or parcel station; with ``public_only`` only public rooms."""
    children = [
        child
        for child in services.tenants.sites(None, site.tenant)
        if child.parent == site.id and (child.public or not public_only)
    ]
    by_site: dict[str, list[Device]] = defaultdict(list)
    for device in services.registry.list(None, site.tenant):
        if device.enabled:
            by_site[device.site].append(device)
    if site.kind == "hub":
        rooms = [
            Tile(room.id, room.name, "room", room.capacity, _euis(by_site[room.id]))
            for room in children
            if room.kind == "room"
        ]
        return rooms + _device_tiles(services, by_site[site.id], "occupancy", "room")
    places = [site.id, *(child.id for child in children)]
    in_station = [device for place in places for device in by_site[place]]
    return _device_tiles(services, in_station, "fill-level", "compartment")


def _device_tiles(
    services: ApiServices,
    devices: list[Device],
    family: str,
    kind: Literal["room", "compartment"],
) -> list[Tile]:
    """One tile per device of ``family`` (a sensor standing for its own room or compartment)."""
    tiles = []
    for device in sorted(devices, key=lambda d: d.name):
        model = services.catalog.get(device.model)
        if model is not None and model.family == family:
            tiles.append(Tile(device_tile_id(device), device.name, kind, None, (device.dev_eui,)))
    return tiles


def device_tile_id(device: Device) -> str:
    """A stable tile id for a device that does not show its DevEUI on public pages."""
    return "d-" + hashlib.sha256(device.dev_eui.encode()).hexdigest()[:12]


def _euis(devices: list[Device]) -> tuple[DevEui, ...]:
    return tuple(device.dev_eui for device in devices)


def tile_state(tile: Tile, board: LiveBoard) -> TileState:
    """The tile's state now, from the board's newest values of its devices."""
    presences = [p for p in (board.latest(d) for d in tile.devices) if p is not None]
    if tile.kind == "compartment":
        return compartment_state(presences[0] if presences else None)
    return room_state(presences, tile.capacity)


class TileView(BaseModel):
    """A tile as a page draws it and its event stream sends it (texts in the page's language)."""

    id: str
    status: str
    status_text: str
    detail_text: str
    updated_text: str
    sparkline: str
    announce: str


def tile_view(tile: Tile, board: LiveBoard, language: Language, zone: tzinfo) -> TileView:
    """Render ``tile`` for a page in ``language``; times in ``zone``."""
    state = tile_state(tile, board)
    status_text = text(state.status, language)
    detail = _detail(tile, state, language)
    updated = ""
    if state.updated_ns is not None:
        moment = datetime.fromtimestamp(state.updated_ns / 1e9, zone)
        updated = text("updated", language, time=moment.strftime("%H:%M"))
    buckets = merged_buckets(board.today(d) for d in tile.devices)
    counted = any(
        presence is not None and presence.people_count is not None
        for presence in (board.latest(device) for device in tile.devices)
    )
    top = 100.0 if tile.kind == "compartment" else float(tile.capacity or 1) if counted else 1.0
    announce = f"{tile.name}: {status_text}" + (f", {detail}" if detail else "")
    return TileView(
        id=tile.id,
        status=state.status,
        status_text=status_text,
        detail_text=detail,
        updated_text=updated,
        sparkline=sparkline_points(buckets, board.day_start_ns(), top),
        announce=announce,
    )


def _detail(tile: Tile, state: TileState, language: Language) -> str:
    if state.fill_level is not None:
        return text("fill", language, fill=round(state.fill_level))
    if state.people is None:
        return ""
    if tile.capacity:
        return text("people", language, people=state.people, capacity=tile.capacity)
    return text("people_open", language, people=state.people)
