"""ChirpStack v3 MQTT events (``json_v3`` and protobuf ``json`` marshalers) to domain envelopes."""

from __future__ import annotations

from typing import Any

import msgspec

from lorahub.domain.ids import DevEui
from lorahub.domain.json_value import JsonObject
from lorahub.domain.uplink import DeviceStatus, Envelope, GatewayReception, OtherEvent, Uplink
from lorahub.envelopes.common import (
    U8,
    U32,
    decode,
    event_label,
    first_time,
    hex_or_base64_eui,
    resolve_dev_eui,
    sf_from_dr,
    sorted_tags,
)
from lorahub.errors import MalformedMessage

EVENTS = frozenset({"up", "join", "status", "ack", "txack", "error", "location", "integration"})
"""The ``event/{event}`` names ChirpStack v3 publishes."""

LEGACY_EVENTS = {"rx": "up", "join": "join", "ack": "ack", "error": "error", "status": "status"}
"""Pre-3.11 topic suffixes (``application/{id}/device/{eui}/rx``) and their event names."""


class _Base(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=False, gc=False):
    """Common msgspec options: unknown fields ignored, wire names given per field."""


class RxInfo(_Base):
    """One gateway's reception; ``gatewayID`` is hex (json_v3) or base64 (json)."""

    gateway_id: str = msgspec.field(name="gatewayID")
    time: str | None = None
    rssi: float | None = None
    snr: float | None = msgspec.field(default=None, name="loRaSNR")


class LoRaModulationInfo(_Base):
    """``txInfo.loRaModulationInfo`` (json marshaler only)."""

    spreading_factor: U8 | None = msgspec.field(default=None, name="spreadingFactor")


class TxInfo(_Base):
    """``txInfo``: ``{frequency, dr}`` in json_v3, with ``loRaModulationInfo`` in json."""

    frequency: U32 | None = None
    dr: int | None = None
    lora: LoRaModulationInfo | None = msgspec.field(default=None, name="loRaModulationInfo")


class UplinkEvent(_Base):
    """The ``up`` event of both marshalers."""

    dev_eui: str | None = msgspec.field(default=None, name="devEUI")
    device_name: str | None = msgspec.field(default=None, name="deviceName")
    rx_info: list[RxInfo] | None = msgspec.field(default=None, name="rxInfo")
    tx_info: TxInfo | None = msgspec.field(default=None, name="txInfo")
    dr: int | None = None
    f_cnt: U32 = msgspec.field(default=0, name="fCnt")
    f_port: U8 = msgspec.field(default=0, name="fPort")
    data: bytes | None = None
    object: dict[str, Any] | None = None
    object_json: str | None = msgspec.field(default=None, name="objectJSON")
    tags: dict[str, str] | None = None
    confirmed: bool | None = msgspec.field(default=None, name="confirmedUplink")
    published_at: str | None = msgspec.field(default=None, name="publishedAt")


class StatusEvent(_Base):
    """The ``status`` event (DevStatusAns); it carries no time."""

    dev_eui: str | None = msgspec.field(default=None, name="devEUI")
    margin: int | None = None
    external_power: bool | None = msgspec.field(default=None, name="externalPowerSource")
    unavailable: bool | None = msgspec.field(default=None, name="batteryLevelUnavailable")
    battery_level: float | None = msgspec.field(default=None, name="batteryLevel")


class OtherBody(_Base):
    """Any other event; ``type`` is the error kind of ``error`` events."""

    dev_eui: str | None = msgspec.field(default=None, name="devEUI")
    type: str | None = None


def _dev_eui(body: str | None, topic_eui: str | None) -> DevEui:
    hex_eui = hex_or_base64_eui(body, "devEUI") if body else None
    return resolve_dev_eui(hex_eui, topic_eui, "devEUI")


def to_uplink(
    event: UplinkEvent, topic_eui: str | None, received_ns: int, lns_object: JsonObject | None
) -> Uplink:
    """Map a decoded ``up`` event to an ``Uplink``.

    Time preference: the first ``rxInfo[].time``, then ``publishedAt`` (json marshaler), then
    ``received_ns`` (``time_from_lns=False``). The spreading factor comes from
    ``loRaModulationInfo``, else from the EU868 data rate (see ``sf_from_dr``).

    Args:
        event: the decoded body.
        topic_eui: the topic's DevEUI segment.
        received_ns: MQTT receipt time.
        lns_object: ``object``, or ``objectJSON`` already parsed by the caller.

    Raises:
        MalformedMessage: bad DevEUI, gateway id or timestamp.
    """
    rx = event.rx_info or []
    stamp = first_time(
        [(r.time, "rxInfo[].time") for r in rx] + [(event.published_at, "publishedAt")]
    )
    tx = event.tx_info
    frequency = tx.frequency if tx else None
    spreading_factor = tx.lora.spreading_factor if tx and tx.lora else None
    data_rate = tx.dr if tx and tx.dr is not None else event.dr
    return Uplink(
        lns="chirpstack_v3",
        dev_eui=_dev_eui(event.dev_eui, topic_eui),
        time_ns=received_ns if stamp is None else stamp,
        f_port=event.f_port,
        f_cnt=event.f_cnt,
        payload=event.data or b"",
        confirmed=bool(event.confirmed),
        device_name=event.device_name or None,
        gateways=tuple(
            GatewayReception(hex_or_base64_eui(r.gateway_id, "rxInfo[].gatewayID"), r.rssi, r.snr)
            for r in rx
        ),
        frequency=frequency,
        spreading_factor=spreading_factor or sf_from_dr(data_rate, frequency),
        lns_object=lns_object,
        time_from_lns=stamp is not None,
        tags=sorted_tags(event.tags),
    )


def to_status(event: StatusEvent, topic_eui: str | None, received_ns: int) -> DeviceStatus:
    """Map a decoded ``status`` event to a ``DeviceStatus`` stamped with the receipt time.

    Raises:
        MalformedMessage: bad DevEUI.
    """
    return DeviceStatus(
        lns="chirpstack_v3",
        dev_eui=_dev_eui(event.dev_eui, topic_eui),
        time_ns=received_ns,
        battery_percent=None if event.unavailable else event.battery_level,
        margin_db=event.margin,
        external_power=bool(event.external_power),
        time_from_lns=False,
    )


class ChirpStackV3:
    """Parser of ChirpStack v3 event bodies; holds its reusable msgspec decoders."""

    def __init__(self) -> None:
        self._up = msgspec.json.Decoder(UplinkEvent)
        self._status = msgspec.json.Decoder(StatusEvent)
        self._other = msgspec.json.Decoder(OtherBody)
        self._object_json = msgspec.json.Decoder(dict[str, Any] | None)

    def parse(
        self, event: str, topic_eui: str | None, payload: bytes, received_ns: int
    ) -> Envelope:
        """Parse the body of a ChirpStack v3 event.

        Args:
            event: the normalised event name (``up`` for the legacy ``rx`` suffix).
            topic_eui: the topic's DevEUI segment (used only if the body has none).
            payload: the raw MQTT payload.
            received_ns: MQTT receipt time, used when the body carries no time.

        Returns:
            An ``Uplink``, ``DeviceStatus`` or ``OtherEvent``.

        Raises:
            MalformedMessage: the body is not a valid ChirpStack v3 event.
        """
        what = f"chirpstack_v3 {event}"
        if event == "up":
            up = decode(self._up, payload, what)
            lns_object: JsonObject | None = up.object
            if lns_object is None and up.object_json:
                lns_object = decode(self._object_json, up.object_json, f"{what} objectJSON")
            return to_uplink(up, topic_eui, received_ns, lns_object)
        if event == "status":
            return to_status(decode(self._status, payload, what), topic_eui, received_ns)
        if event not in EVENTS:
            raise MalformedMessage(f"unknown ChirpStack v3 event {event[:40]!r}")
        body = decode(self._other, payload, what)
        name = event_label("error", body.type) if event == "error" else event
        return OtherEvent("chirpstack_v3", name, _dev_eui(body.dev_eui, topic_eui))
