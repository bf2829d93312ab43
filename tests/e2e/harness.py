"""End-to-end helpers: settings files, registration, InfluxDB queries, polling, publishing."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from lorahub.adapters.sql_schema import create_database_engine
from lorahub.daemons import InfluxDB, Mosquitto
from lorahub.domain.device import Device
from lorahub.settings import load_settings
from lorahub.simulation.registration import register_fleet

REPO = Path(__file__).resolve().parents[2]


def write_config(
    folder: Path,
    mosquitto: Mosquitto,
    influx_url: str,
    database: str,
    *,
    client_id: str,
    extra: str = "",
    registry_extra: str = "",
    topics: tuple[str, ...] = ("application/+/device/+/event/+", "v3/+/devices/+/#"),
    influx_section: str = "",
    catalog_dir: Path = REPO / "decoders",
    spool_extra: str = "",
    spool_dir: Path | None = None,
    mqtt_extra: str = "",
    mqtt_port: int | None = None,
) -> Path:
    """A settings file for one service under test.

    ``registry_extra`` goes into ``[registry]``, ``spool_extra`` into ``[spool]`` (whose folder
    is ``spool_dir``, by default ``spool-<client_id>`` next to the file), ``mqtt_extra`` into
    ``[mqtt]``; ``mqtt_port`` connects through another port (a proxy) instead of the broker's.
    """
    spool_dir = spool_dir or folder / f"spool-{client_id}"
    topic_list = ", ".join(f'"{t}"' for t in topics)
    path = folder / f"{client_id}.toml"
    path.write_text(
        f"""[mqtt]
port = {mqtt_port or mosquitto.port}
client_id = "{client_id}"
topics = [{topic_list}]
session_expiry_s = 600
reconnect_min_delay_s = 0.1
reconnect_max_delay_s = 1.0
{mqtt_extra}

[influx]
url = "{influx_url}"
database = "{database}"
retry_window_s = 2.0
max_retry_delay_s = 0.5
{influx_section}

[registry]
url = "sqlite:///{folder / "registry.db"}"
refresh_s = 0.5
{registry_extra}

[catalog]
dir = "{catalog_dir}"

[spool]
dir = "{spool_dir}"
replay_check_s = 0.2
{spool_extra}

[web]
enabled = false

[logging]
level = "warning"
{extra}
"""
    )
    return path


def register(config: Path, devices: list[Device]) -> None:
    """Put ``devices`` into the registry named by ``config``."""
    settings = load_settings(config)
    register_fleet(create_database_engine(settings.registry.url), devices, time.time_ns())


def influx_query(influx: InfluxDB, database: str, query: str) -> list[list[object]]:
    """Rows of an InfluxQL query as value lists (column order as InfluxDB returns them)."""
    return [list(row.values()) for row in influx.query(database, query)]


def influx_points(influx: InfluxDB, database: str, query: str) -> list[dict[str, object]]:
    """Rows of an InfluxQL query as column-to-value dicts."""
    return influx.query(database, query)


def influx_count(influx: InfluxDB, database: str, measurement: str, field: str) -> int:
    """How many points of ``measurement`` have ``field``."""
    return influx.count(database, measurement, field)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` until true or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


async def async_wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """The asyncio form of ``wait_for``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(condition):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Publisher:
    """A paho-mqtt QoS 1 publisher that waits for each PUBACK."""

    def __init__(self, mosquitto: Mosquitto) -> None:
        self._client = paho.Client(
            CallbackAPIVersion.VERSION2, client_id=f"test-pub-{uuid.uuid4().hex[:8]}"
        )
        self._client.connect("127.0.0.1", mosquitto.port)
        self._client.loop_start()

    def publish(self, topic: str, body: bytes) -> None:
        """Publish and wait until the broker has it."""
        self._client.publish(topic, body, qos=1).wait_for_publish(timeout=10)

    def publish_many(self, messages: list[tuple[str, bytes]]) -> None:
        """Publish all, then wait for every PUBACK."""
        infos = [self._client.publish(topic, body, qos=1) for topic, body in messages]
        for info in infos:
            info.wait_for_publish(timeout=30)

    def close(self) -> None:
        """Disconnect."""
        self._client.loop_stop()
        self._client.disconnect()
