"""Every query of every dashboard, substituted as Grafana would, returns data from real InfluxDB."""

from __future__ import annotations

import json

import pytest

from lorahub.daemons import InfluxDB
from lorahub.dashboards.fleet import UNASSIGNED
from lorahub.dashboards.render import render_all
from tests.dashboards.demo_points import HOUR, STRANGER
from tests.dashboards.grafana_queries import Grafana, Query, choose, dashboard_queries, run_influxql

TAGS = {"tenant", "site", "dev_eui", "device", "model", "reason", "rule", "severity"}
ALL_QUERIES = [
    pytest.param(query, id=f"{name.removesuffix('.json')}: {query.where}")
    for name, text in render_all().items()
    for query in dashboard_queries(json.loads(text))
]
Village = tuple[InfluxDB, str, int]


def _grafana(village: Village, tenants: list[str] | None) -> tuple[Grafana, list[str], list[str]]:
    server, database, end_ns = village
    grafana = Grafana((end_ns - 25 * HOUR) // 10**6, end_ns // 10**6 + 1)
    chosen, sites = choose(server, database, grafana, tenants)
    return grafana, chosen, sites


def test_variables_list_tenants_and_their_sites(demo_village: Village) -> None:
    _, tenants, _ = _grafana(demo_village, None)
    assert tenants == ["birkenfeld", "eichstetten", "lindenau"], "no tenant-less series leak in"
    _, _, sites = _grafana(demo_village, ["lindenau"])
    assert sites and all(site.startswith("lindenau-") for site in sites)


@pytest.mark.parametrize("tenants", [None, ["lindenau"]], ids=["all tenants", "one tenant"])
@pytest.mark.parametrize("query", ALL_QUERIES)
def test_query_returns_data(demo_village: Village, query: Query, tenants: list[str] | None) -> None:
    server, database, _ = demo_village
    grafana, _, _ = _grafana(demo_village, tenants)
    rows = run_influxql(server, database, grafana.substitute(query.text))
    values = [row[key] for row in rows for key in row if key != "time" and key not in TAGS]
    assert any(value is not None for value in values), f"no data for {query.where}"
    if tenants is not None:  # demo sites and devices are named after their municipality
        named = {str(row[tag]) for row in rows for tag in ("site", "device") if tag in row}
        assert all(name.startswith(f"{tenants[0]}-") for name in named), named


def test_unknown_devices_show_only_without_a_tenant(demo_village: Village) -> None:
    server, database, _ = demo_village
    grafana, _, _ = _grafana(demo_village, None)
    rows = run_influxql(server, database, grafana.substitute(UNASSIGNED.text()))
    assert rows, "the stranger's dead letters"
    assert {row["dev_eui"] for row in rows} == {STRANGER.dev_eui}
