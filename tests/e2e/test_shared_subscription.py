"""Horizontal scale: two service processes in one shared-subscription group split one stream."""

from __future__ import annotations

import uuid
from functools import partial
from pathlib import Path

from lorahub.daemons import InfluxDB, Mosquitto
from tests.e2e.conftest import ServiceProcess
from tests.e2e.harness import Publisher, register, wait_for, write_config
from tests.e2e.test_delivery import DEVICES, _distinct_uplinks, _uplinks
from tests.e2e.test_faults_process import MakeService

UPLINKS = 3000


def _member(
    tmp_path: Path,
    mosquitto: Mosquitto,
    influx: InfluxDB,
    database: str,
    group: str,
    make: MakeService,
) -> ServiceProcess:
    config = write_config(
        tmp_path,
        mosquitto,
        influx.url,
        database,
        client_id=f"share-{uuid.uuid4().hex[:6]}",
        mqtt_extra=f'shared_group = "{group}"',
    )
    register(config, DEVICES)  # one registry file for both (idempotent)
    return make(config)


def _all_acknowledged(member: ServiceProcess) -> bool:
    return member.metric("lorahub_messages_in_flight") == 0


def test_two_processes_split_the_stream_and_lose_nothing(
    tmp_path: Path,
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    service_process: MakeService,
) -> None:
    group = f"g{uuid.uuid4().hex[:6]}"
    members = [
        _member(
            tmp_path, running_mosquitto, running_influxdb, influx_database, group, service_process
        )
        for _ in range(2)
    ]
    for member in members:
        member.start()
    publisher = Publisher(running_mosquitto)
    messages = _uplinks(UPLINKS, seed=23)
    half = UPLINKS // 2

    def written() -> int:
        return _distinct_uplinks(running_influxdb, influx_database)[0]

    try:
        publisher.publish_many(messages[:half])
        wait_for(lambda: written() >= half, 60, f"{half} uplinks from the group")
        shares = [member.metric("lorahub_uplinks_total") or 0.0 for member in members]
        assert all(share > 0 for share in shares), shares  # both took a share
        assert sum(shares) == half, shares  # and no message went to both
        members[0].kill()  # one member dies; its session keeps what it had not acknowledged
        publisher.publish_many(messages[half:])
        members[0].start()
    finally:
        publisher.close()
    wait_for(lambda: written() >= UPLINKS, 60, f"{UPLINKS} uplinks from the group")
    assert _distinct_uplinks(running_influxdb, influx_database) == (UPLINKS, UPLINKS)
    for member in members:
        wait_for(partial(_all_acknowledged, member), 20, "every message acknowledged")
    assert all(member.terminate() == 0 for member in members)
