"""Route one network-server MQTT message (topic + bytes) to its dialect parser: the envelope API."""

from __future__ import annotations

import msgspec

from lorahub.domain.uplink import Envelope, OtherEvent
from lorahub.envelopes import chirpstack_v3, chirpstack_v4
from lorahub.envelopes.chirpstack_v3 import ChirpStackV3
from lorahub.envelopes.chirpstack_v4 import ChirpStackV4
from lorahub.envelopes.common import NotThisDialect, decode, resolve_dev_eui
from lorahub.envelopes.tts_v3 import TtsV3
from lorahub.errors import MalformedMessage

_CHIRPSTACK_EVENTS = chirpstack_v4.EVENTS | chirpstack_v3.EVENTS
_V4_MARKER = b'"deviceInfo"'


class _AnyObject(msgspec.Struct, forbid_unknown_fields=False):
    """Accepts any JSON object and keeps nothing (bodies whose content is not used)."""


class EnvelopeParser:
    """Turns network-server MQTT messages into LNS-independent envelopes.

    Pure and reusable: one instance holds the msgspec decoders of every dialect (built once)
    and no other state, so one instance serves every message. Supported topics:

    * ``application/{app}/device/{deveui}/event/{event}``: ChirpStack v4 when the body has a
      top-level ``deviceInfo``, ChirpStack v3 (either marshaler) otherwise;
    * ``application/{app}/device/{deveui}/rx|join|ack|error|status``: ChirpStack v3 before 3.11;
    * ``application/{app}/device/{deveui}/command/down``: a downlink command, ``OtherEvent``
      ``command_down`` (ChirpStack v3 when the application id is numeric, else v4);
    * ``v3/{app}[@{tenant}]/devices/{device_id}/{suffix}``: The Things Stack v3.
    """

    def __init__(self) -> None:
        self._v4 = ChirpStackV4()
        self._v3 = ChirpStackV3()
        self._tts = TtsV3()
        self._any_object = msgspec.json.Decoder(_AnyObject)

    def parse(self, topic: str, payload: bytes, received_ns: int) -> Envelope:
        """Parse one MQTT message.

        Args:
            topic: the MQTT topic the message arrived on.
            payload: the raw MQTT payload.
            received_ns: MQTT receipt time in ns since the epoch; the envelope's time when the
                message carries none (then ``time_from_lns`` is False).

        Returns:
            An ``Uplink``, ``DeviceStatus`` or ``OtherEvent``.

        Raises:
            MalformedMessage: unknown topic layout or event, or a body that is not a valid
                message of its dialect (the message says what is wrong). No other exception
                type escapes, whatever the input.
        """
        try:
            return self._route(topic, payload, received_ns)
        except MalformedMessage:
            raise
        except (ValueError, RecursionError, msgspec.DecodeError) as exc:  # defensive net
            raise MalformedMessage(f"unparseable message on {topic[:200]!r}: {exc}") from exc

    def _route(self, topic: str, payload: bytes, received_ns: int) -> Envelope:
        parts = topic.split("/")
        count = len(parts)
        if parts[0] == "application" and count in (5, 6) and parts[2] == "device":
            topic_eui = parts[3]
            if count == 6 and parts[4] == "event":
                return self._chirpstack_event(parts[5], topic_eui, payload, received_ns)
            if count == 6 and parts[4] == "command" and parts[5] == "down":
                decode(self._any_object, payload, "chirpstack command/down")
                dev_eui = resolve_dev_eui(None, topic_eui, "topic DevEUI")
                if parts[1].isdecimal():
                    return OtherEvent("chirpstack_v3", "command_down", dev_eui)
                return OtherEvent("chirpstack_v4", "command_down", dev_eui)
            legacy = chirpstack_v3.LEGACY_EVENTS.get(parts[4]) if count == 5 else None
            if legacy is not None:
                return self._v3.parse(legacy, topic_eui, payload, received_ns)
        elif parts[0] == "v3" and count >= 5 and parts[2] == "devices":
            return self._tts.parse("/".join(parts[4:]), parts[3], payload, received_ns)
        raise MalformedMessage(f"unknown topic layout: {topic[:200]!r}")

    def _chirpstack_event(
        self, event: str, topic_eui: str, payload: bytes, received_ns: int
    ) -> Envelope:
        if event not in _CHIRPSTACK_EVENTS:
            raise MalformedMessage(f"unknown ChirpStack event {event[:40]!r}")
        if _V4_MARKER in payload:
            try:
                return self._v4.parse(event, topic_eui, payload, received_ns)
            except NotThisDialect:
                pass  # "deviceInfo" only inside a value or null: a v3 body
            except MalformedMessage:
                if self._v4.has_device_info(payload):
                    raise
        return self._v3.parse(event, topic_eui, payload, received_ns)
