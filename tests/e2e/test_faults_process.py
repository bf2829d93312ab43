"""Faults of the service process itself: SIGKILL at random points under load, SIGTERM."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from lorahub.daemons import InfluxDB, Mosquitto
from tests.e2e.conftest import ServiceProcess
from tests.e2e.harness import Publisher, influx_count, register, wait_for, write_config
from tests.e2e.test_delivery import DEVICES, _distinct_uplinks, _uplinks

MakeService = Callable[[Path], ServiceProcess]
OUTAGE_ROUNDS = (4, 5, 6)


class _Stream:
    """Publishes ``messages`` in small chunks from a thread until told to stop."""

    def __init__(self, mosquitto: Mosquitto, messages: list[tuple[str, bytes]]) -> None:
        self.messages = messages
        self.published = 0
        self._stop = threading.Event()
        self._publisher = Publisher(mosquitto)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set() and self.published < len(self.messages):
            chunk = self.messages[self.published : self.published + 20]
            self._publisher.publish_many(chunk)
            self.published += len(chunk)
            time.sleep(0.1)

    def stop(self) -> int:
        """Stop publishing; how many messages the broker took."""
        self._stop.set()
        self._thread.join(30)
        self._publisher.close()
        return self.published


def _config(
    tmp_path: Path, mosquitto: Mosquitto, influx: InfluxDB, database: str, extra: str = ""
) -> Path:
    client_id = f"proc-{uuid.uuid4().hex[:6]}"
    config = write_config(
        tmp_path, mosquitto, influx.url, database, client_id=client_id, extra=extra
    )
    register(config, DEVICES)
    return config


def _uplink_count(influx: InfluxDB, database: str) -> int:
    return influx_count(influx, database, "uplinks", "f_port")


@pytest.mark.slow
def test_sigkill_ten_times_under_load_keeps_every_uplink_exactly_once(
    tmp_path: Path,
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    service_process: MakeService,
) -> None:
    service = service_process(
        _config(tmp_path, running_mosquitto, running_influxdb, influx_database)
    )
    rng = random.Random(20261123)  # noqa: S311 - kill points, not secrets
    service.start()  # the broker session exists from here on: it queues what we miss
    stream = _Stream(running_mosquitto, _uplinks(8000, seed=11))
    try:
        for round_ in range(10):
            if round_:
                service.start()
            outage = round_ in OUTAGE_ROUNDS  # killed while spooling or replaying, too
            if outage and running_influxdb.running:
                running_influxdb.stop()
            if not outage and not running_influxdb.running:
                running_influxdb.start()
            time.sleep(rng.uniform(1.0, 3.5) if outage else rng.uniform(0.05, 1.5))
            service.kill()
    finally:
        published = stream.stop()
        if not running_influxdb.running:
            running_influxdb.start()
    service.start()
    try:
        wait_for(lambda: _uplink_count(running_influxdb, influx_database) >= published, 60, "")
    except AssertionError:
        count = _uplink_count(running_influxdb, influx_database)
        raise AssertionError(f"{count} of {published} uplinks after 10 kills") from None
    wait_for(lambda: service.metric("lorahub_messages_in_flight") == 0, 20, "all acknowledged")
    wait_for(lambda: service.metric("lorahub_spool_batches") == 0, 20, "spool drained")
    assert service.terminate() == 0
    assert published > 1000
    assert _distinct_uplinks(running_influxdb, influx_database) == (published, published)


def test_sigterm_flushes_the_open_batch_and_exits_0(
    tmp_path: Path,
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    service_process: MakeService,
) -> None:
    service = service_process(
        _config(
            tmp_path,
            running_mosquitto,
            running_influxdb,
            influx_database,
            extra="[pipeline]\nbatch_max_age_ms = 60000\nbatch_max_uplinks = 100000\n",
        )
    )
    service.start()
    publisher.publish_many(_uplinks(200))
    wait_for(lambda: service.metric("lorahub_messages_in_flight") == 200, 20, "200 in flight")
    started = time.monotonic()
    assert service.terminate() == 0
    assert time.monotonic() - started < 10
    assert _distinct_uplinks(running_influxdb, influx_database) == (200, 200)


def test_sigterm_gives_up_at_the_deadline_exits_0_and_the_broker_keeps_the_rest(
    tmp_path: Path,
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    service_process: MakeService,
) -> None:
    config = _config(
        tmp_path,
        running_mosquitto,
        running_influxdb,
        influx_database,
        extra="[pipeline]\nshutdown_deadline_s = 1.5\n",
    )
    text = config.read_text().replace("[spool]\n", "[spool]\nenabled = false\n")
    config.write_text(text)  # nowhere to put the batch: the flush cannot finish
    service = service_process(config)
    service.start()
    running_influxdb.stop()
    try:
        publisher.publish_many(_uplinks(50))
        wait_for(lambda: service.metric("lorahub_messages_in_flight") == 50, 20, "50 held")
        started = time.monotonic()
        assert service.terminate() == 0
        assert time.monotonic() - started < 8
    finally:
        running_influxdb.start()
    service.start()  # the same session: the broker delivers the 50 again
    wait_for(lambda: _uplink_count(running_influxdb, influx_database) >= 50, 30, "redelivered")
    assert service.terminate() == 0
    assert _distinct_uplinks(running_influxdb, influx_database) == (50, 50)
