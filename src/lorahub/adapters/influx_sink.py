"""Write line-protocol batches to InfluxDB (v1 or v2 write API) or VictoriaMetrics over HTTP.

Responses are classified like Telegraf's ``influxdb_v2`` output: 2xx is success; 400, 422 and
other per-data 4xx are permanent, so the batch is bisected until each bad line is isolated and
rejected with the server's message while the rest is written (writes are idempotent, so sending
a good line twice is harmless; this also covers InfluxDB 1.x's ``partial write`` 400); 413 splits
the batch in halves; 429 and 503 wait for ``Retry-After``; other 5xx and network errors are
retried with exponential backoff and jitter (stamina) for at most ``retry_window_s`` per
:meth:`InfluxSink.write`, then :class:`SinkUnavailable` is raised. 401, 403 and 404 (bad
credentials, missing database or bucket) concern every line, so they raise
:class:`SinkMisconfigured` at once rather than dropping the batch.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self

import httpx
import stamina

from lorahub.settings import InfluxSettings

_MESSAGE_MAX = 500
_WHOLE_BATCH = frozenset({401, 403, 404})
_BACK_OFF = frozenset({429, 503})


class SinkUnavailable(Exception):
    """The database cannot take writes now: keep the data and try again later."""


class SinkMisconfigured(SinkUnavailable):
    """The database refuses every line (credentials, database or bucket): needs an operator."""


@dataclass(frozen=True, slots=True)
class RejectedLine:
    """A line the database refused for good, with the HTTP status and the server's message."""

    line: str
    status: int
    message: str


class _Transient(Exception):
    """A response worth retrying; ``delay`` is the server's ``Retry-After`` (capped) if any."""

    def __init__(self, message: str, delay: float | None) -> None:
        super().__init__(message)
        self.delay = delay


class InfluxSink:
    """An async context manager owning one HTTP client to the configured write API.

    Attributes:
        requests: write requests sent (including retries and bisections).
        retries: transient failures (5xx, 429, network), each retried while the window lasts.
        written: lines accepted by the server (a line re-sent during bisection counts again).
        rejected: lines refused for good.
    """

    def __init__(self, settings: InfluxSettings) -> None:
        self._settings = settings
        base = httpx.URL(settings.url)
        self._where = str(base.copy_with(userinfo=b"", query=None))  # no secrets: safe to show
        headers = {"Content-Type": "text/plain; charset=utf-8"}
        auth: httpx.BasicAuth | None = None
        token = settings.token.get_secret_value() if settings.token else None
        match settings.api:
            case "v1":
                path = "write"
                params = {"db": settings.database, "precision": "ns"}
                if settings.retention_policy:
                    params["rp"] = settings.retention_policy
                if settings.username is not None or settings.password is not None:
                    password = settings.password.get_secret_value() if settings.password else ""
                    auth = httpx.BasicAuth(settings.username or "", password)
                elif token:
                    headers["Authorization"] = f"Token {token}"
                self._ping_path = "ping"
            case "v2":
                path = "api/v2/write"
                params = {"bucket": settings.bucket, "precision": "ns"}
                if settings.org:
                    params["org"] = settings.org
                if token:
                    headers["Authorization"] = f"Token {token}"
                self._ping_path = "health"
            case other:
                raise ValueError(f"unknown influx.api {other!r}")
        if settings.gzip:
            headers["Content-Encoding"] = "gzip"
        self._write_path = path
        self._params = params
        self._client = httpx.AsyncClient(
            base_url=base, headers=headers, auth=auth, timeout=settings.timeout_s
        )
        self.requests = 0
        self.retries = 0
        self.written = 0
        self.rejected = 0

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()

    async def ping(self) -> bool:
        """True if the server answers its health endpoint (v1: ``/ping``, v2: ``/health``)."""
        try:
            response = await self._client.get(self._ping_path)
        except httpx.HTTPError:
            return False
        return response.is_success

    async def write(self, lines: Sequence[str]) -> list[RejectedLine]:
        """Write ``lines``; return the lines the server refused for good.

        Raises:
            SinkUnavailable: the server stayed unreachable or overloaded for the retry window.
            SinkMisconfigured: credentials, database or bucket are wrong (no line was written).
        """
        rejected: list[RejectedLine] = []
        if lines:
            deadline = time.monotonic() + self._settings.retry_window_s
            await self._write(list(lines), deadline, rejected)
        self.rejected += len(rejected)
        return rejected

    async def _write(self, lines: list[str], deadline: float, rejected: list[RejectedLine]) -> None:
        status, message = await self._post_retrying(lines, deadline)
        if status < 300:
            self.written += len(lines)
        elif len(lines) == 1:
            rejected.append(RejectedLine(lines[0], status, message))
        else:  # 413 or a bad line somewhere: bisect
            half = len(lines) // 2
            await self._write(lines[:half], deadline, rejected)
            await self._write(lines[half:], deadline, rejected)

    async def _post_retrying(self, lines: list[str], deadline: float) -> tuple[int, str]:
        body = "\n".join(lines).encode()
        if self._settings.gzip:
            body = gzip.compress(body, compresslevel=1, mtime=0)
        remaining = max(deadline - time.monotonic(), 0.001)
        max_delay = self._settings.max_retry_delay_s

        def retry_on(exc: Exception) -> bool | float:
            if isinstance(exc, _Transient):
                self.retries += 1
                return True if exc.delay is None else min(exc.delay, max_delay)
            if isinstance(exc, httpx.TransportError):
                self.retries += 1
                return True
            return False

        try:
            async for attempt in stamina.retry_context(
                on=retry_on,
                attempts=None,
                timeout=remaining,
                wait_initial=0.1,
                wait_max=max_delay,
                wait_jitter=min(1.0, max_delay),
            ):
                with attempt:
                    return await self._post(body)
        except _Transient as exc:
            raise SinkUnavailable(f"{self._where}: {exc}") from None
        except httpx.TransportError as exc:
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise SinkUnavailable(f"{self._where} unreachable ({reason})") from None
        raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover

    async def _post(self, body: bytes) -> tuple[int, str]:
        """One request: ``(status, message)`` for success and permanent failures, else raise."""
        self.requests += 1
        response = await self._client.post(self._write_path, params=self._params, content=body)
        status = response.status_code
        if status < 300:
            return status, ""
        message = _error_message(response)
        if status in _BACK_OFF:
            raise _Transient(f"{status} {message}", _retry_after(response))
        if status >= 500:
            raise _Transient(f"{status} {message}", None)
        if status in _WHOLE_BATCH:
            raise SinkMisconfigured(f"{self._where} refused the write ({status}): {message}")
        return status, message


def _error_message(response: httpx.Response) -> str:
    """The server's explanation: JSON ``error``/``message``, ``X-Influx-Error``, or the text."""
    text = response.text.strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "message"):
            if isinstance(data.get(key), str):
                text = data[key]
                break
    text = text or response.headers.get("X-Influx-Error", "") or response.reason_phrase
    return text[:_MESSAGE_MAX]


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date), None if absent/bad."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


__all__ = ["InfluxSink", "RejectedLine", "SinkMisconfigured", "SinkUnavailable"]
