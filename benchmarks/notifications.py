"""Notification benchmark: queueing notices durably, then sending them to a local webhook.

    python benchmarks/notifications.py [--notices 500]

A tenant has three channels: two ``json://`` webhooks on a local HTTP server in this process
and one daily-digest channel. Each notice is queued with ``Notifier.notify`` (routing,
rendering in German, one transaction for its three deliveries); the median and 95th percentile
of that call are printed. Then a ``DeliveryWorker`` sends the 2 x NOTICES due deliveries
through apprise, and the elapsed time and deliveries per second are printed. The registry is
a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.alerts.notice import AlertNotice
from lorahub.domain.tenancy import Tenant
from lorahub.logs import configure_logging
from lorahub.metrics import Metrics
from lorahub.notify.channel import Channel
from lorahub.notify.notifier import Notifier
from lorahub.notify.sender import AppriseSender
from lorahub.notify.worker import DeliveryWorker
from lorahub.settings import LoggingSettings, NotificationSettings


class _Receiver(BaseHTTPRequestHandler):
    received = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        _Receiver.received += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


def _notice(number: int) -> AlertNotice:
    return AlertNotice(
        tenant="lindenau",
        language="de",
        kind="fired",
        alert_kind="threshold",
        severity="critical",
        alert_id=number,
        rule_id="co2-high",
        rule_name="CO2 zu hoch",
        dev_eui="a81758fffe0c4e21",
        device_name=f"Raum {number}",
        site_name="Dorfhub",
        quantity="co2",
        value=1200.0 + number,
        threshold=1200.0,
        unit="ppm",
        at_ns=time.time_ns(),
        link="https://hub.example/devices/a81758fffe0c4e21",
    )


async def _drain(worker: DeliveryWorker) -> int:
    sent = 0
    while attempted := await worker.run_once():
        sent += attempted
    return sent


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=500)
    args = parser.parse_args()
    configure_logging(LoggingSettings(level="warning"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_database_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        SqlTenantRepository(engine).add_tenant(Tenant("lindenau", "Lindenau"), time.time_ns())
        channels = SqlChannelRepository(engine)
        for name in ("a", "b"):
            url = f"json://127.0.0.1:{server.server_port}/{name}"
            channels.add(Channel(0, "lindenau", name, url), 0)
        channels.add(Channel(0, "lindenau", "digest", "json://127.0.0.1:1/d", digest_hour=7), 0)
        notifier = Notifier(engine)
        times = []
        for number in range(args.notices):
            start = time.perf_counter()
            notifier.notify(_notice(number))
            times.append(time.perf_counter() - start)
        times.sort()
        p95 = times[int(len(times) * 0.95)]
        print(
            f"notify(): median {statistics.median(times) * 1000:.2f} ms, "
            f"p95 {p95 * 1000:.2f} ms (3 channels, {args.notices} notices)"
        )
        settings = NotificationSettings(send_timeout_s=5)
        worker = DeliveryWorker(engine, AppriseSender(5), settings, Metrics())
        start = time.perf_counter()
        sent = asyncio.run(_drain(worker))
        elapsed = time.perf_counter() - start
        print(
            f"worker: {sent} deliveries ({_Receiver.received} received) in {elapsed:.1f} s, "
            f"{sent / elapsed:.0f} deliveries/s"
        )
        engine.dispose()
    server.shutdown()


if __name__ == "__main__":
    main()
