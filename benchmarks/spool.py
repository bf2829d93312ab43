"""Spool throughput on this machine's disk: durable appends (fsync each) and in-order replay.

    python benchmarks/spool.py [--batches 200] [--lines 5000] [--repeat 5] [--dir PATH]

Each batch is ``--lines`` InfluxDB lines of realistic length (about 230 bytes). Appending fsyncs
every batch, as the pipeline does before acknowledging; replay peeks and commits every batch.
Prints the medians over ``--repeat`` runs: ms per append, ms per replayed batch, lines/s both
ways, and the spool's bytes per line.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from lorahub.adapters.spool import Spool
from lorahub.settings import SpoolSettings

LINE = (
    "readings,tenant=lindenau,site=lindenau-dorfhub-coworking,dev_eui=a81758fffe0c4e21,"
    "device=raum1,model=elsys/ers-eye temperature=21.4,relative_humidity=41.0,illuminance=312.0,"
    "motion_count=3i,occupancy=1i,battery_voltage=3.61 {time}"
)


def _batch(number: int, lines: int) -> list[str]:
    base = 1_700_000_000_000_000_000 + number * lines * 1000
    return [LINE.format(time=base + i * 1000) for i in range(lines)]


def _run(folder: Path, batches: list[list[str]]) -> tuple[float, float, int]:
    """(seconds appending, seconds replaying, bytes on disk when full)."""
    spool = Spool(SpoolSettings(dir=folder, max_bytes=1 << 40))
    started = time.perf_counter()
    for lines in batches:
        spool.append(lines)
    appended = time.perf_counter() - started
    size = spool.disk_bytes()
    started = time.perf_counter()
    while (item := spool.peek()) is not None:
        spool.commit(item)
    replayed = time.perf_counter() - started
    spool.close()
    return appended, replayed, size


def main() -> None:
    """Print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="a folder on the disk to measure")
    args = parser.parse_args()
    batches = [_batch(number, args.lines) for number in range(args.batches)]
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            runs.append(_run(Path(tmp), batches))
    append_s = statistics.median(run[0] for run in runs)
    replay_s = statistics.median(run[1] for run in runs)
    lines = args.batches * args.lines
    print(f"{args.batches} batches of {args.lines} lines, median of {args.repeat} runs")
    print(
        f"append (fsync each): {append_s / args.batches * 1000:8.2f} ms/batch "
        f"{lines / append_s:>12,.0f} lines/s"
    )
    print(
        f"replay (read+commit): {replay_s / args.batches * 1000:7.2f} ms/batch "
        f"{lines / replay_s:>12,.0f} lines/s"
    )
    print(f"spool size: {runs[0][2] / lines:.0f} bytes per line")


if __name__ == "__main__":
    main()
