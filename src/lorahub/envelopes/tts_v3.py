"""The Things Stack v3 MQTT messages (snake_case, empty values left out) to domain envelopes."""

from __future__ import annotations

from typing import Any

import msgspec

from lorahub.domain.ids import DevEui, parse_dev_eui
from lorahub.domain.uplink import Envelope, GatewayReception, OtherEvent, Uplink
from lorahub.envelopes.common import (
    U8,
    U32,
    decode,
    first_time,
    resolve_dev_eui,
    sorted_tags,
    time_ns,
)
from lorahub.errors import MalformedMessage

EVENTS = {
    "up": "up",
    "join": "join",
    "down/queued": "down_queued",
    "down/sent": "down_sent",
    "down/ack": "down_ack",
    "down/nack": "down_nack",
    "down/failed": "down_failed",
    "down/invalidated": "down_invalidated",
    "down/push": "down_push",
    "down/replace": "down_replace",
    "location/solved": "location_solved",
    "service/data": "service_data",
}
"""Topic suffixes after ``v3/{app}@{tenant}/devices/{device_id}/`` and their event names."""

_DEDUP_PREFIXES = ("as:up:", "gs:uplink:")


class _Base(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=False, gc=False):
    """Common msgspec options: snake_case wire names, unknown fields ignored."""


class EndDeviceIds(_Base):
    """``end_device_ids``; the EUIs are absent on some downlink events."""

    device_id: str | None = None
    dev_eui: str | None = None


class GatewayIds(_Base):
    """``rx_metadata[].gateway_ids``; Packet Broker and simulated receptions have no ``eui``."""

    gateway_id: str | None = None
    eui: str | None = None


class RxMetadata(_Base):
    """One gateway's reception."""

    gateway_ids: GatewayIds
    time: str | None = None
    rssi: float | None = None
    snr: float | None = None


class Lora(_Base):
    """``settings.data_rate.lora``."""

    spreading_factor: U8 | None = None


class DataRate(_Base):
    """``settings.data_rate``."""

    lora: Lora | None = None


class Settings(_Base):
    """``uplink_message.settings``; ``frequency`` is a uint64 and so a string."""

    data_rate: DataRate | None = None
    frequency: str | None = None
    time: str | None = None


class UplinkMessage(_Base):
    """``uplink_message``; FPort 0 leaves out ``f_port`` and ``frm_payload``."""

    f_port: U8 = 0
    f_cnt: U32 | None = None
    frm_payload: bytes = b""
    decoded_payload: dict[str, Any] | None = None
    normalized_payload: list[dict[str, Any]] | None = None
    rx_metadata: list[RxMetadata] = msgspec.field(default_factory=list)
    settings: Settings | None = None
    received_at: str | None = None
    confirmed: bool = False
    attributes: dict[str, str] | None = None


class UpMessage(_Base):
    """The ``up`` message."""

    end_device_ids: EndDeviceIds | None = None
    correlation_ids: list[str] = msgspec.field(default_factory=list)
    received_at: str | None = None
    uplink_message: UplinkMessage | None = None
    simulated: bool = False


class OtherMessage(_Base):
    """Any other message: only the device matters."""

    end_device_ids: EndDeviceIds | None = None


def _frequency(settings: Settings | None) -> int | None:
    text = settings.frequency if settings else None
    if text is None:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        raise MalformedMessage(f"settings.frequency {text[:40]!r} is not a decimal string")
    return int(text)


def _gateway(rx: RxMetadata) -> GatewayReception:
    ids = rx.gateway_ids
    gateway_id = ids.eui.lower() if ids.eui else ids.gateway_id
    if not gateway_id:
        raise MalformedMessage("rx_metadata[].gateway_ids has neither eui nor gateway_id")
    return GatewayReception(gateway_id, rx.rssi, rx.snr)


def to_uplink(message: UpMessage, device_id: str, received_ns: int) -> Uplink:
    """Map a decoded ``up`` message to an ``Uplink``.

    Time preference: ``settings.time``, first ``rx_metadata[].time``,
    ``uplink_message.received_at``, top-level ``received_at``, then ``received_ns``.
    An absent ``f_cnt`` is 0 (TTS leaves zeros out) except on simulated uplinks, which have
    no frame counter at all (None).

    Args:
        message: the decoded body.
        device_id: the topic's device id, the device name when the body has none.
        received_ns: MQTT receipt time.

    Raises:
        MalformedMessage: no ``uplink_message`` or DevEUI, bad timestamp, frequency or gateway.
    """
    up = message.uplink_message
    if up is None:
        raise MalformedMessage("tts_v3 up: missing uplink_message")
    ids = message.end_device_ids or EndDeviceIds()
    settings = up.settings
    if settings and settings.time:  # the common case: skip building the fallback list
        stamp: int | None = time_ns(settings.time, "settings.time")
    else:
        stamp = first_time(
            [(rx.time, "rx_metadata[].time") for rx in up.rx_metadata]
            + [(up.received_at, "uplink_message.received_at")]
            + [(message.received_at, "received_at")]
        )
    data_rate = settings.data_rate if settings else None
    lora = data_rate.lora if data_rate else None
    dedup = next((c for c in message.correlation_ids if c.startswith(_DEDUP_PREFIXES)), None)
    f_cnt = up.f_cnt
    if f_cnt is None and not message.simulated:
        f_cnt = 0
    return Uplink(
        lns="tts_v3",
        dev_eui=resolve_dev_eui(ids.dev_eui, None, "end_device_ids.dev_eui"),
        time_ns=received_ns if stamp is None else stamp,
        f_port=up.f_port,
        f_cnt=f_cnt,
        payload=up.frm_payload,
        confirmed=up.confirmed,
        device_name=ids.device_id or device_id or None,
        gateways=tuple(_gateway(rx) for rx in up.rx_metadata),
        frequency=_frequency(settings),
        spreading_factor=(lora.spreading_factor or None) if lora else None,
        lns_object=up.decoded_payload,
        lns_normalized=up.normalized_payload[0] if up.normalized_payload else None,
        deduplication_id=dedup,
        simulated=message.simulated,
        time_from_lns=stamp is not None,
        tags=sorted_tags(up.attributes),
    )


class TtsV3:
    """Parser of The Things Stack v3 message bodies; holds its reusable msgspec decoders."""

    def __init__(self) -> None:
        self._up = msgspec.json.Decoder(UpMessage)
        self._other = msgspec.json.Decoder(OtherMessage)

    def parse(self, suffix: str, device_id: str, payload: bytes, received_ns: int) -> Envelope:
        """Parse the body of ``v3/{app}@{tenant}/devices/{device_id}/{suffix}``.

        Args:
            suffix: the topic after the device id (``up``, ``down/queued``...).
            device_id: the topic's device id.
            payload: the raw MQTT payload.
            received_ns: MQTT receipt time, used when the body carries no time.

        Returns:
            An ``Uplink`` for ``up``, else an ``OtherEvent`` whose DevEUI is None when the
            body names none (``down/failed``, ``down/push``).

        Raises:
            MalformedMessage: unknown suffix, or the body is not a valid TTS message.
        """
        event = EVENTS.get(suffix)
        if event is None:
            raise MalformedMessage(f"unknown The Things Stack topic suffix {suffix[:40]!r}")
        what = f"tts_v3 {event}"
        if event == "up":
            return to_uplink(decode(self._up, payload, what), device_id, received_ns)
        body = decode(self._other, payload, what)
        eui = body.end_device_ids.dev_eui if body.end_device_ids else None
        dev_eui: DevEui | None = None
        if eui:
            try:
                dev_eui = parse_dev_eui(eui)
            except ValueError as exc:
                raise MalformedMessage(f"{what}: end_device_ids.dev_eui: {exc}") from exc
        return OtherEvent("tts_v3", event, dev_eui)
