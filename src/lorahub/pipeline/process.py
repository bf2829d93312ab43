"""Turn one MQTT message into InfluxDB lines or a dead letter: the per-message error boundary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import structlog

from lorahub.adapters.device_state_sql import Sighting
from lorahub.decoding.catalog import Catalog
from lorahub.decoding.decode import decode_uplink
from lorahub.decoding.fieldmap import Readings
from lorahub.domain.dead_letter import DeadLetter
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui
from lorahub.domain.uplink import DeviceStatus, OtherEvent, Uplink
from lorahub.envelopes import EnvelopeParser
from lorahub.errors import (
    DeviceDisabled,
    LorahubError,
    RejectReason,
    UnknownDevice,
    UnknownModel,
)
from lorahub.pipeline.activity import DeviceHeard, newest_heard
from lorahub.pipeline.dedup import DuplicateFilter
from lorahub.pipeline.directory import DeviceDirectory
from lorahub.pipeline.log_gate import RepeatGate
from lorahub.pipeline.points import PointFormatter

log = structlog.get_logger("lorahub.ingest")


@dataclass(slots=True)
class BatchContent:
    """What a batch of messages became: lines to write, dead letters to keep, counts.

    Besides what is written, it notes what the devices did for the device-state view: the
    newest activity per registered device, the newest battery status per registered device,
    and the newest sighting (with a count) per DevEUI that is not registered.
    """

    lines: list[str] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    messages: int = 0
    uplinks: int = 0
    duplicates: int = 0
    events: Counter[str] = field(default_factory=Counter)
    activity: dict[DevEui, DeviceHeard] = field(default_factory=dict)
    statuses: dict[DevEui, DeviceStatus] = field(default_factory=dict)
    sightings: dict[DevEui, Sighting] = field(default_factory=dict)


class MessageProcessor:
    """Parses, looks up, decodes and formats; every failure becomes a dead letter."""

    def __init__(
        self,
        parser: EnvelopeParser,
        directory: DeviceDirectory,
        catalog: Catalog,
        dedup: DuplicateFilter,
        log_gate: RepeatGate,
    ) -> None:
        self._parser = parser
        self._directory = directory
        self._catalog = catalog
        self._dedup = dedup
        self._log_gate = log_gate
        self._points = PointFormatter(directory)

    def process(self, topic: str, payload: bytes, received_ns: int, into: BatchContent) -> None:
        """Add what ``payload`` becomes to ``into``; never raises."""
        into.messages += 1
        dev_eui: DevEui | None = None
        try:
            envelope = self._parser.parse(topic, payload, received_ns)
            if isinstance(envelope, OtherEvent):
                into.events[f"{envelope.lns}:{envelope.event}"] += 1
                return
            dev_eui = envelope.dev_eui
            device = self._directory.get(dev_eui)
            if device is None:
                self._sight(envelope, topic, payload, into)
                raise UnknownDevice(f"device {dev_eui} is not registered")
            if not device.enabled:
                raise DeviceDisabled(f"device {dev_eui} is disabled")
            if isinstance(envelope, DeviceStatus):
                into.events[f"{envelope.lns}:status"] += 1
                self._add_status(device, envelope, into)
            else:
                self._add_uplink(device, envelope, into)
        except LorahubError as exc:
            self._reject(topic, payload, received_ns, exc.reason, exc.message, dev_eui, into)
        except Exception as exc:  # the boundary: a bug must not stop the pipeline
            log.exception("internal error on message", topic=topic)
            self._reject(
                topic, payload, received_ns, RejectReason.INTERNAL, repr(exc), dev_eui, into
            )

    def _add_uplink(self, device: Device, uplink: Uplink, into: BatchContent) -> None:
        if self._dedup.is_duplicate(uplink):
            into.duplicates += 1
            return
        into.uplinks += 1
        into.lines.append(self._points.uplink(device, uplink))
        readings: Readings = {}
        implausible: Readings = {}
        try:
            model = self._catalog.get(device.model)
            if model is None:
                raise UnknownModel(
                    f"model {device.model} of device {device.dev_eui} is not in the catalog"
                )
            normalized = decode_uplink(uplink, device, model)
            readings, implausible = normalized.readings, normalized.implausible
        finally:  # the device was heard even when its payload does not decode
            heard = DeviceHeard(uplink, readings, uplink.time_ns if readings else None, implausible)
            held = into.activity.get(uplink.dev_eui)
            into.activity[uplink.dev_eui] = heard if held is None else newest_heard(held, heard)
        readings_line = self._points.readings(device, uplink.time_ns, readings)
        if readings_line is not None:
            into.lines.append(readings_line)

    def _add_status(self, device: Device, status: DeviceStatus, into: BatchContent) -> None:
        if status.battery_percent is None:
            return
        held = into.statuses.get(status.dev_eui)
        if held is None or held.time_ns <= status.time_ns:
            into.statuses[status.dev_eui] = status
        readings_line = self._points.readings(
            device, status.time_ns, {"battery": round(status.battery_percent, 1)}
        )
        if readings_line is not None:
            into.lines.append(readings_line)

    @staticmethod
    def _sight(
        envelope: Uplink | DeviceStatus, topic: str, payload: bytes, into: BatchContent
    ) -> None:
        dev_eui = envelope.dev_eui
        name = envelope.device_name if isinstance(envelope, Uplink) else None
        sighting = Sighting(dev_eui, envelope.time_ns, name, topic, payload)
        held = into.sightings.get(dev_eui)
        into.sightings[dev_eui] = sighting if held is None else held.merged(sighting)

    def _reject(
        self,
        topic: str,
        payload: bytes,
        received_ns: int,
        reason: RejectReason,
        error: str,
        dev_eui: DevEui | None,
        into: BatchContent,
    ) -> None:
        into.dead_letters.append(DeadLetter(received_ns, topic, payload, reason, error, dev_eui))
        device = self._directory.get(dev_eui) if dev_eui is not None else None
        into.lines.append(self._points.dead_letter(reason.value, device, dev_eui, received_ns))
        if self._log_gate.should_log(dev_eui or topic, reason, received_ns):
            log.warning(
                "message rejected", reason=reason.value, error=error, dev_eui=dev_eui, topic=topic
            )
