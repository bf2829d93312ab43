"""Collect what flushed batches saw of each device and write it to the device state periodically."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

import msgspec
import structlog

from lorahub.adapters.device_state_sql import DeviceActivity, Sighting
from lorahub.decoding.fieldmap import Readings
from lorahub.domain.ids import DevEui
from lorahub.domain.uplink import DeviceStatus, Uplink

if TYPE_CHECKING:  # process.py imports this module for newest_activity
    from lorahub.pipeline.process import BatchContent

log = structlog.get_logger("lorahub.activity")

MAX_DEVICES = 100_000
"""At most this many devices (and as many unknown DevEUIs) wait for the next write."""


class ActivityStore(Protocol):
    """Where device activity and sightings of unknown DevEUIs are kept (``SqlDeviceState``)."""

    def record(self, activity: Sequence[DeviceActivity], sightings: Sequence[Sighting]) -> None:
        """Store the newest activity per device; each sighting counts one uplink."""
        ...

    def activity(self, dev_eui: DevEui) -> DeviceActivity | None:
        """The device's stored activity, or None when it was never heard."""
        ...


class DeviceHeard(msgspec.Struct, frozen=True, gc=False):
    """A registered device's latest uplink and the newest readings known with it.

    Noted once per uplink on the hot path, so it only references what the processor already
    has (a msgspec Struct costs a tenth of a frozen dataclass); ``DeviceActivity`` is built from
    it in the recorder's writer thread.
    """

    uplink: Uplink
    readings: Readings
    readings_ns: int | None
    implausible: Readings = {}
    """Values of this uplink outside their quantity's physical range (left out of readings)."""


def newest_heard(held: DeviceHeard, new: DeviceHeard) -> DeviceHeard:
    """The later uplink of the two, with the newest readings of either.

    A frame without readings (MAC-only, or a payload that did not decode) moves "last seen"
    but keeps the readings an earlier frame brought.
    """
    latest, other = (new, held) if new.uplink.time_ns >= held.uplink.time_ns else (held, new)
    if other.readings and (
        not latest.readings or (other.readings_ns or 0) > (latest.readings_ns or 0)
    ):
        return DeviceHeard(latest.uplink, other.readings, other.readings_ns)
    return latest


def device_activity(heard: DeviceHeard) -> DeviceActivity:
    """What the device state keeps of ``heard``: time, fCnt, best gateway, readings."""
    uplink = heard.uplink
    rssi: float | None = None
    snr: float | None = None
    for gateway in uplink.gateways:  # the best gateway, as in the ``uplinks`` line
        if gateway.rssi is not None and (rssi is None or gateway.rssi > rssi):
            rssi, snr = gateway.rssi, gateway.snr
    return DeviceActivity(
        dev_eui=uplink.dev_eui,
        last_seen_ns=uplink.time_ns,
        f_cnt=uplink.f_cnt,
        rssi=rssi,
        snr=snr,
        gateways=len(uplink.gateways),
        readings=dict(heard.readings),
        readings_ns=heard.readings_ns,
    )


@dataclass(slots=True)
class _Pending:
    """What waits for the next write: the newest of everything per device."""

    activity: dict[DevEui, DeviceHeard] = field(default_factory=dict)
    statuses: dict[DevEui, DeviceStatus] = field(default_factory=dict)
    sightings: dict[DevEui, Sighting] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.activity or self.statuses or self.sightings)


class ActivityRecorder:
    """Merges what each flushed batch saw and writes it every ``interval_s`` seconds.

    Device state is a convenience view (the readings themselves are in InfluxDB), so it is
    written off the acknowledgement path: a crash loses at most one interval of "last seen",
    and a failed write is logged and retried with the next interval. Only the newest entry per
    device is held, and at most ``max_devices`` devices and as many unknown DevEUIs.
    """

    def __init__(
        self, store: ActivityStore, interval_s: float, max_devices: int = MAX_DEVICES
    ) -> None:
        self._store = store
        self._interval_s = interval_s
        self._max_devices = max_devices
        self._pending = _Pending()
        self._dropped = 0

    def collect(self, content: BatchContent) -> None:
        """Merge the activity, statuses and sightings of one durable batch."""
        self._merge(content.activity, content.statuses, content.sightings)

    def pending(self) -> int:
        """Devices and unknown DevEUIs waiting for the next write."""
        pending = self._pending
        return len(pending.activity.keys() | pending.statuses.keys()) + len(pending.sightings)

    async def run(self, stop: asyncio.Event) -> None:
        """Write every interval until ``stop`` is set, then once more and return."""
        stopped = False
        while not stopped:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._interval_s)
            stopped = stop.is_set()
            await self.flush()

    async def flush(self) -> bool:
        """Write what is pending now; on failure keep it for the next try. True when written."""
        taken, self._pending = self._pending, _Pending()
        if self._dropped:
            log.warning("device state full; activity of some devices skipped", count=self._dropped)
            self._dropped = 0
        if not taken:
            return True
        try:
            await asyncio.to_thread(self._write, taken)
        except Exception as exc:  # the database is away: keep the newest, retry next interval
            log.error("device state write failed; retrying next interval", error=repr(exc))
            pending = self._pending
            self._pending = taken
            self._merge(pending.activity, pending.statuses, pending.sightings)
            return False
        return True

    def _merge(
        self,
        activity: Mapping[DevEui, DeviceHeard],
        statuses: Mapping[DevEui, DeviceStatus],
        sightings: Mapping[DevEui, Sighting],
    ) -> None:
        pending = self._pending
        room = self._max_devices
        for dev_eui, item in activity.items():
            held = pending.activity.get(dev_eui)
            if held is not None:
                pending.activity[dev_eui] = newest_heard(held, item)
            elif len(pending.activity) < room:
                pending.activity[dev_eui] = item
            else:
                self._dropped += 1
        for dev_eui, status in statuses.items():
            held_status = pending.statuses.get(dev_eui)
            if held_status is not None:
                if held_status.time_ns <= status.time_ns:
                    pending.statuses[dev_eui] = status
            elif len(pending.statuses) < room:
                pending.statuses[dev_eui] = status
            else:
                self._dropped += 1
        for dev_eui, sighting in sightings.items():
            held_sighting = pending.sightings.get(dev_eui)
            if held_sighting is None and len(pending.sightings) >= room:
                self._dropped += 1
                continue
            pending.sightings[dev_eui] = (
                sighting if held_sighting is None else held_sighting.merged(sighting)
            )

    def _write(self, pending: _Pending) -> None:
        """Runs in a worker thread: one transaction for the whole interval."""
        activity = {dev_eui: device_activity(item) for dev_eui, item in pending.activity.items()}
        for dev_eui, status in pending.statuses.items():
            activity[dev_eui] = self._with_battery(activity.get(dev_eui), status)
        self._store.record(list(activity.values()), list(pending.sightings.values()))

    def _with_battery(self, held: DeviceActivity | None, status: DeviceStatus) -> DeviceActivity:
        """``held`` (or the stored activity) with the status's battery added to its readings."""
        if status.battery_percent is None:  # the processor keeps only statuses with a battery
            return held or DeviceActivity(status.dev_eui, status.time_ns, None, None, None, 0)
        if held is not None and held.readings:
            readings, readings_ns = held.readings, held.readings_ns
        else:  # rare: the readings to add to are only in the store
            stored = self._store.activity(status.dev_eui)
            readings, readings_ns = (stored.readings, stored.readings_ns) if stored else ({}, None)
            if held is None:
                held = stored or DeviceActivity(status.dev_eui, status.time_ns, None, None, None, 0)
        return replace(
            held,
            last_seen_ns=max(held.last_seen_ns, status.time_ns),
            readings={**readings, "battery": round(status.battery_percent, 1)},
            readings_ns=max(readings_ns or 0, status.time_ns),
        )
