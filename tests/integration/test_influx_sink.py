"""InfluxSink against real InfluxDB 1.x and VictoriaMetrics, and a stand-in for 413/429/503."""

from __future__ import annotations

import email.utils
import gzip
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from lorahub.adapters.influx_sink import (
    InfluxSink,
    RejectedLine,
    SinkMisconfigured,
    SinkUnavailable,
)
from lorahub.adapters.line_protocol import line, series_key
from lorahub.daemons import InfluxDB, VictoriaMetrics
from lorahub.settings import InfluxSettings

T0 = 1_700_000_000_123_456_789
SECRET = "s3cret-Passw0rd"  # noqa: S105 - a fake secret, checked never to leak


def v1(url: str, database: str, **overrides: Any) -> InfluxSettings:
    return InfluxSettings(api="v1", url=url, database=database, **overrides)


async def query(server: InfluxDB, database: str, q: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient() as client:
        response = await client.get(
            f"{server.url}/query", params={"db": database, "q": q, "epoch": "ns"}
        )
    response.raise_for_status()
    result = response.json()["results"][0]
    assert "error" not in result, result
    return list(result.get("series", []))


async def rows(server: InfluxDB, database: str, measurement: str) -> list[dict[str, Any]]:
    series = await query(server, database, f'SELECT * FROM "{measurement}"')
    if not series:
        return []
    columns = series[0]["columns"]
    return [dict(zip(columns, values, strict=True)) for values in series[0]["values"]]


@pytest.mark.parametrize("use_gzip", [True, False])
async def test_v1_round_trip(
    running_influxdb: InfluxDB, influx_database: str, use_gzip: bool
) -> None:
    series = series_key("readings", [("site", "north field"), ("device", "a,b=c"), ("x", "")])
    lines = [
        line(series, [("temperature", 21.5), ("count", 7), ("ok", True), ("note", 'a "q" \\')], T0),
        line(series, [("temperature", 1e16), ("count", -(2**63)), ("ok", False)], T0 + 1),
    ]
    settings = v1(running_influxdb.url, influx_database, gzip=use_gzip)
    async with InfluxSink(settings) as sink:
        assert await sink.ping()
        assert await sink.write(lines) == []
        assert await sink.write(lines) == []  # idempotent: same series and time, same point
    got = await rows(running_influxdb, influx_database, "readings")
    assert got == [
        {
            "time": T0,
            "count": 7,
            "device": "a,b=c",
            "note": 'a "q" \\',
            "ok": True,
            "site": "north field",
            "temperature": 21.5,
        },
        {
            "time": T0 + 1,
            "count": -(2**63),
            "device": "a,b=c",
            "note": None,
            "ok": False,
            "site": "north field",
            "temperature": 1e16,
        },
    ]
    assert isinstance(got[0]["count"], int)
    types = await query(running_influxdb, influx_database, "SHOW FIELD KEYS FROM readings")
    assert dict(types[0]["values"]) == {
        "count": "integer",
        "note": "string",
        "ok": "boolean",
        "temperature": "float",
    }
    assert sink.written == 4
    assert sink.rejected == 0


async def test_v1_type_conflict_rejects_only_the_bad_line(
    running_influxdb: InfluxDB, influx_database: str
) -> None:
    async with InfluxSink(v1(running_influxdb.url, influx_database)) as sink:
        assert await sink.write([f"m f=1i {T0}"]) == []
        batch = [f"m f={i}i {T0 + i}" for i in range(1, 10)]
        batch[4] = f"m f=1.5 {T0 + 5}"
        rejected = await sink.write(batch)
    assert len(rejected) == 1
    assert rejected[0].line == batch[4]
    assert rejected[0].status == 400
    assert "field type conflict" in rejected[0].message
    times = [row["time"] for row in await rows(running_influxdb, influx_database, "m")]
    assert times == [T0 + i for i in range(10) if i != 5]


async def test_v1_malformed_line_in_the_middle(
    running_influxdb: InfluxDB, influx_database: str
) -> None:
    batch = [f"m,t=a f={i}i {T0 + i}" for i in range(7)]
    batch.insert(3, f"m,t=a f= {T0 + 100}")
    async with InfluxSink(v1(running_influxdb.url, influx_database, gzip=False)) as sink:
        rejected = await sink.write(batch)
    assert rejected == [RejectedLine(batch[3], 400, rejected[0].message)]
    assert "unable to parse" in rejected[0].message
    assert len(await rows(running_influxdb, influx_database, "m")) == 7


async def test_v1_wrong_database_is_a_clear_error(running_influxdb: InfluxDB) -> None:
    settings = v1(running_influxdb.url, "no_such_db", username="u", password=SECRET)
    async with InfluxSink(settings) as sink:
        with pytest.raises(SinkMisconfigured, match="database not found") as caught:
            await sink.write([f"m f=1i {T0}"])
    assert SECRET not in str(caught.value)


async def test_v1_stopped_server_raises_within_the_window(
    running_influxdb: InfluxDB, influx_database: str
) -> None:
    settings = v1(
        running_influxdb.url,
        influx_database,
        username="u",
        password=SECRET,
        retry_window_s=1.5,
        max_retry_delay_s=0.3,
        timeout_s=1.0,
    )
    running_influxdb.stop()
    try:
        async with InfluxSink(settings) as sink:
            assert not await sink.ping()
            started = time.monotonic()
            with pytest.raises(SinkUnavailable) as caught:
                await sink.write([f"m f=1i {T0}"])
            elapsed = time.monotonic() - started
            assert 1.5 <= elapsed < 1.5 + 0.3 + 1.0
            assert sink.retries >= 3
            assert SECRET not in str(caught.value)
            assert SECRET not in repr(caught.value)
    finally:
        running_influxdb.start()
    async with InfluxSink(settings) as sink:
        assert await sink.ping()
        assert await sink.write([f"m f=1i {T0}"]) == []


async def test_v2_to_victoria_metrics(victoria_metrics: VictoriaMetrics) -> None:
    measurement = f"vm_{uuid.uuid4().hex[:8]}"
    series = series_key(measurement, [("device", "a1"), ("site", "north field")])
    t_ms = 1_700_000_000_123
    lines = [
        line(series, [("temperature", 21.5), ("count", 7), ("note", "text")], t_ms * 1_000_000),
        line(series, [("temperature", 22.25), ("count", 8)], (t_ms + 1000) * 1_000_000),
    ]
    settings = InfluxSettings(api="v2", url=victoria_metrics.url, bucket="lorahub", token=SECRET)
    async with InfluxSink(settings) as sink:
        assert await sink.ping()
        assert await sink.write(lines) == []
        assert await sink.write(lines) == []
    victoria_metrics.flush()
    async with httpx.AsyncClient() as client:
        response = await client.get(
            f"{victoria_metrics.url}/api/v1/export",
            params={"match[]": f'{{__name__=~"{measurement}_(temperature|count)"}}'},
        )
    exported = {
        item["metric"]["__name__"]: item for item in map(json.loads, response.text.splitlines())
    }
    assert set(exported) == {f"{measurement}_temperature", f"{measurement}_count"}
    temperature = exported[f"{measurement}_temperature"]
    assert temperature["metric"] == {
        "__name__": f"{measurement}_temperature",
        "device": "a1",
        "site": "north field",
    }
    # Without -dedup.minScrapeInterval VictoriaMetrics keeps a raw duplicate of a re-sent sample
    # (same time, same value); queries see one value per timestamp either way.
    samples = set(zip(temperature["timestamps"], temperature["values"], strict=True))
    assert samples == {(t_ms, 21.5), (t_ms + 1000, 22.25)}
    count = exported[f"{measurement}_count"]
    assert set(zip(count["timestamps"], count["values"], strict=True)) == {
        (t_ms, 7),
        (t_ms + 1000, 8),
    }


def test_unknown_api_is_refused() -> None:
    settings = InfluxSettings.model_construct(**{**InfluxSettings().model_dump(), "api": "v3"})
    with pytest.raises(ValueError, match=r"unknown influx\.api"):
        InfluxSink(settings)


class StandIn:
    """A tiny third-party write endpoint: scripted answers first, then 413 over ``limit``."""

    def __init__(self) -> None:
        self.limit: int | None = None
        self.script: list[tuple[int, dict[str, str]]] = []
        self.bodies: list[bytes] = []
        self.lines: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stand_in.bodies.append(body)
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                status, headers = stand_in.answer(body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                payload = b"" if status == 204 else b'{"error":"stand-in says %d"}' % status
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, body: bytes) -> tuple[int, dict[str, str]]:
        if self.script:
            return self.script.pop(0)
        if self.limit is not None and len(body) > self.limit:
            return 413, {}
        self.lines.extend(body.decode().split("\n"))
        return 204, {}


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    server = StandIn()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
    thread.join()


def stand_in_settings(stand_in: StandIn, **overrides: Any) -> InfluxSettings:
    return InfluxSettings(api="v2", url=stand_in.url, token=SECRET, **overrides)


async def test_413_splits_the_batch(stand_in: StandIn) -> None:
    stand_in.limit = 300
    lines = [f"m,device=d{i:02} value={i}i {T0 + i}" for i in range(40)]
    huge = f'm,device=huge value="{"x" * 400}" {T0}'
    async with InfluxSink(stand_in_settings(stand_in, gzip=False)) as sink:
        rejected = await sink.write([*lines, huge])
    assert sorted(stand_in.lines) == sorted(lines)
    assert rejected == [RejectedLine(huge, 413, "stand-in says 413")]
    assert stand_in.bodies[0].count(b"\n") == 40  # the whole batch was tried first
    assert sink.requests == len(stand_in.bodies) > 2


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds_is_waited(stand_in: StandIn, status: int) -> None:
    stand_in.script = [(status, {"Retry-After": "1"})]
    async with InfluxSink(stand_in_settings(stand_in)) as sink:
        started = time.monotonic()
        assert await sink.write([f"m v=1i {T0}"]) == []
        elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 2.0
    assert stand_in.lines == [f"m v=1i {T0}"]
    assert sink.retries == 1


async def test_retry_after_http_date_is_capped(stand_in: StandIn) -> None:
    later = email.utils.formatdate(time.time() + 3600, usegmt=True)
    stand_in.script = [(429, {"Retry-After": later}), (503, {"Retry-After": "3600"})]
    async with InfluxSink(stand_in_settings(stand_in, max_retry_delay_s=0.4)) as sink:
        started = time.monotonic()
        assert await sink.write([f"m v=1i {T0}"]) == []
        elapsed = time.monotonic() - started
    assert 0.8 <= elapsed < 1.8
    assert sink.retries == 2


async def test_server_errors_are_retried_with_backoff(stand_in: StandIn) -> None:
    stand_in.script = [(500, {}), (502, {})]
    async with InfluxSink(stand_in_settings(stand_in)) as sink:
        assert await sink.write([f"m v=1i {T0}"]) == []
    assert sink.retries == 2
    assert stand_in.lines == [f"m v=1i {T0}"]


async def test_overload_beyond_the_window_is_unavailable(stand_in: StandIn) -> None:
    stand_in.script = [(503, {"Retry-After": "0.2"})] * 100
    settings = stand_in_settings(stand_in, retry_window_s=1.0)
    async with InfluxSink(settings) as sink:
        started = time.monotonic()
        with pytest.raises(SinkUnavailable, match="503 stand-in says 503") as caught:
            await sink.write([f"m v=1i {T0}"])
    assert time.monotonic() - started < 1.5
    assert SECRET not in str(caught.value)


async def test_bad_token_is_not_dropped(stand_in: StandIn) -> None:
    stand_in.script = [(401, {})]
    async with InfluxSink(stand_in_settings(stand_in)) as sink:
        with pytest.raises(SinkMisconfigured, match="401"):
            await sink.write([f"m v=1i {T0}", f"m v=2i {T0 + 1}"])
    assert sink.rejected == 0
