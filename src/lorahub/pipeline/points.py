"""Build the InfluxDB lines of the public schema: ``readings``, ``uplinks`` and ``dead_letters``."""

from __future__ import annotations

from collections.abc import Mapping

from lorahub.adapters.line_protocol import line, series_key
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui
from lorahub.domain.uplink import Uplink

READINGS = "readings"
UPLINKS = "uplinks"
DEAD_LETTERS = "dead_letters"


def device_tags(device: Device) -> list[tuple[str, str]]:
    """The tags every point of ``device`` carries."""
    return [
        ("tenant", device.tenant),
        ("site", device.site),
        ("dev_eui", device.dev_eui),
        ("device", device.name),
        ("model", device.model),
    ]


class PointFormatter:
    """Formats lines, caching each device's escaped series keys until the device changes."""

    def __init__(self) -> None:
        self._series: dict[DevEui, tuple[Device, str, str]] = {}

    def _keys(self, device: Device) -> tuple[str, str]:
        cached = self._series.get(device.dev_eui)
        if cached is None or cached[0] is not device:
            tags = device_tags(device)
            cached = (device, series_key(READINGS, tags), series_key(UPLINKS, tags))
            self._series[device.dev_eui] = cached
        return cached[1], cached[2]

    def readings(
        self, device: Device, time_ns: int, readings: Mapping[str, float | int]
    ) -> str | None:
        """The ``readings`` line, or None when there is nothing to write."""
        if not readings:
            return None
        return line(self._keys(device)[0], list(readings.items()), time_ns)

    def uplink(self, device: Device, uplink: Uplink) -> str:
        """The ``uplinks`` line: radio and frame metadata of one uplink."""
        fields: list[tuple[str, float | int | bool | str]] = [("f_port", uplink.f_port)]
        if uplink.f_cnt is not None:
            fields.append(("f_cnt", uplink.f_cnt))
        fields.append(("gateways", len(uplink.gateways)))
        fields.append(("payload_bytes", len(uplink.payload)))
        best = max(
            (gw for gw in uplink.gateways if gw.rssi is not None),
            key=lambda gw: gw.rssi or 0.0,
            default=None,
        )
        if best is not None and best.rssi is not None:
            fields.append(("rssi", float(best.rssi)))
            if best.snr is not None:
                fields.append(("snr", float(best.snr)))
        if uplink.frequency is not None:
            fields.append(("frequency", uplink.frequency))
        if uplink.spreading_factor is not None:
            fields.append(("spreading_factor", uplink.spreading_factor))
        return line(self._keys(device)[1], fields, uplink.time_ns)

    def dead_letter(
        self, reason: str, device: Device | None, dev_eui: DevEui | None, received_ns: int
    ) -> str:
        """The ``dead_letters`` line: one rejected message, by reason (for dashboards).

        Tagged with the device's tags when it is registered, with only its DevEUI when not,
        and with the reason alone when the message named no device. Timed at receipt, since a
        rejected message may carry no usable time of its own.
        """
        tags = [("reason", reason)]
        if device is not None:
            tags += device_tags(device)
        elif dev_eui is not None:
            tags.append(("dev_eui", dev_eui))
        return line(series_key(DEAD_LETTERS, tags), [("count", 1)], received_ns)
