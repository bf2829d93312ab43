"""Alerts: what fires now, the history of every alert, and counts per rule and severity."""

from __future__ import annotations

from grafana_foundation_sdk.builders.bargauge import Panel as BarGaugePanel
from grafana_foundation_sdk.models.common import GraphDrawStyle
from grafana_foundation_sdk.models.dashboard import Dashboard, DynamicConfigValue

from lorahub.dashboards.datasource import influx_datasource
from lorahub.dashboards.influxql import INTERVAL, SCOPE, InfluxQLTarget, Select, call
from lorahub.dashboards.layout import LAST, frame, table, trend

UID = "lorahub-alerts"
ALERTS = "alerts"
SUBJECT = ["rule", "severity", "site", "device"]
RAISED = "\"state\" = 'firing'"

NEWEST_STATE = Select([call("last", "state", "state")], ALERTS, SCOPE, SUBJECT)
FIRING = Select(['"state"'], NEWEST_STATE, [RAISED], SUBJECT)
"""Rule and device pairs whose newest state is ``firing``; the time is when it fired."""
HISTORY = Select(
    ['"alert_id"', '"state"', '"value"'],
    ALERTS,
    SCOPE,
    SUBJECT,
    tail="ORDER BY time DESC LIMIT 500",
)
PER_RULE = Select(
    [call("count", "alert_id", "raised")], ALERTS, [*SCOPE, RAISED], ["rule", "severity"]
)
PER_SEVERITY = Select(
    [call("count", "alert_id", "raised")],
    ALERTS,
    [*SCOPE, RAISED],
    ["severity"],
    every=INTERVAL,
    fill="0",
)


def _per_rule() -> BarGaugePanel:
    return (
        BarGaugePanel()
        .title("Alerts raised per rule and severity")
        .datasource(influx_datasource())
        .with_target(InfluxQLTarget(PER_RULE, alias="$tag_rule ($tag_severity)"))
        .unit("none")
        .reduce_options(LAST)
        .span(12)
        .height(8)
    )


def dashboard() -> Dashboard:
    """The alerts dashboard."""
    since = [DynamicConfigValue(id_val="displayName", value="Firing since")]
    return (
        frame(UID, "Alerts", "Alert rules firing now and what happened before.", "now-7d")
        .with_panel(
            table(
                "Firing now",
                FIRING,
                "Rule and device pairs whose newest state within the time range is firing.",
            ).override_by_name("Time", since)
        )
        .with_panel(_per_rule())
        .with_panel(
            trend("Alerts raised by severity", PER_SEVERITY, "$tag_severity", "none").draw_style(
                GraphDrawStyle.BARS
            )
        )
        .with_panel(table("History", HISTORY, "Every state change, newest first."))
        .build()
    )
