"""Every query of every dashboard, substituted as Grafana would, returns data from real InfluxDB."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from lorahub.daemons import InfluxDB
from lorahub.dashboards.fleet import UNASSIGNED
from lorahub.dashboards.render import render_all
from lorahub.dashboards.variables import ALL_SITES, SITE_QUERY, TENANT_QUERY
from tests.dashboards.demo_points import HOUR, STRANGER

TAGS = {"tenant", "site", "dev_eui", "device", "model", "reason", "rule", "severity"}
INTERVAL = "10m"
"""What Grafana would pick for ``$__interval`` on a day at about 150 points."""


@dataclass(frozen=True)
class Query:
    """One InfluxQL text of a dashboard, where it sits."""

    where: str
    text: str


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def _queries(dashboard: dict[str, Any]) -> Iterator[Query]:
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            yield Query(f"variable {variable['name']}", variable["query"])
    for panel in _panels(dashboard["panels"]):
        for target in panel.get("targets", []):
            yield Query(f"panel {panel['title']!r} {target['refId']}", target["query"])


ALL_QUERIES = [
    pytest.param(query, id=f"{name.removesuffix('.json')}: {query.where}")
    for name, text in render_all().items()
    for query in _queries(json.loads(text))
]


def _regex_value(values: list[str]) -> str:
    """Grafana's form of a multi-value variable inside ``=~ /^...$/``: ``(a|b)``, escaped."""
    return "(" + "|".join(re.escape(value) for value in values) + ")"


def _run(server: InfluxDB, database: str, influxql: str) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{server.url}/query", params={"db": database, "q": influxql, "epoch": "ms"}, timeout=30
    )
    answer.raise_for_status()
    result = answer.json()["results"][0]
    assert "error" not in result, f"{result['error']}\n{influxql}"
    rows = []
    for series in result.get("series", []):
        tags = series.get("tags", {})
        rows += [tags | dict(zip(series["columns"], row, strict=True)) for row in series["values"]]
    return rows


def _values(server: InfluxDB, database: str, influxql: str) -> list[str]:
    return sorted(str(row["value"]) for row in _run(server, database, influxql))


@dataclass
class Grafana:
    """Substitutes macros and variables the way Grafana's InfluxDB data source does."""

    from_ms: int
    to_ms: int
    variables: dict[str, str]

    def substitute(self, text: str) -> str:
        text = text.replace("$timeFilter", f"time >= {self.from_ms}ms and time <= {self.to_ms}ms")
        text = text.replace("$__interval", INTERVAL)
        for name, value in self.variables.items():
            text = text.replace(f"${name}", value)
        assert re.search(r"\$[\w{]", text) is None, f"unsubstituted variable in {text}"
        return text


def _grafana(
    village: tuple[InfluxDB, str, int], tenants: list[str] | None
) -> tuple[Grafana, list[str], list[str]]:
    server, database, end_ns = village
    grafana = Grafana((end_ns - 25 * HOUR) // 10**6, end_ns // 10**6 + 1, {})
    chosen = tenants or _values(server, database, TENANT_QUERY)
    grafana.variables["tenant"] = _regex_value(chosen)
    sites = _values(server, database, grafana.substitute(SITE_QUERY))
    # "All" sites is the variable's custom all value; a chosen tenant lists its sites
    grafana.variables["site"] = ALL_SITES if tenants is None else _regex_value(sites)
    return grafana, chosen, sites


def test_variables_list_tenants_and_their_sites(demo_village: tuple[InfluxDB, str, int]) -> None:
    _, tenants, _ = _grafana(demo_village, None)
    assert tenants == ["birkenfeld", "eichstetten", "lindenau"], "no tenant-less series leak in"
    _, _, sites = _grafana(demo_village, ["lindenau"])
    assert sites and all(site.startswith("lindenau-") for site in sites)


@pytest.mark.parametrize("tenants", [None, ["lindenau"]], ids=["all tenants", "one tenant"])
@pytest.mark.parametrize("query", ALL_QUERIES)
def test_query_returns_data(
    demo_village: tuple[InfluxDB, str, int], query: Query, tenants: list[str] | None
) -> None:
    server, database, _ = demo_village
    grafana, _, _ = _grafana(demo_village, tenants)
    rows = _run(server, database, grafana.substitute(query.text))
    values = [row[key] for row in rows for key in row if key != "time" and key not in TAGS]
    assert any(value is not None for value in values), f"no data for {query.where}"
    for row in rows:
        if "tenant" in row:
            assert tenants is None or row["tenant"] in tenants


def test_unknown_devices_show_only_without_a_tenant(
    demo_village: tuple[InfluxDB, str, int],
) -> None:
    server, database, _ = demo_village
    grafana, _, _ = _grafana(demo_village, None)
    rows = _run(server, database, grafana.substitute(UNASSIGNED.text()))
    assert rows, "the stranger's dead letters"
    assert {row["dev_eui"] for row in rows} == {STRANGER.dev_eui}
