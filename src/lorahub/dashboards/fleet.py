"""Fleet health: last seen per device, battery, radio quality, gateways and dead letters."""

from __future__ import annotations

from grafana_foundation_sdk.builders.bargauge import Panel as BarGaugePanel
from grafana_foundation_sdk.builders.table import Panel as TablePanel
from grafana_foundation_sdk.models.common import GraphDrawStyle
from grafana_foundation_sdk.models.dashboard import Dashboard, DynamicConfigValue

from lorahub.dashboards.datasource import influx_datasource
from lorahub.dashboards.influxql import (
    INTERVAL,
    SCOPE,
    TIME_FILTER,
    InfluxQLTarget,
    Select,
    call,
)
from lorahub.dashboards.layout import LAST, Band, bands, frame, table, trend
from lorahub.pipeline.points import DEAD_LETTERS, READINGS, UPLINKS

UID = "lorahub-fleet-health"
BY_DEVICE = "$tag_device"
IDENTITY = ["site", "device", "dev_eui", "model"]
CHARGE: tuple[Band, ...] = ((None, "red"), (20, "orange"), (40, "green"))

LAST_SEEN = Select([call("last", "f_cnt", "f_cnt")], UPLINKS, SCOPE, IDENTITY)
"""One row per device; the row's time is its newest uplink (a single selector keeps it)."""
BATTERY = Select([call("last", "battery")], READINGS, SCOPE, ["device"])
BATTERY_VOLTAGE = Select([call("last", "battery_voltage")], READINGS, SCOPE, ["device"])
UPLINK_COUNT = Select([call("count", "f_port")], UPLINKS, SCOPE, ["site"], every=INTERVAL, fill="0")


def radio(field: str, function: str = "mean") -> Select:
    """``function`` of an ``uplinks`` field per device and interval."""
    return Select([call(function, field)], UPLINKS, SCOPE, ["device"], every=INTERVAL, fill="none")


DEAD_LETTERS_BY_REASON = Select(
    [call("sum", "count")], DEAD_LETTERS, SCOPE, ["reason"], every=INTERVAL, fill="0"
)
UNASSIGNED = Select(
    [call("sum", "count", "messages")],
    DEAD_LETTERS,
    [TIME_FILTER, "\"tenant\" = ''"],
    ["reason", "dev_eui"],
)
"""Dead letters naming no registered device (no tenant tag), e.g. DevEUIs not yet claimed."""


def _last_seen() -> TablePanel:
    as_age = [
        DynamicConfigValue(id_val="displayName", value="Last seen"),
        DynamicConfigValue(id_val="unit", value="dateTimeFromNow"),
    ]
    return table(
        "Last seen", LAST_SEEN, "Newest uplink of every device and its frame counter."
    ).override_by_name("Time", as_age)


def _battery(title: str, select: Select, unit: str, limits: tuple[Band, ...]) -> BarGaugePanel:
    return (
        BarGaugePanel()
        .title(title)
        .datasource(influx_datasource())
        .with_target(InfluxQLTarget(select, alias=BY_DEVICE))
        .unit(unit)
        .thresholds(bands(*limits))
        .reduce_options(LAST)
        .span(12)
        .height(9)
    )


def dashboard() -> Dashboard:
    """The fleet health dashboard."""
    volts: tuple[Band, ...] = ((None, "red"), (2.9, "orange"), (3.2, "green"))
    return (
        frame(UID, "Fleet health", "Are the devices alive, powered and heard well?")
        .with_panel(_last_seen())
        .with_panel(_battery("Battery", BATTERY, "percent", CHARGE).min(0).max(100))
        .with_panel(_battery("Battery voltage", BATTERY_VOLTAGE, "volt", volts))
        .with_panel(trend("RSSI (best gateway)", radio("rssi"), BY_DEVICE, "dBm"))
        .with_panel(trend("SNR", radio("snr"), BY_DEVICE, "dB"))
        .with_panel(trend("Gateways per uplink", radio("gateways", "min"), BY_DEVICE, "none"))
        .with_panel(trend("Uplinks", UPLINK_COUNT, "$tag_site", "none"))
        .with_panel(
            trend("Dead letters by reason", DEAD_LETTERS_BY_REASON, "$tag_reason", "none")
            .draw_style(GraphDrawStyle.BARS)
            .span(24)
        )
        .with_panel(
            table("Dead letters of unknown devices", UNASSIGNED, "Messages naming no device.")
        )
        .build()
    )
