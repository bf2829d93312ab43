"""Parcel stations: fill level per station and compartment, fill rate and time to full."""

from __future__ import annotations

from grafana_foundation_sdk.builders.bargauge import Panel as BarGaugePanel
from grafana_foundation_sdk.models.dashboard import Dashboard

from lorahub.dashboards.datasource import influx_datasource
from lorahub.dashboards.influxql import INTERVAL, SCOPE, InfluxQLTarget, Select, call
from lorahub.dashboards.layout import LAST, bands, frame, trend
from lorahub.pipeline.points import READINGS

UID = "lorahub-parcel-stations"
BY_BOX = "$tag_site / $tag_device"
BOX = ["site", "device"]
FILLING = ((None, "green"), (70, "orange"), (90, "red"))

LEVEL_NOW = Select([call("last", "fill_level")], READINGS, SCOPE, BOX)
LEVEL = Select([call("mean", "fill_level")], READINGS, SCOPE, BOX, every=INTERVAL, fill="none")
HOURLY = Select(
    [
        call("mean", "fill_level", "level"),
        'non_negative_derivative(mean("fill_level"), 1h) AS "rate"',
    ],
    READINGS,
    SCOPE,
    BOX,
    every="1h",
)
"""Hourly level and fill rate (%/h); emptying a box is a negative change and is left out."""
FILL_RATE = Select(
    ['non_negative_derivative(mean("fill_level"), 1h) AS "rate"'], READINGS, SCOPE, BOX, every="1h"
)
OUTLOOK = Select(
    [call("last", "level", "level"), call("mean", "rate", "rate")], HOURLY, group_by=BOX
)
"""Per box: the newest hourly level and the mean filling rate over the time range."""
TIME_TO_FULL = Select(['(100 - "level") / "rate" AS "hours_to_full"'], OUTLOOK, ['"rate" > 0'], BOX)


def _levels(
    title: str, select: Select, unit: str, maximum: float, description: str
) -> BarGaugePanel:
    return (
        BarGaugePanel()
        .title(title)
        .description(description)
        .datasource(influx_datasource())
        .with_target(InfluxQLTarget(select, alias=BY_BOX))
        .unit(unit)
        .min(0)
        .max(maximum)
        .reduce_options(LAST)
        .span(12)
        .height(9)
    )


def dashboard() -> Dashboard:
    """The parcel stations dashboard."""
    return (
        frame(UID, "Parcel stations", "Fill level of every compartment and when it will be full.")
        .with_panel(
            _levels(
                "Fill level now", LEVEL_NOW, "percent", 100, "Newest level per compartment."
            ).thresholds(bands(*FILLING))
        )
        .with_panel(
            _levels(
                "Time to full",
                TIME_TO_FULL,
                "h",
                168,
                "Hours until 100 % at the mean filling rate of the time range (boxes that fill).",
            ).thresholds(bands((None, "red"), (12, "orange"), (48, "green")))
        )
        .with_panel(trend("Fill level", LEVEL, BY_BOX, "percent", FILLING).span(24))
        .with_panel(trend("Filling rate", FILL_RATE, BY_BOX, "suffix: %/h").span(24))
        .build()
    )
