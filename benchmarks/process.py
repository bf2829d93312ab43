"""Per-message processing cost without the broker or the database: parse, decode, format.

    python benchmarks/process.py --uplinks 50000 --devices 10000

Builds the same fleet and ChirpStack v4 uplinks as ``benchmarks/ingest.py`` and runs them
through the service's ``MessageProcessor`` in batches of 5,000; prints the median µs per message
of five rounds (the first round warms the per-device caches and is not counted; a repeated
uplink has the same time, so it is not taken for a duplicate).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from pathlib import Path
from types import MappingProxyType

from lorahub.decoding.catalog import load_catalog
from lorahub.envelopes import EnvelopeParser
from lorahub.pipeline.dedup import DuplicateFilter
from lorahub.pipeline.directory import DeviceDirectory
from lorahub.pipeline.log_gate import RepeatGate
from lorahub.pipeline.process import BatchContent, MessageProcessor
from lorahub.simulation.fleet import Fleet, synthetic_devices

REPO = Path(__file__).resolve().parents[1]
BATCH = 5000


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uplinks", type=int, default=50_000)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    catalog = load_catalog(REPO / "decoders")
    devices = synthetic_devices(args.devices, catalog)
    directory = DeviceDirectory(MappingProxyType({d.dev_eui: d for d in devices}))
    fleet = Fleet(devices, catalog, seed=42)
    base = time.time_ns() - 86_400_000_000_000
    clock = (base + i * 1000 for i in itertools.count())
    source = fleet.messages("chirpstack-v4", clock)
    messages = [next(source) for _ in range(args.uplinks)]

    processor = MessageProcessor(
        EnvelopeParser(), directory, catalog, DuplicateFilter(300, 200_000), RepeatGate(60)
    )
    timings = []
    for _ in range(args.rounds + 1):
        started = time.perf_counter()
        content = BatchContent()
        for index, (topic, payload) in enumerate(messages):
            if index % BATCH == 0:
                content = BatchContent()
            processor.process(topic, payload, time.time_ns(), content)
        timings.append((time.perf_counter() - started) / len(messages) * 1e6)
    print(f"{args.uplinks} uplinks of {args.devices} devices, batches of {BATCH}")
    print(f"process         {statistics.median(timings[1:]):.1f} µs/message (median)")


if __name__ == "__main__":
    main()
