"""The naive ingester a hobbyist writes, measured on the same broker and database as lorahub.

A paho-mqtt callback that json.loads each ChirpStack v4 uplink and writes one point per message
with influxdb-client's synchronous write API: no batching, no decoding catalog, no dead letters,
no acknowledgement discipline (paho acknowledges QoS 1 as soon as the callback returns).
influxdb-client speaks the v2 write API, which Debian's InfluxDB 1.6 lacks, so the baseline
writes to VictoriaMetrics (the v2 write API; faster per request than InfluxDB, which flatters
the baseline).

    python benchmarks/baseline.py --uplinks 5000

``benchmarks/ingest.py --baseline N`` runs it after lorahub in the same run and prints the ratio.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
from influxdb_client.client.influxdb_client import InfluxDBClient
from influxdb_client.client.write.point import Point
from influxdb_client.client.write_api import SYNCHRONOUS
from paho.mqtt.enums import CallbackAPIVersion

from lorahub.daemons import Mosquitto, VictoriaMetrics
from lorahub.decoding.catalog import load_catalog
from lorahub.simulation.fleet import Fleet, synthetic_devices

TOPIC = "application/+/device/+/event/up"


@dataclass(frozen=True)
class BaselineResult:
    """What the naive ingester achieved."""

    uplinks: int
    arrived: int
    seconds: float

    @property
    def rate(self) -> float:
        """Uplinks per second, first publish to last point written."""
        return self.arrived / self.seconds if self.seconds else 0.0


class NaiveIngester:
    """One paho callback, one HTTP write per message."""

    def __init__(self, mosquitto: Mosquitto, database: VictoriaMetrics) -> None:
        self.written = 0
        self.last_write = 0.0
        self._influx = InfluxDBClient(url=database.url, token="-", org="-")  # noqa: S106 - no auth
        self._write = self._influx.write_api(write_options=SYNCHRONOUS)
        self._bucket = "baseline"
        self._client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="naive")
        self._client.on_message = self._on_message
        self._subscribed = threading.Event()
        self._client.on_subscribe = lambda *_args: self._subscribed.set()
        self._client.connect("127.0.0.1", mosquitto.port)
        self._client.subscribe(TOPIC, qos=1)
        self._client.loop_start()
        if not self._subscribed.wait(10):
            raise RuntimeError("baseline subscriber did not subscribe")

    def _on_message(
        self, _client: mqtt.Client, _userdata: object, message: mqtt.MQTTMessage
    ) -> None:
        event = json.loads(message.payload)
        rx = event.get("rxInfo") or [{}]
        point = (
            Point("uplinks")  # type: ignore[no-untyped-call]
            .tag("dev_eui", event["deviceInfo"]["devEui"])
            .field("f_cnt", event.get("fCnt", 0))
            .field("f_port", event.get("fPort", 0))
            .field("payload_bytes", len(base64.b64decode(event.get("data", ""))))
            .field("rssi", float(rx[0].get("rssi", 0)))
            .time(event["time"])
        )
        self._write.write(bucket=self._bucket, record=point)
        self.written += 1
        self.last_write = time.time()

    def close(self) -> None:
        """Disconnect from both."""
        self._client.loop_stop()
        self._client.disconnect()
        self._influx.close()  # type: ignore[no-untyped-call]


def run_baseline(
    mosquitto: Mosquitto,
    database: VictoriaMetrics,
    messages: Sequence[tuple[str, bytes]],
    timeout: float = 600,
) -> BaselineResult:
    """Publish ``messages`` (QoS 1) to the naive ingester and time it until it wrote them all."""
    ingester = NaiveIngester(mosquitto, database)
    publisher = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="naive-publisher")
    publisher.max_inflight_messages_set(1000)
    publisher.max_queued_messages_set(0)
    publisher.connect("127.0.0.1", mosquitto.port)
    publisher.loop_start()
    started = time.time()
    try:
        infos = [publisher.publish(topic, body, qos=1) for topic, body in messages]
        for info in infos:
            info.wait_for_publish(timeout)
        deadline = time.monotonic() + timeout
        while ingester.written < len(messages) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        ingester.close()
    return BaselineResult(len(messages), ingester.written, ingester.last_write - started)


def main() -> None:
    """Run the naive ingester alone and print its rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uplinks", type=int, default=5_000)
    parser.add_argument("--devices", type=int, default=1_000)
    args = parser.parse_args()
    catalog = load_catalog(Path(__file__).resolve().parents[1] / "decoders")
    fleet = Fleet(synthetic_devices(args.devices, catalog), catalog, seed=7)
    base = time.time_ns() - 86_400_000_000_000
    source = fleet.messages("chirpstack-v4", (base + i * 1000 for i in itertools.count()))
    messages = [next(source) for _ in range(args.uplinks)]
    with tempfile.TemporaryDirectory(prefix="lorahub-baseline-") as tmp:
        folder = Path(tmp)
        with (
            Mosquitto(folder / "mosquitto") as mosquitto,
            VictoriaMetrics(folder / "vm") as database,
        ):
            result = run_baseline(mosquitto, database, messages)
    print(
        f"baseline        {result.rate:,.0f} uplinks/s ({result.arrived} of {result.uplinks} "
        f"in {result.seconds:.1f} s): paho callback, json.loads, one write per message"
    )


if __name__ == "__main__":
    main()
