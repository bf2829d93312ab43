"""What every lorahub dashboard shares: its frame (tags, time, variables) and panel parts."""

from __future__ import annotations

from collections.abc import Sequence

from grafana_foundation_sdk.builders.common import GraphThresholdsStyleConfig, ReduceDataOptions
from grafana_foundation_sdk.builders.dashboard import Dashboard, ThresholdsConfig
from grafana_foundation_sdk.builders.stat import Panel as StatPanel
from grafana_foundation_sdk.builders.table import Panel as TablePanel
from grafana_foundation_sdk.builders.timeseries import Panel as TimeseriesPanel
from grafana_foundation_sdk.models.common import (
    BigValueColorMode,
    BigValueGraphMode,
    GraphThresholdsStyleMode,
)
from grafana_foundation_sdk.models.dashboard import (
    DashboardCursorSync,
    DataTransformerConfig,
    Threshold,
    ThresholdsMode,
    ValueMap,
    ValueMapping,
    ValueMappingResult,
)

from lorahub.dashboards.datasource import influx_datasource
from lorahub.dashboards.influxql import InfluxQLTarget, Select
from lorahub.dashboards.variables import site_variable, tenant_variable

TAG = "lorahub"
LAST = ReduceDataOptions().calcs(["lastNotNull"]).values(False)
"""Stat and gauge panels show each series' newest value."""

Band = tuple[float | None, str]
"""A threshold step: from this value (None: from minus infinity) on, this colour."""


def frame(uid: str, title: str, description: str, time_from: str = "now-24h") -> Dashboard:
    """A dashboard with lorahub's tags, time range, refresh and the tenant/site variables."""
    return (
        Dashboard(title)
        .uid(uid)
        .description(description)
        .tags([TAG])
        .time(time_from, "now")
        .refresh("1m")
        .timezone("browser")
        .tooltip(DashboardCursorSync.CROSSHAIR)
        .with_variable(tenant_variable())
        .with_variable(site_variable())
    )


def bands(*steps: Band) -> ThresholdsConfig:
    """Absolute thresholds from ``steps`` (the first should start at None)."""
    return (
        ThresholdsConfig()
        .mode(ThresholdsMode.ABSOLUTE)
        .steps([Threshold(value=value, color=color) for value, color in steps])
    )


def value_texts(texts: Sequence[tuple[str, str, str]]) -> list[ValueMapping]:
    """Value mappings: (value, text, colour) each."""
    options = {value: ValueMappingResult(text=text, color=color) for value, text, color in texts}
    return [ValueMap(options=options)]


def trend(
    title: str, select: Select, alias: str, unit: str, limits: Sequence[Band] = ()
) -> TimeseriesPanel:
    """A time series panel, one line per ``alias``; threshold bands are shaded behind the lines."""
    panel = (
        TimeseriesPanel()
        .title(title)
        .datasource(influx_datasource())
        .with_target(InfluxQLTarget(select, alias=alias))
        .unit(unit)
        .span(12)
        .height(8)
    )
    if limits:
        panel = panel.thresholds(bands(*limits)).thresholds_style(
            GraphThresholdsStyleConfig().mode(GraphThresholdsStyleMode.LINE_AND_AREA)
        )
    return panel


def current(
    title: str, select: Select, alias: str, unit: str, limits: Sequence[Band] = ()
) -> StatPanel:
    """A stat panel with each series' newest value, coloured by ``limits``."""
    panel = (
        StatPanel()
        .title(title)
        .datasource(influx_datasource())
        .with_target(InfluxQLTarget(select, alias=alias))
        .unit(unit)
        .reduce_options(LAST)
        .color_mode(BigValueColorMode.BACKGROUND)
        .graph_mode(BigValueGraphMode.NONE)
        .span(12)
        .height(5)
    )
    return panel.thresholds(bands(*limits)) if limits else panel


def table(title: str, select: Select, description: str) -> TablePanel:
    """A full-width table of a ``table`` query, its series (one per tag set) merged into one."""
    return (
        TablePanel()
        .title(title)
        .description(description)
        .datasource(influx_datasource())
        .with_target(InfluxQLTarget(select, result_format="table"))
        .with_transformation(DataTransformerConfig(id_val="merge", options={}))
        .span(24)
        .height(9)
    )
