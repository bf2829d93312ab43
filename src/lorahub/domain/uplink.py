"""What a network-server message becomes: one LNS-independent event type per kind of message."""

from __future__ import annotations

from typing import Literal

import msgspec

from lorahub.domain.ids import DevEui
from lorahub.domain.json_value import JsonObject

LnsKind = Literal["chirpstack_v4", "chirpstack_v3", "tts_v3"]
"""The network-server dialect a message was written in."""


class GatewayReception(msgspec.Struct, frozen=True, gc=False):
    """One gateway's reception of an uplink."""

    gateway_id: str
    rssi: float | None
    snr: float | None


class Uplink(msgspec.Struct, frozen=True, gc=False):
    """A data uplink, whatever network server sent it.

    ``lns_object`` is the server's decoded object (ChirpStack ``object``, TTS
    ``decoded_payload``); ``lns_normalized`` is the first measurement of TTS's
    ``normalized_payload`` (``{"air": {"temperature": ...}}``) when its formatter has one.

    A frozen msgspec Struct rather than a dataclass: it is built once per message on the hot
    path, and a 16-field frozen dataclass costs about five times as much to construct.

    ``time_ns`` is the network server's time of the frame (GPS, gateway or server receive
    time, in that order of preference) in nanoseconds since the epoch. It is the point time in
    InfluxDB, so a redelivered uplink overwrites itself. ``time_from_lns`` is False when the
    message carried no time at all and the MQTT receipt time was used instead.
    """

    lns: LnsKind
    dev_eui: DevEui
    time_ns: int
    f_port: int
    f_cnt: int | None
    payload: bytes
    confirmed: bool = False
    device_name: str | None = None
    gateways: tuple[GatewayReception, ...] = ()
    frequency: int | None = None
    spreading_factor: int | None = None
    lns_object: JsonObject | None = None
    lns_normalized: JsonObject | None = None
    deduplication_id: str | None = None
    simulated: bool = False
    time_from_lns: bool = True
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def mac_only(self) -> bool:
        """True for a frame without application payload (fPort 0): proof of life, no data."""
        return self.f_port == 0


class DeviceStatus(msgspec.Struct, frozen=True, gc=False):
    """A device status report (LoRaWAN DevStatusAns), as ChirpStack's ``status`` event."""

    lns: LnsKind
    dev_eui: DevEui
    time_ns: int
    battery_percent: float | None
    margin_db: int | None
    external_power: bool
    time_from_lns: bool = True


class OtherEvent(msgspec.Struct, frozen=True, gc=False):
    """A recognised message that carries no measurement: join, ack, txack, log, location, downlink.

    These are counted per ``event`` and otherwise ignored; they are never dead-lettered.
    """

    lns: LnsKind
    event: str
    dev_eui: DevEui | None


Envelope = Uplink | DeviceStatus | OtherEvent
"""Everything ``parse_envelope`` can return."""
