"""Run Mosquitto, InfluxDB 1.x and VictoriaMetrics from the Debian packages in a work folder.

Used by ``lorahub demo``, the benchmarks and the test fixtures: each daemon gets free loopback
ports and its own data folder, can be stopped, killed and started again on the same port (so a
test can restart the broker or the database under a running service).
"""

from __future__ import annotations

import contextlib
import getpass
import shutil
import signal
import socket
import subprocess
import time
from abc import ABC, abstractmethod
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

START_TIMEOUT_S = 30.0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_binary(name: str, package: str) -> str:
    """Return the path of ``name`` or raise with the Debian package that provides it.

    Raises:
        FileNotFoundError: the program is not installed.
    """
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if candidate and Path(candidate).is_file():
            return candidate
    raise FileNotFoundError(f"{name} not found: install the Debian package '{package}'")


class Daemon(ABC):
    """A server process in its own folder, on ports chosen once and kept across restarts."""

    name: str

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @abstractmethod
    def command(self) -> list[str]:
        """The command line that starts the daemon."""

    @abstractmethod
    def ready(self) -> bool:
        """True once the daemon answers."""

    def prepare(self) -> None:  # noqa: B027 - optional hook, empty by default
        """Write configuration files before the first start."""

    @property
    def pid(self) -> int | None:
        """The process id while running (benchmarks read its CPU time), else None."""
        return self._process.pid if self.running and self._process is not None else None

    @property
    def running(self) -> bool:
        """True while the process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the process and wait until it answers.

        Raises:
            RuntimeError: it exited or did not answer within the start timeout.
        """
        self.prepare()
        log = (self.folder / f"{self.name}.log").open("ab")
        self._process = subprocess.Popen(  # noqa: S603 - our own command line, no shell
            self.command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.folder
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(
                    f"{self.name} exited at start; see {self.folder}/{self.name}.log"
                )
            if self.ready():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {START_TIMEOUT_S:.0f} s")

    def stop(self, *, kill: bool = False) -> None:
        """Stop the process (SIGTERM, or SIGKILL with ``kill``) and wait for it."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class Mosquitto(Daemon):
    """Eclipse Mosquitto with persistence, queueing without limit for persistent sessions."""

    name = "mosquitto"

    def prepare(self) -> None:
        """Write ``mosquitto.conf``."""
        (self.folder / "mosquitto.conf").write_text(
            "\n".join(
                [
                    f"listener {self.port} 127.0.0.1",
                    # Mosquitto started as root drops to user 'mosquitto', which cannot write
                    # the persistence file into our folder: stay the user who started it.
                    f"user {getpass.getuser()}",
                    "allow_anonymous true",
                    "persistence true",
                    f"persistence_location {self.folder}/",
                    # Keep everything queued for an offline persistent session: the default
                    # (1000 messages) silently drops the rest, which is data loss for us.
                    "max_queued_messages 0",
                    "max_inflight_messages 0",
                    "set_tcp_nodelay true",
                    "log_dest stdout",
                    "log_type error",
                    "log_type warning",
                    "log_type notice",
                    "",
                ]
            )
        )

    def command(self) -> list[str]:
        """Run in the foreground with our configuration."""
        return [require_binary("mosquitto", "mosquitto"), "-c", str(self.folder / "mosquitto.conf")]

    def ready(self) -> bool:
        """The listener accepts connections."""
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.2):
            return True
        return False


class InfluxDB(Daemon):
    """InfluxDB 1.x (Debian ``influxdb``), serving the v1 HTTP API."""

    name = "influxd"

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.rpc_port = free_port()

    @property
    def url(self) -> str:
        """Base URL of the HTTP API."""
        return f"http://127.0.0.1:{self.port}"

    def prepare(self) -> None:
        """Write ``influxdb.conf`` with every directory inside the work folder."""
        (self.folder / "influxdb.conf").write_text(
            f"""reporting-disabled = true
bind-address = "127.0.0.1:{self.rpc_port}"
[meta]
  dir = "{self.folder}/meta"
[data]
  dir = "{self.folder}/data"
  wal-dir = "{self.folder}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:{self.port}"
  log-enabled = false
  max-body-size = 0
[continuous_queries]
  enabled = false
"""
        )

    def command(self) -> list[str]:
        """Run with our configuration."""
        return [
            require_binary("influxd", "influxdb"),
            "-config",
            str(self.folder / "influxdb.conf"),
        ]

    def ready(self) -> bool:
        """``/ping`` answers 204."""
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(f"{self.url}/ping", timeout=0.5).status_code == 204
        return False

    def create_database(self, name: str) -> None:
        """Create a database (idempotent)."""
        response = httpx.post(f"{self.url}/query", data={"q": f'CREATE DATABASE "{name}"'})
        response.raise_for_status()

    def query(self, database: str, influxql: str) -> list[dict[str, object]]:
        """Rows of an InfluxQL query as column-to-value dicts (times in ns)."""
        response = httpx.get(
            f"{self.url}/query",
            params={"db": database, "q": influxql, "epoch": "ns"},
            timeout=30,
        )
        response.raise_for_status()
        rows: list[dict[str, object]] = []
        for series in response.json()["results"][0].get("series") or []:
            rows.extend(dict(zip(series["columns"], row, strict=True)) for row in series["values"])
        return rows

    def count(self, database: str, measurement: str, field: str) -> int:
        """How many points of ``measurement`` have ``field``."""
        query = f'SELECT count("{field}") FROM "{measurement}"'  # noqa: S608 - our own names
        rows = self.query(database, query)
        return int(str(rows[0]["count"])) if rows else 0


class VictoriaMetrics(Daemon):
    """VictoriaMetrics single node, which accepts the InfluxDB v1 and v2 write APIs."""

    name = "victoria-metrics"

    @property
    def url(self) -> str:
        """Base URL of the HTTP API."""
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        """Run with data in the work folder and a retention long enough for old sample times."""
        return [
            require_binary("victoria-metrics", "victoria-metrics"),
            f"-httpListenAddr=127.0.0.1:{self.port}",
            f"-storageDataPath={self.folder}/data",
            "-retentionPeriod=100y",
            "-search.latencyOffset=0s",
            # collapse identical re-writes (a redelivered batch) into one sample, as InfluxDB does
            "-dedup.minScrapeInterval=1ms",
            "-loggerLevel=ERROR",
        ]

    def ready(self) -> bool:
        """``/health`` answers 200."""
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(f"{self.url}/health", timeout=0.5).status_code == 200
        return False

    def flush(self) -> None:
        """Make recently written samples searchable now."""
        httpx.get(f"{self.url}/internal/force_flush", timeout=10).raise_for_status()
