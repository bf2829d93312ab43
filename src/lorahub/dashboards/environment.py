"""Indoor climate per room: temperature, relative humidity and CO2 against comfort bands."""

from __future__ import annotations

from grafana_foundation_sdk.models.dashboard import Dashboard

from lorahub.dashboards.influxql import INTERVAL, SCOPE, Select, call
from lorahub.dashboards.layout import Band, current, frame, trend
from lorahub.pipeline.points import READINGS

UID = "lorahub-environment"
BY_ROOM = "$tag_site"

TEMPERATURE: tuple[Band, ...] = ((None, "blue"), (18, "green"), (24, "orange"), (26, "red"))
"""Below 18 °C cold, 18-24 °C comfortable, 24-26 °C warm, above 26 °C hot."""
HUMIDITY: tuple[Band, ...] = (
    (None, "orange"),
    (30, "yellow"),
    (40, "green"),
    (60, "yellow"),
    (70, "orange"),
)
"""Relative humidity: 40-60 % comfortable, 30-40 % and 60-70 % acceptable, outside poor."""
CO2: tuple[Band, ...] = ((None, "green"), (1000, "yellow"), (1400, "red"))
"""CO2: below 1000 ppm good, below 1400 ppm fair, above poor (ventilate)."""

QUANTITIES = (
    ("Temperature", "temperature", "celsius", TEMPERATURE),
    ("Relative humidity", "relative_humidity", "humidity", HUMIDITY),
    ("CO2", "co2", "ppm", CO2),
)


def latest(field: str) -> Select:
    """The newest value of ``field`` per room."""
    return Select([call("last", field)], READINGS, SCOPE, ["site"])


def history(field: str) -> Select:
    """The mean of ``field`` per room and interval."""
    return Select([call("mean", field)], READINGS, SCOPE, ["site"], every=INTERVAL, fill="none")


def dashboard() -> Dashboard:
    """The environment dashboard."""
    board = frame(UID, "Environment", "Temperature, humidity and CO2 per room, with comfort bands.")
    for title, field, unit, limits in QUANTITIES:
        board = board.with_panel(
            current(f"{title} now", latest(field), BY_ROOM, unit, limits).span(8)
        )
    for title, field, unit, limits in QUANTITIES:
        board = board.with_panel(trend(title, history(field), BY_ROOM, unit, limits).span(24))
    return board.build()
