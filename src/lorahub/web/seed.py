"""Start the live board from what is stored: device state for "now", InfluxDB for today."""

from __future__ import annotations

import httpx
import structlog
from pydantic import BaseModel

from lorahub.adapters.device_state_sql import SqlDeviceState
from lorahub.domain.ids import DevEui
from lorahub.settings import InfluxSettings
from lorahub.web.live import LiveBoard
from lorahub.web.presence import presence_of

log = structlog.get_logger("lorahub.web")


def seed_from_state(board: LiveBoard, state: SqlDeviceState) -> int:
    """Note every device's stored presence values on ``board``; how many devices had some."""
    items = []
    for activity in state.activities():
        presence = presence_of(activity.readings, activity.readings_ns or activity.last_seen_ns)
        if presence is not None:
            items.append((activity.dev_eui, presence))
    board.seed_latest(items)
    return len(items)


class _Series(BaseModel):
    tags: dict[str, str] = {}
    columns: list[str]
    values: list[list[int | float | None]]


class _Result(BaseModel):
    series: list[_Series] = []
    error: str | None = None


class _Answer(BaseModel):
    results: list[_Result] = []


def today_query(settings: InfluxSettings, day_start_ns: int) -> str:
    """The InfluxQL query of today's 15-minute maxima of the presence quantities per device."""
    measurement = '"readings"'
    if settings.api == "v1" and settings.retention_policy:
        measurement = f'"{settings.retention_policy}".{measurement}'
    # Only numbers and the configured retention policy go into the text: nothing a request sends.
    return (
        'SELECT max("people_count") AS people_count, max("occupancy") AS occupancy, '  # noqa: S608
        f'max("fill_level") AS fill_level FROM {measurement} '
        f'WHERE time >= {day_start_ns} GROUP BY time(15m), "dev_eui" fill(none)'
    )


async def seed_today(board: LiveBoard, settings: InfluxSettings) -> int:
    """Add today's buckets from InfluxDB's v1 query API; 0 devices when it is not available.

    InfluxDB 1.x answers with ``database``; 2.x and 3.x answer the same API with the bucket
    (given a DBRP mapping) and a token. When the query fails (VictoriaMetrics has no InfluxQL),
    the sparklines start empty and fill from live uplinks.
    """
    query = today_query(settings, board.day_start_ns())
    params = {"q": query, "epoch": "ns"}
    headers: dict[str, str] = {}
    if settings.api == "v1":
        params["db"] = settings.database
        if settings.username and settings.password:
            params["u"] = settings.username
            params["p"] = settings.password.get_secret_value()
    else:
        params["db"] = settings.bucket
        if settings.token is not None:
            headers["Authorization"] = f"Token {settings.token.get_secret_value()}"
    try:
        async with httpx.AsyncClient(timeout=settings.timeout_s) as client:
            response = await client.get(f"{settings.url}/query", params=params, headers=headers)
        response.raise_for_status()
        answer = _Answer.model_validate_json(response.content)
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("today's sparklines start empty: no InfluxQL answer", error=type(exc).__name__)
        return 0
    return _note_series(board, answer)  # on the loop, as ``collect`` writes the same board


def _note_series(board: LiveBoard, answer: _Answer) -> int:
    devices = 0
    for result in answer.results:
        for series in result.series:
            dev_eui = series.tags.get("dev_eui")
            if dev_eui is None:
                continue
            buckets: dict[int, float] = {}
            for row in series.values:
                named = dict(zip(series.columns, row, strict=False))
                levels = [named.get(name) for name in ("people_count", "occupancy", "fill_level")]
                level = next((value for value in levels if value is not None), None)
                start = named.get("time")
                if isinstance(start, int) and level is not None:
                    buckets[start] = float(level)
            board.seed_buckets(DevEui(dev_eui), buckets)
            devices += 1
    return devices
