"""Dashboard costs: rendering, the capacity field on the ingest path, and panel query times.

    python benchmarks/dashboards.py [--days 7] [--repeat 5]

Prints the median time to render every dashboard; the median cost of formatting a ``readings``
line with and without the site capacity; and, against a real InfluxDB 1.x holding ``--days`` of
the demo village (30 devices, one uplink each per 10 minutes), the median time of all queries of
each dashboard with every tenant chosen over the whole range (what one dashboard load asks).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import timeit
from functools import partial
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the demo data and query helpers live in tests/

from lorahub.daemons import InfluxDB  # noqa: E402
from lorahub.dashboards.render import render_all  # noqa: E402
from lorahub.domain.device import Device  # noqa: E402
from lorahub.domain.ids import DevEui, ModelId  # noqa: E402
from lorahub.pipeline.directory import DeviceDirectory  # noqa: E402
from lorahub.pipeline.points import PointFormatter  # noqa: E402
from tests.dashboards.demo_points import HOUR, alert_lines, uplink_lines  # noqa: E402
from tests.dashboards.grafana_queries import (  # noqa: E402
    Grafana,
    choose,
    dashboard_queries,
    run_influxql,
)

ROOM = Device(DevEui("a81758fffe0c4e21"), "raum1", ModelId("elsys/ers-eye"), "lindenau", "room")


def _render(repeat: int) -> None:
    times = timeit.repeat(render_all, number=1, repeat=repeat)
    print(f"render all dashboards: {statistics.median(times) * 1000:.1f} ms")


def _formatter(repeat: int, number: int = 200_000) -> None:
    with_capacity = PointFormatter(DeviceDirectory({ROOM.dev_eui: ROOM}, {"room": 8}))
    without = PointFormatter()
    occupancy = {"occupancy": 1, "temperature": 21.5, "illuminance": 180.0}
    for label, formatter, readings in (
        ("occupancy line, site capacity", with_capacity, occupancy),
        ("occupancy line, no capacities", without, occupancy),
        ("climate line, site capacity", with_capacity, {"temperature": 21.5, "co2": 612.0}),
    ):
        times = timeit.repeat(
            partial(formatter.readings, ROOM, 1, readings), number=number, repeat=repeat
        )
        print(f"{label}: {statistics.median(times) / number * 1e9:.0f} ns")


def _load(server: InfluxDB, database: str, days: int) -> int:
    end_ns = time.time_ns()
    lines = uplink_lines(end_ns - days * 24 * HOUR, end_ns) + alert_lines(end_ns)
    for start in range(0, len(lines), 5000):
        httpx.post(
            f"{server.url}/write",
            params={"db": database},
            content="\n".join(lines[start : start + 5000]).encode(),
            timeout=60,
        ).raise_for_status()
    print(f"demo village: {days} days, {len(lines)} points")
    return end_ns


def _queries(server: InfluxDB, days: int, repeat: int) -> None:
    server.create_database("bench")
    end_ns = _load(server, "bench", days)
    grafana = Grafana((end_ns - days * 24 * HOUR) // 10**6, end_ns // 10**6, interval="1h")
    choose(server, "bench", grafana, None)
    for name, text in render_all().items():
        queries = [grafana.substitute(q.text) for q in dashboard_queries(json.loads(text))]
        per_query = {
            q: statistics.median(
                timeit.repeat(partial(run_influxql, server, "bench", q), number=1, repeat=repeat)
            )
            for q in queries
        }
        slowest = max(per_query.values())
        print(
            f"{name}: {len(queries)} queries, {sum(per_query.values()) * 1000:.0f} ms in all, "
            f"slowest {slowest * 1000:.0f} ms"
        )


def main() -> None:
    """Run the three measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _render(args.repeat)
    _formatter(args.repeat)
    with tempfile.TemporaryDirectory() as folder, InfluxDB(Path(folder)) as server:
        _queries(server, args.days, args.repeat)


if __name__ == "__main__":
    main()
