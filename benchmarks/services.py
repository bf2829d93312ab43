"""Start lorahub service processes for the benchmarks, alone or in one shared-subscription group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from lorahub.daemons import free_port

SHARED_GROUP = "bench"


@contextmanager
def services(config: Path, folder: Path, count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Run ``count`` services on ``config``; with more than one, in one shared group.

    Each process gets its own client id, spool folder, metrics port and log file. Yields once
    every one is subscribed; stops them all (SIGTERM, so the last batches are flushed) after.
    """
    started: list[subprocess.Popen[bytes]] = []
    ports: list[int] = []
    try:
        for index in range(count):
            port = free_port()
            env = dict(
                os.environ,
                LORAHUB_METRICS__PORT=str(port),
                LORAHUB_MQTT__CLIENT_ID=f"lorahub-bench-{index}",
                LORAHUB_SPOOL__DIR=str(folder / f"spool-{index}"),
            )
            if count > 1:
                env["LORAHUB_MQTT__SHARED_GROUP"] = SHARED_GROUP
            with (folder / f"service-{index}.log").open("ab") as log:
                started.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "lorahub", "--config", str(config), "run"],
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
            ports.append(port)
        for port in ports:
            _wait_up(port)
        yield started
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            process.wait(60)


@contextmanager
def profiled(pid: int, output: Path | None) -> Iterator[None]:
    """Record ``pid`` with py-spy (speedscope format) into ``output`` while the block runs."""
    if output is None:
        yield
        return
    spy = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("py-spy")),
            "record",
            "--pid",
            str(pid),
            "--format",
            "speedscope",
            "-o",
            str(output),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(60)
        print(f"profile         {output} (open in https://www.speedscope.app)")


def _wait_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=1)
            time.sleep(1.0)  # the subscription follows the metrics endpoint
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("service did not start")
