"""End-to-end fixtures: a publisher and lorahub services, in-process or as child processes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from lorahub.adapters.deadletters_sql import SqlDeadLetterStore
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.bootstrap import run_service
from lorahub.daemons import InfluxDB, Mosquitto, free_port
from lorahub.domain.device import Device
from lorahub.settings import load_settings
from tests.e2e.harness import REPO, Publisher, register, wait_for, write_config


@pytest.fixture
def publisher(running_mosquitto: Mosquitto) -> Iterator[Publisher]:
    """A publisher connected to the session broker."""
    client = Publisher(running_mosquitto)
    yield client
    client.close()


@dataclass
class InProcessService:
    """A service running as an asyncio task of the test."""

    config: Path
    stop: asyncio.Event
    task: asyncio.Task[None]


@pytest.fixture
async def service_factory(
    tmp_path: Path,
) -> AsyncIterator[Callable[[Path], InProcessService]]:
    """Start services in-process; all are stopped (flushed) at the end of the test."""
    started: list[InProcessService] = []

    def start(config: Path) -> InProcessService:
        stop = asyncio.Event()
        task = asyncio.create_task(run_service(load_settings(config), stop))
        service = InProcessService(config, stop, task)
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop.set()
    for service in started:
        await asyncio.wait_for(service.task, 40)


class ServiceProcess:
    """``lorahub run`` as a child process, which a test can kill."""

    def __init__(self, config: Path, metrics_port: int) -> None:
        self.config = config
        self.metrics_port = metrics_port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process and wait until its metrics endpoint answers."""
        env = dict(os.environ, LORAHUB_METRICS__PORT=str(self.metrics_port))
        log = (self.config.parent / f"{self.config.stem}.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lorahub", "--config", str(self.config), "run"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for(
            lambda: self.metric("lorahub_mqtt_reconnects_total") is not None, 30, "service start"
        )

    def metric(self, name: str) -> float | None:
        """One sample of the service's metrics, or None when it does not answer."""
        try:
            text = httpx.get(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=1).text
        except httpx.HTTPError:
            return None
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return 0.0 if "# HELP" in text else None

    def kill(self) -> None:
        """SIGKILL: no flush, no goodbye."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self) -> int:
        """SIGTERM, and the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(40)


@pytest.fixture
def service_process() -> Iterator[Callable[[Path], ServiceProcess]]:
    """Child-process services; killed at the end of the test if still running."""
    made: list[ServiceProcess] = []

    def make(config: Path) -> ServiceProcess:
        service = ServiceProcess(config, free_port())
        made.append(service)
        return service

    yield make
    for service in made:
        if service.process is not None and service.process.poll() is None:
            service.process.kill()
            service.process.wait(10)


@dataclass
class RunningIngest:
    """A started in-process service with its settings file and dead-letter store."""

    config: Path
    service: InProcessService
    dead_letters: SqlDeadLetterStore


StartIngest = Callable[..., Awaitable[RunningIngest]]


@pytest.fixture
def start_ingest(
    tmp_path: Path,
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    service_factory: Callable[[Path], InProcessService],
) -> StartIngest:
    """Write settings, register ``devices`` and start a service subscribed to the broker.

    Keyword arguments beyond the named ones go to :func:`write_config`.
    """

    async def start(
        prefix: str,
        devices: list[Device],
        influx_url: str | None = None,
        extra: str = "",
        influx_section: str = "",
        catalog_dir: Path | None = None,
        registry_extra: str = "",
        **more: Any,
    ) -> RunningIngest:
        config = write_config(
            tmp_path,
            running_mosquitto,
            influx_url or running_influxdb.url,
            influx_database,
            client_id=f"{prefix}-{uuid.uuid4().hex[:6]}",
            extra=extra,
            registry_extra=registry_extra,
            influx_section=influx_section,
            catalog_dir=catalog_dir or REPO / "decoders",
            **more,
        )
        register(config, devices)
        service = service_factory(config)
        await asyncio.sleep(1.0)  # let the subscription settle before anything is published
        store = SqlDeadLetterStore(create_database_engine(load_settings(config).registry.url))
        return RunningIngest(config, service, store)

    return start
