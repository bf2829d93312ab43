from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from lorahub.adapters.device_state_sql import DeviceActivity, Sighting, SqlDeviceState
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.decoding.fieldmap import Readings
from lorahub.domain.ids import DevEui
from lorahub.domain.uplink import DeviceStatus, GatewayReception, Uplink
from lorahub.pipeline.activity import ActivityRecorder, DeviceHeard, newest_heard
from lorahub.pipeline.process import BatchContent

S = 1_000_000_000
ONE = DevEui("a840414a51c3d7e2")
TWO = DevEui("a840414a51c3d7e3")
STRANGER = DevEui("0000000000000bad")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'state.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def state(engine: Engine) -> SqlDeviceState:
    return SqlDeviceState(engine)


def _uplink(dev_eui: DevEui, time_ns: int, f_cnt: int, *, f_port: int = 2) -> Uplink:
    return Uplink(
        lns="chirpstack_v4",
        dev_eui=dev_eui,
        time_ns=time_ns,
        f_port=f_port,
        f_cnt=f_cnt,
        payload=b"\x01",
        gateways=(
            GatewayReception("gw-far", -118.0, -9.5),
            GatewayReception("gw-near", -71.0, 8.25),
        ),
    )


def _batch(*heard: tuple[Uplink, Readings]) -> BatchContent:
    """A batch as the processor leaves it: newest per device."""
    content = BatchContent()
    for uplink, readings in heard:
        item = DeviceHeard(uplink, readings, uplink.time_ns if readings else None)
        held = content.activity.get(uplink.dev_eui)
        content.activity[uplink.dev_eui] = item if held is None else newest_heard(held, item)
    return content


def _sighting(time_ns: int, payload: bytes) -> Sighting:
    return Sighting(STRANGER, time_ns, "stray", "application/x/device/y/event/up", payload)


async def test_newest_per_device_wins_across_batches(state: SqlDeviceState) -> None:
    recorder = ActivityRecorder(state, interval_s=60)
    recorder.collect(_batch((_uplink(ONE, 20 * S, 7), {"temperature": 21.5})))
    recorder.collect(
        _batch(
            (_uplink(ONE, 10 * S, 6), {"temperature": 19.0}),  # redelivered older frame
            (_uplink(TWO, 15 * S, 1), {"co2": 612}),
        )
    )
    assert recorder.pending() == 2
    assert await recorder.flush()
    assert recorder.pending() == 0

    one = state.activity(ONE)
    assert one == DeviceActivity(ONE, 20 * S, 7, -71.0, 8.25, 2, {"temperature": 21.5}, 20 * S)
    two = state.activity(TWO)
    assert two is not None
    assert (two.f_cnt, two.readings) == (1, {"co2": 612})

    recorder.collect(_batch((_uplink(ONE, 5 * S, 3), {"temperature": 1.0})))
    assert await recorder.flush()
    assert state.activity(ONE) == one, "an older frame never overwrites the stored state"


async def test_mac_only_frame_keeps_last_readings(state: SqlDeviceState) -> None:
    recorder = ActivityRecorder(state, interval_s=60)
    # within one interval: data, then a MAC-only frame
    recorder.collect(_batch((_uplink(ONE, 10 * S, 1), {"temperature": 20.0})))
    recorder.collect(_batch((_uplink(ONE, 20 * S, 2, f_port=0), {})))
    await recorder.flush()
    stored = state.activity(ONE)
    assert stored is not None
    assert (stored.last_seen_ns, stored.f_cnt) == (20 * S, 2)
    assert (stored.readings, stored.readings_ns) == ({"temperature": 20.0}, 10 * S)

    # across intervals: the store keeps the readings
    recorder.collect(_batch((_uplink(ONE, 30 * S, 3, f_port=0), {})))
    await recorder.flush()
    stored = state.activity(ONE)
    assert stored is not None
    assert (stored.last_seen_ns, stored.f_cnt) == (30 * S, 3)
    assert (stored.readings, stored.readings_ns) == ({"temperature": 20.0}, 10 * S)


async def test_status_battery_joins_the_readings(state: SqlDeviceState) -> None:
    recorder = ActivityRecorder(state, interval_s=60)
    content = _batch((_uplink(ONE, 10 * S, 1), {"temperature": 20.0}))
    content.statuses[ONE] = DeviceStatus("chirpstack_v4", ONE, 10 * S, 87.44, 7, False)
    recorder.collect(content)
    await recorder.flush()
    stored = state.activity(ONE)
    assert stored is not None
    assert stored.readings == {"temperature": 20.0, "battery": 87.4}

    # a status alone (its uplink written in an earlier interval) keeps the radio figures
    alone = BatchContent()
    alone.statuses[ONE] = DeviceStatus("chirpstack_v4", ONE, 11 * S, 80.0, 7, False)
    recorder.collect(alone)
    await recorder.flush()
    after = state.activity(ONE)
    assert after is not None
    assert (after.last_seen_ns, after.f_cnt, after.rssi) == (11 * S, 1, -71.0)
    assert after.readings == {"temperature": 20.0, "battery": 80.0}


async def test_sightings_count_every_uplink(state: SqlDeviceState) -> None:
    recorder = ActivityRecorder(state, interval_s=60)
    first = BatchContent()
    first.sightings[STRANGER] = replace(_sighting(2 * S, b"\x02"), count=2, first_seen_ns=1 * S)
    second = BatchContent()
    second.sightings[STRANGER] = _sighting(3 * S, b"\x03")
    recorder.collect(first)
    recorder.collect(second)
    await recorder.flush()
    [pending] = state.pending()
    assert (pending.dev_eui, pending.uplinks, pending.last_payload) == (STRANGER, 3, b"\x03")
    assert (pending.first_seen_ns, pending.last_seen_ns) == (1 * S, 3 * S)


async def test_pending_is_bounded(state: SqlDeviceState) -> None:
    recorder = ActivityRecorder(state, interval_s=60, max_devices=3)
    for i in range(10):
        dev_eui = DevEui(f"{0xB000 + i:016x}")
        for f_cnt in range(5):  # many uplinks per device: still one entry each
            recorder.collect(_batch((_uplink(dev_eui, (i * 10 + f_cnt) * S, f_cnt), {"co2": 1})))
    assert recorder.pending() == 3
    await recorder.flush()
    assert recorder.pending() == 0
    kept = [state.activity(DevEui(f"{0xB000 + i:016x}")) for i in range(10)]
    assert [item is not None for item in kept] == [True] * 3 + [False] * 7
    assert kept[0] is not None
    assert kept[0].f_cnt == 4


class FailingStore:
    """The real store behind a switch that makes it fail (our own Protocol, not a database)."""

    def __init__(self, real: SqlDeviceState) -> None:
        self.real = real
        self.failing = True
        self.calls = 0

    def record(self, activity: Sequence[DeviceActivity], sightings: Sequence[Sighting]) -> None:
        self.calls += 1
        if self.failing:
            raise OSError("database is locked")
        self.real.record(activity, sightings)

    def activity(self, dev_eui: DevEui) -> DeviceActivity | None:
        return self.real.activity(dev_eui)


async def test_failed_write_is_retried_next_interval(state: SqlDeviceState) -> None:
    store = FailingStore(state)
    recorder = ActivityRecorder(store, interval_s=60)
    recorder.collect(_batch((_uplink(ONE, 10 * S, 1), {"temperature": 20.0})))
    sighted = BatchContent()
    sighted.sightings[STRANGER] = _sighting(10 * S, b"\x0a")
    recorder.collect(sighted)
    assert not await recorder.flush()
    # newer activity arrives while the store is down: still one entry per device
    recorder.collect(_batch((_uplink(ONE, 20 * S, 2), {"temperature": 22.0})))
    assert not await recorder.flush()
    assert recorder.pending() == 2
    assert state.activity(ONE) is None

    store.failing = False
    assert await recorder.flush()
    assert store.calls == 3
    stored = state.activity(ONE)
    assert stored is not None
    assert (stored.f_cnt, stored.readings) == (2, {"temperature": 22.0})
    [pending] = state.pending()
    assert pending.uplinks == 1, "a retried sighting is counted once"


async def test_run_writes_once_more_on_stop(state: SqlDeviceState) -> None:
    recorder = ActivityRecorder(state, interval_s=3600)
    stop = asyncio.Event()
    task = asyncio.create_task(recorder.run(stop))
    await asyncio.sleep(0)
    recorder.collect(_batch((_uplink(TWO, 30 * S, 9), {})))
    stop.set()
    await asyncio.wait_for(task, 5)
    assert state.activity(TWO) is not None, "stopping writes what is pending"


async def test_readings_are_kept_per_quantity_across_intervals(state: SqlDeviceState) -> None:
    recorder = ActivityRecorder(state, interval_s=60)
    content = _batch((_uplink(ONE, 10 * S, 1), {"temperature": 20.0}))
    content.statuses[ONE] = DeviceStatus("chirpstack_v4", ONE, 10 * S, 80.0, 7, False)
    recorder.collect(content)
    await recorder.flush()
    recorder.collect(_batch((_uplink(ONE, 20 * S, 2), {"temperature": 21.0})))
    await recorder.flush()
    stored = state.activity(ONE)
    assert stored is not None
    assert stored.readings == {"temperature": 21.0, "battery": 80.0}
    assert stored.readings_ns == 20 * S
