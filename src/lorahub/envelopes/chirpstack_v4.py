"""ChirpStack v4 MQTT events (protobuf JSON, lowerCamelCase) to domain envelopes."""

from __future__ import annotations

from typing import Any

import msgspec

from lorahub.domain.ids import DevEui
from lorahub.domain.uplink import DeviceStatus, Envelope, GatewayReception, OtherEvent, Uplink
from lorahub.envelopes.common import (
    U8,
    U32,
    NotThisDialect,
    decode,
    event_label,
    first_time,
    resolve_dev_eui,
    sf_from_dr,
    sorted_tags,
    time_ns,
)
from lorahub.errors import MalformedMessage

EVENTS = frozenset({"up", "join", "status", "ack", "txack", "log", "location", "integration"})
"""The ``event/{event}`` names ChirpStack v4 publishes."""


class _Base(
    msgspec.Struct, rename="camel", omit_defaults=True, forbid_unknown_fields=False, gc=False
):
    """Common msgspec options: camelCase names, unknown fields ignored."""


class DeviceInfo(_Base):
    """``deviceInfo``: who sent the event."""

    dev_eui: str = ""
    device_name: str | None = None
    tags: dict[str, str] = msgspec.field(default_factory=dict)


class LoraModulation(_Base):
    """``txInfo.modulation.lora``."""

    spreading_factor: U8 | None = None


class Modulation(_Base):
    """``txInfo.modulation`` (only LoRa matters here)."""

    lora: LoraModulation | None = None


class TxInfo(_Base):
    """``txInfo``: frequency and modulation of the uplink."""

    frequency: U32 | None = None
    modulation: Modulation | None = None


class RxInfo(_Base):
    """One gateway's reception; ``time`` is the pre-4.6 name of ``gwTime``."""

    gateway_id: str
    gw_time: str | None = None
    ns_time: str | None = None
    time: str | None = None
    rssi: float | None = None
    snr: float | None = None


class UplinkEvent(_Base):
    """The ``up`` event. Before 4.1 default values were left out, hence the defaults."""

    device_info: DeviceInfo | None = None
    deduplication_id: str | None = None
    time: str | None = None
    dr: int | None = None
    f_cnt: U32 = 0
    f_port: U8 = 0
    confirmed: bool = False
    data: bytes = b""
    object: dict[str, Any] | None = None
    rx_info: list[RxInfo] = msgspec.field(default_factory=list)
    tx_info: TxInfo | None = None


class StatusEvent(_Base):
    """The ``status`` event (DevStatusAns)."""

    device_info: DeviceInfo | None = None
    time: str | None = None
    margin: int | None = None
    external_power_source: bool = False
    battery_level_unavailable: bool = False
    battery_level: float | None = None


class LogEvent(_Base):
    """The ``log`` event; only its code matters."""

    device_info: DeviceInfo | None = None
    code: str | None = None


class OtherBody(_Base):
    """Any other event: only the device matters."""

    device_info: DeviceInfo | None = None


class _Probe(_Base):
    """Just enough to tell whether a top-level ``deviceInfo`` exists."""

    device_info: Any = None


def _device(info: DeviceInfo | None, topic_eui: str | None) -> tuple[DeviceInfo, DevEui]:
    if info is None:
        raise NotThisDialect
    return info, resolve_dev_eui(info.dev_eui, topic_eui, "deviceInfo.devEui")


def to_uplink(event: UplinkEvent, topic_eui: str | None, received_ns: int) -> Uplink:
    """Map a decoded ``up`` event to an ``Uplink``.

    Time preference: ``time``, then the first gateway time (``gwTime`` or pre-4.6 ``time``),
    then the first ``nsTime``, then ``received_ns`` (``time_from_lns=False``).

    Raises:
        NotThisDialect: no ``deviceInfo`` (a ChirpStack v3 body).
        MalformedMessage: bad DevEUI or timestamp.
    """
    info, dev_eui = _device(event.device_info, topic_eui)
    rx = event.rx_info
    if event.time:  # the common case: skip building the fallback list
        stamp: int | None = time_ns(event.time, "time")
    else:
        stamp = first_time(
            [(r.gw_time or r.time, "rxInfo[].gwTime") for r in rx]
            + [(r.ns_time, "rxInfo[].nsTime") for r in rx]
        )
    tx = event.tx_info
    frequency = tx.frequency if tx else None
    lora = tx.modulation.lora if tx and tx.modulation else None
    spreading_factor = lora.spreading_factor if lora and lora.spreading_factor else None
    return Uplink(
        lns="chirpstack_v4",
        dev_eui=dev_eui,
        time_ns=received_ns if stamp is None else stamp,
        f_port=event.f_port,
        f_cnt=event.f_cnt,
        payload=event.data,
        confirmed=event.confirmed,
        device_name=info.device_name or None,
        gateways=tuple(GatewayReception(r.gateway_id.lower(), r.rssi, r.snr) for r in rx),
        frequency=frequency,
        spreading_factor=spreading_factor or sf_from_dr(event.dr, frequency),
        lns_object=event.object,
        deduplication_id=event.deduplication_id or None,
        time_from_lns=stamp is not None,
        tags=sorted_tags(info.tags),
    )


def to_status(event: StatusEvent, topic_eui: str | None, received_ns: int) -> DeviceStatus:
    """Map a decoded ``status`` event to a ``DeviceStatus``.

    Raises:
        NotThisDialect: no ``deviceInfo`` (a ChirpStack v3 body).
        MalformedMessage: bad DevEUI or timestamp.
    """
    _, dev_eui = _device(event.device_info, topic_eui)
    stamp = time_ns(event.time, "time") if event.time else None
    return DeviceStatus(
        lns="chirpstack_v4",
        dev_eui=dev_eui,
        time_ns=received_ns if stamp is None else stamp,
        battery_percent=None if event.battery_level_unavailable else event.battery_level,
        margin_db=event.margin,
        external_power=event.external_power_source,
        time_from_lns=stamp is not None,
    )


class ChirpStackV4:
    """Parser of ChirpStack v4 event bodies; holds its reusable msgspec decoders."""

    def __init__(self) -> None:
        self._up = msgspec.json.Decoder(UplinkEvent)
        self._status = msgspec.json.Decoder(StatusEvent)
        self._log = msgspec.json.Decoder(LogEvent)
        self._other = msgspec.json.Decoder(OtherBody)
        self._probe = msgspec.json.Decoder(_Probe)

    def parse(
        self, event: str, topic_eui: str | None, payload: bytes, received_ns: int
    ) -> Envelope:
        """Parse the body of ``application/{app}/device/{eui}/event/{event}``.

        Args:
            event: the topic's event segment.
            topic_eui: the topic's DevEUI segment (used only if the body has none).
            payload: the raw MQTT payload.
            received_ns: MQTT receipt time, used when the body carries no time.

        Returns:
            An ``Uplink``, ``DeviceStatus`` or ``OtherEvent``.

        Raises:
            NotThisDialect: the body has no ``deviceInfo``.
            MalformedMessage: the body is not a valid ChirpStack v4 event.
        """
        what = f"chirpstack_v4 {event}"
        if event == "up":
            return to_uplink(decode(self._up, payload, what), topic_eui, received_ns)
        if event == "status":
            return to_status(decode(self._status, payload, what), topic_eui, received_ns)
        if event == "log":
            log = decode(self._log, payload, what)
            _, dev_eui = _device(log.device_info, topic_eui)
            return OtherEvent("chirpstack_v4", event_label("log", log.code), dev_eui)
        if event not in EVENTS:
            raise MalformedMessage(f"unknown ChirpStack v4 event {event[:40]!r}")
        body = decode(self._other, payload, what)
        _, dev_eui = _device(body.device_info, topic_eui)
        return OtherEvent("chirpstack_v4", event, dev_eui)

    def has_device_info(self, payload: bytes) -> bool:
        """Tell whether a body that failed to parse really has a top-level ``deviceInfo``.

        Undecodable bodies count as ChirpStack v4 so that their error is reported as such.
        """
        try:
            return self._probe.decode(payload).device_info is not None
        except (msgspec.DecodeError, RecursionError):
            return True
