"""The live board and the presence rules, without any I/O."""

from __future__ import annotations

import asyncio
from datetime import datetime

from lorahub.domain.ids import DevEui
from lorahub.web.live import LiveBoard
from lorahub.web.presence import (
    BUCKET_NS,
    Presence,
    compartment_state,
    merged_buckets,
    room_state,
    sparkline_points,
)
from tests.web.conftest import ZONE, heard

DEV = DevEui("70b3d57ed000a001")
OTHER = DevEui("70b3d57ed000a002")
NOON = int(datetime(2026, 11, 23, 12, 0, tzinfo=ZONE).timestamp()) * 1_000_000_000


def _board(now_ns: int = NOON) -> tuple[LiveBoard, list[int]]:
    clock = [now_ns]
    return LiveBoard(ZONE, clock_ns=lambda: clock[0], max_subscriptions=2), clock


def test_room_state_counts_people_against_capacity() -> None:
    assert room_state([], 4).status == "unknown"
    assert room_state([Presence(1, occupancy=0)], 4).status == "free"
    assert room_state([Presence(1, occupancy=1)], 4).status == "in_use"
    assert room_state([Presence(1, people_count=2), Presence(2, occupancy=0)], 4).people == 2
    full = room_state([Presence(1, people_count=4)], 4)
    assert (full.status, full.people, full.updated_ns) == ("full", 4, 1)
    assert room_state([Presence(1, people_count=0)], None).status == "free"
    assert room_state([Presence(1, fill_level=50.0)], 4).status == "unknown"


def test_compartment_is_full_from_eighty_percent() -> None:
    assert compartment_state(None).status == "unknown"
    assert compartment_state(Presence(1, fill_level=79.9)).status == "free"
    assert compartment_state(Presence(1, fill_level=80.0)).status == "full"


def test_sparkline_steps_over_the_buckets_of_today() -> None:
    day = NOON - 12 * 3600 * 1_000_000_000
    buckets = {day: 0.0, day + 48 * BUCKET_NS: 4.0, day - BUCKET_NS: 9.0}  # the last: yesterday
    assert sparkline_points(buckets, day, top=4.0) == "0,24.0 1,24.0 48,0.0 49,0.0"
    assert sparkline_points({}, day, top=4.0) == ""
    assert merged_buckets([{1: 1.0, 2: 3.0}, {2: 2.0, 5: 1.0}]) == {1: 1.0, 2: 3.0, 5: 1.0}


def test_collect_keeps_the_newest_and_buckets_today() -> None:
    board, _ = _board()
    board.collect(heard(DEV, NOON, people_count=3, co2=600))
    board.collect(heard(DEV, NOON - 10**9, people_count=1))  # older: a redelivery
    board.collect(heard(OTHER, NOON, temperature=21.5))  # nothing a board shows
    assert board.latest(DEV) == Presence(NOON, people_count=3)
    assert board.latest(OTHER) is None
    assert board.today(DEV) == {NOON - NOON % BUCKET_NS: 3.0}


async def test_subscriptions_coalesce_changes_and_end_on_close() -> None:
    board, _ = _board()
    first = board.subscribe({DEV: "room-1"})
    second = board.subscribe({OTHER: "room-2"})
    assert first is not None and second is not None
    assert board.subscribe({DEV: "room-1"}) is None  # at most two here
    for people in range(100):  # nobody reads: the changes merge into one entry
        board.collect(heard(DEV, NOON + people, people_count=people))
    assert await asyncio.wait_for(first.changes(), 1) == {"room-1"}
    waiting = asyncio.create_task(second.changes())
    await asyncio.sleep(0)
    assert not waiting.done()  # OTHER did not change
    board.close()
    assert await asyncio.wait_for(waiting, 1) is None
    assert board.subscriptions() == 0


def test_a_new_day_starts_empty_sparklines() -> None:
    board, clock = _board()
    board.collect(heard(DEV, NOON, occupancy=1))
    board.seed_buckets(DEV, {NOON - 13 * 3600 * 1_000_000_000: 1.0})  # yesterday: ignored
    assert len(board.today(DEV)) == 1
    clock[0] = NOON + 24 * 3600 * 1_000_000_000
    assert board.today(DEV) == {}
    assert board.latest(DEV) is not None  # "now" stays until a newer value comes


def test_seeded_values_never_replace_newer_live_ones() -> None:
    board, _ = _board()
    board.collect(heard(DEV, NOON, occupancy=1))
    board.seed_latest([(DEV, Presence(NOON - 1, occupancy=0)), (OTHER, Presence(5, occupancy=0))])
    assert board.latest(DEV) == Presence(NOON, occupancy=1)
    assert board.latest(OTHER) == Presence(5, occupancy=0)
