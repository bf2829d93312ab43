"""End-to-end ingest benchmark: real Mosquitto and InfluxDB, lorahub as a child process.

Registers DEVICES devices of mixed models, publishes UPLINKS ChirpStack v4 uplinks (QoS 1) as
fast as the broker takes them (or at --rate), and measures until the last point is queryable:

    python benchmarks/ingest.py --uplinks 100000 --devices 10000

Prints sustained uplinks/s (first publish to last point queryable), p50/p99 publish-to-queryable
latency, the service's peak RSS and CPU time, and how many points arrived (must equal UPLINKS).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import threading
import time
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING

from lorahub.adapters.sql_schema import create_database_engine
from lorahub.daemons import InfluxDB, Mosquitto, VictoriaMetrics
from lorahub.decoding.catalog import load_catalog
from lorahub.settings import load_settings
from lorahub.simulation.fleet import Fleet, synthetic_devices
from lorahub.simulation.publisher import publish
from lorahub.simulation.registration import register_fleet

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: make the benchmarks folder importable

from benchmarks.procstat import CpuMeter, peak_rss_mb  # noqa: E402
from benchmarks.services import profiled, services  # noqa: E402

if TYPE_CHECKING:
    from benchmarks.baseline import BaselineResult

DATABASE = "bench"


def _config(folder: Path, mosquitto: Mosquitto, influx: InfluxDB) -> Path:
    path = folder / "bench.toml"
    path.write_text(
        f"""[mqtt]
port = {mosquitto.port}
client_id = "lorahub-bench"
topics = ["application/+/device/+/event/up"]
max_in_flight = 20000

[influx]
url = "{influx.url}"
database = "{DATABASE}"
gzip = false

[registry]
url = "sqlite:///{folder / "registry.db"}"

[catalog]
dir = "{REPO / "decoders"}"

[spool]
dir = "{folder / "spool"}"

[web]
enabled = false

[logging]
level = "warning"
"""
    )
    return path


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uplinks", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=None, help="uplinks/s (default: full speed)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--workdir", type=Path, default=None, help="keep daemons' files here")
    parser.add_argument(
        "--baseline",
        type=int,
        default=0,
        metavar="N",
        help="then run the naive ingester (benchmarks/baseline.py) on N uplinks; print the ratio",
    )
    parser.add_argument(
        "--processes", type=int, default=1, help="services in one shared-subscription group"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="py-spy profile of service 0",
    )
    args = parser.parse_args()

    catalog = load_catalog(REPO / "decoders")
    with tempfile.TemporaryDirectory(prefix="lorahub-bench-") as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        with Mosquitto(folder / "mosquitto") as mosquitto, InfluxDB(folder / "influx") as influx:
            influx.create_database(DATABASE)
            config = _config(folder, mosquitto, influx)
            settings = load_settings(config)
            devices = synthetic_devices(args.devices, catalog)
            register_fleet(create_database_engine(settings.registry.url), devices, 0)
            print(
                f"{len(devices)} devices of {len({d.model for d in devices})} models; "
                f"building {args.uplinks} uplinks"
            )
            fleet = Fleet(devices, catalog, seed=42)
            base = time.time_ns() - 86_400_000_000_000
            clock = (base + i * 1000 for i in itertools.count())
            source = fleet.messages("chirpstack-v4", clock)
            messages = [next(source) for _ in range(args.uplinks)]

            with services(config, folder, args.processes) as running:
                meter = CpuMeter(
                    {f"lorahub-{i}": p.pid for i, p in enumerate(running)}
                    | {"mosquitto": _pid(mosquitto), "influxd": _pid(influx)}
                    | {"benchmark": os.getpid()}
                )
                with profiled(running[0].pid, args.profile):
                    meter.start()
                    visible: list[tuple[int, float]] = []
                    watcher = threading.Thread(  # polls while publishing: latency at a rate
                        target=_watch, args=(influx, args.uplinks, args.timeout, visible)
                    )
                    watcher.start()
                    marks = asyncio.run(_publish(settings, messages, args.rate))
                    watcher.join()
                    meter.stop()
                rss = max(peak_rss_mb(p.pid) for p in running)
            rate = _report(
                args.uplinks, marks, visible, rss, influx.count(DATABASE, "uplinks", "f_port")
            )
            for text in meter.report(args.uplinks, visible[-1][1] - marks[0][1]):
                print(text)
            if args.baseline:
                naive = _baseline(folder, mosquitto, messages[: args.baseline])
                print(
                    f"baseline        {naive.rate:,.0f} uplinks/s ({naive.arrived} of "
                    f"{naive.uplinks}): paho callback, json.loads, one write per message"
                )
                print(f"ratio           lorahub / baseline = {rate / naive.rate:.1f}")


def _baseline(
    folder: Path, mosquitto: Mosquitto, messages: list[tuple[str, bytes]]
) -> BaselineResult:
    from benchmarks.baseline import run_baseline

    with VictoriaMetrics(folder / "baseline-vm") as database:
        return run_baseline(mosquitto, database, messages)


def _pid(daemon: Mosquitto | InfluxDB) -> int:
    if daemon.pid is None:
        raise RuntimeError(f"{daemon.name} is not running")
    return daemon.pid


async def _publish(
    settings: object, messages: list[tuple[str, bytes]], rate: float | None
) -> list[tuple[int, float]]:
    marks: list[tuple[int, float]] = [(0, time.time())]
    stop = asyncio.Event()
    await publish(
        settings.mqtt,  # type: ignore[attr-defined]
        iter(messages),
        rate=rate,
        count=len(messages),
        stop=stop,
        on_progress=lambda sent: marks.append((sent, time.time())),
    )
    return marks


def _watch(influx: InfluxDB, total: int, timeout: float, seen: list[tuple[int, float]]) -> None:
    """Append (points visible, when) every 50 ms until ``total`` are visible."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = influx.count(DATABASE, "uplinks", "f_port")
        seen.append((count, time.time()))
        if count >= total:
            break
        time.sleep(0.05)


def _report(
    total: int,
    marks: list[tuple[int, float]],
    visible: list[tuple[int, float]],
    rss_mb: float,
    arrived: int,
) -> float:
    first_publish = marks[0][1]
    last_visible = visible[-1][1]
    published_at = [t for _, t in marks]
    sent_counts = [n for n, _ in marks]
    latencies = []
    for count, seen_at in visible:
        # the newest visible message (count - 1) is in the chunk whose cumulative count first
        # exceeds it; that chunk started at the mark before (conservative: its first message)
        index = bisect_right(sent_counts, max(count - 1, 0))
        if index < len(published_at) and count:
            latencies.append(seen_at - published_at[index - 1])
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    elapsed = last_visible - first_publish
    publish_s = marks[-1][1] - first_publish
    print(f"published       {total} uplinks in {publish_s:.2f} s ({total / publish_s:,.0f}/s)")
    print(f"sustained       {total / elapsed:,.0f} uplinks/s end to end ({elapsed:.2f} s)")
    print(f"latency p50     {quantiles[49]:.3f} s  (publish to queryable)")
    print(f"latency p99     {quantiles[98]:.3f} s")
    print(f"service RSS     {rss_mb:.0f} MB peak")
    print(f"points arrived  {arrived} of {total} {'OK' if arrived == total else 'MISSING'}")
    return total / elapsed


if __name__ == "__main__":
    main()
