"""Cost of the live board on the writer task: ``collect`` per batch, and rendering a tile.

    python benchmarks/live_board.py [--devices 10000] [--batch 5000] [--subscribers 200]

A batch of BATCH uplinks (occupancy and people counts of DEVICES devices) is collected with
SUBSCRIBERS open pages, each watching 10 devices; the median per batch and per uplink is printed,
then the median cost of rendering one room of 3 devices (state, texts, today's sparkline).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from zoneinfo import ZoneInfo

from lorahub.domain.ids import DevEui
from lorahub.domain.uplink import Uplink
from lorahub.pipeline.activity import DeviceHeard
from lorahub.pipeline.process import BatchContent
from lorahub.web.boards import Tile, tile_view
from lorahub.web.live import LiveBoard

ZONE = ZoneInfo("Europe/Berlin")


def _batch(devices: list[DevEui], size: int, start_ns: int) -> BatchContent:
    content = BatchContent()
    for index in range(size):
        dev_eui = devices[index % len(devices)]
        time_ns = start_ns + index * 1_000_000
        uplink = Uplink("chirpstack_v4", dev_eui, time_ns, 85, index, b"")
        readings = {"people_count": index % 9} if index % 2 else {"occupancy": index % 2}
        content.activity[dev_eui] = DeviceHeard(uplink, readings, time_ns)
    return content


async def main(devices: int, batch: int, subscribers: int, repeat: int) -> None:
    """Time collect and tile rendering, print the medians."""
    euis = [DevEui(f"{index:016x}") for index in range(devices)]
    board = LiveBoard(ZONE, max_subscriptions=subscribers)
    for index in range(subscribers):
        watched = euis[index * 10 % devices : index * 10 % devices + 10]
        board.subscribe({dev_eui: f"room-{index}" for dev_eui in watched})
    now = time.time_ns()
    batches = [_batch(euis, batch, now + round_ * 10**9) for round_ in range(repeat)]
    timings = []
    for content in batches:
        started = time.perf_counter()
        board.collect(content)
        timings.append(time.perf_counter() - started)
    per_batch = statistics.median(timings)
    print(
        f"collect: {per_batch * 1e3:.2f} ms per batch of {len(batches[0].activity)} devices, "
        f"{per_batch / len(batches[0].activity) * 1e6:.2f} µs per device, "
        f"{subscribers} open pages"
    )
    tile = Tile("room", "Coworking", "room", 8, tuple(euis[:3]))
    renders = []
    for _ in range(repeat * 100):
        started = time.perf_counter()
        tile_view(tile, board, "de", ZONE)
        renders.append(time.perf_counter() - started)
    print(f"tile render: {statistics.median(renders) * 1e6:.1f} µs per room")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--subscribers", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.devices, arguments.batch, arguments.subscribers, arguments.repeat))
