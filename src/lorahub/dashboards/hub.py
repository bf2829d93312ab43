"""Hub occupancy: rooms in use, people, visitors today, use per hour, utilisation of capacity."""

from __future__ import annotations

from grafana_foundation_sdk.builders.bargauge import Panel as BarGaugePanel
from grafana_foundation_sdk.builders.heatmap import Panel as HeatmapPanel
from grafana_foundation_sdk.builders.stat import Panel as StatPanel
from grafana_foundation_sdk.models.dashboard import Dashboard

from lorahub.dashboards.datasource import influx_datasource
from lorahub.dashboards.influxql import INTERVAL, SCOPE, InfluxQLTarget, Select, call
from lorahub.dashboards.layout import LAST, bands, current, frame, trend, value_texts
from lorahub.pipeline.points import READINGS

UID = "lorahub-hub-occupancy"
BY_ROOM = "$tag_site"
TODAY = "now/d"
FULLNESS = ((None, "green"), (80, "orange"), (100, "red"))

OCCUPIED_NOW = Select([call("last", "occupancy")], READINGS, SCOPE, ["site"])
PEOPLE_NOW = Select([call("last", "people_count")], READINGS, SCOPE, ["site"])
ENTRIES = Select(
    ['non_negative_difference("people_in") AS "entered"'], READINGS, SCOPE, ["site", "device"]
)
"""Entries between consecutive readings of each cumulative counter (a wrap is left out)."""
VISITORS_TODAY = Select([call("sum", "entered")], ENTRIES, group_by=["site"])
PEAK_TODAY = Select([call("max", "people_count")], READINGS, SCOPE, ["site"])
IN_USE_PER_HOUR = Select(
    ['mean("occupancy") * 100 AS "in_use"'], READINGS, SCOPE, ["site"], every="1h", fill="none"
)
UTILISATION_NOW = Select(
    ['last("people_count") / last("capacity") * 100 AS "utilisation"'], READINGS, SCOPE, ["site"]
)
UTILISATION = Select(
    ['mean("people_count") / mean("capacity") * 100 AS "utilisation"'],
    READINGS,
    SCOPE,
    ["site"],
    every=INTERVAL,
    fill="none",
)


def _today(title: str, select: Select, description: str) -> StatPanel:
    return (
        current(title, select, BY_ROOM, "none").description(description).time_from(TODAY).span(12)
    )


def _heatmap() -> HeatmapPanel:
    return (
        HeatmapPanel()
        .title("Rooms in use per hour")
        .description("Share of readings per hour that reported the room occupied, per room.")
        .datasource(influx_datasource())
        .with_target(InfluxQLTarget(IN_USE_PER_HOUR, alias=BY_ROOM))
        .calculate(False)
        .unit("percent")
        .span(24)
        .height(9)
    )


def _utilisation_now() -> BarGaugePanel:
    return (
        BarGaugePanel()
        .title("Utilisation now")
        .description("People present against the room's capacity from the registry.")
        .datasource(influx_datasource())
        .with_target(InfluxQLTarget(UTILISATION_NOW, alias=BY_ROOM))
        .unit("percent")
        .min(0)
        .max(120)
        .thresholds(bands(*FULLNESS))
        .reduce_options(LAST)
        .span(8)
        .height(8)
    )


def dashboard() -> Dashboard:
    """The hub occupancy dashboard."""
    occupied = value_texts([("0", "free", "green"), ("1", "in use", "red")])
    return (
        frame(UID, "Hub occupancy", "Rooms of the village hubs: use, people and capacity.")
        .with_panel(
            current("Occupied now", OCCUPIED_NOW, BY_ROOM, "none").mappings(occupied).span(12)
        )
        .with_panel(current("People now", PEOPLE_NOW, BY_ROOM, "none").span(12))
        .with_panel(_today("Visitors today", VISITORS_TODAY, "Entries counted at the doors."))
        .with_panel(_today("Peak people today", PEAK_TODAY, "Most people present at once."))
        .with_panel(_heatmap())
        .with_panel(_utilisation_now())
        .with_panel(trend("Utilisation", UTILISATION, BY_ROOM, "percent", FULLNESS).span(16))
        .build()
    )
