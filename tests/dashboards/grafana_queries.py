"""Dashboard queries as Grafana's InfluxDB data source sends them: extracted, substituted, run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from lorahub.daemons import InfluxDB
from lorahub.dashboards.variables import ALL_SITES, SITE_QUERY, TENANT_QUERY


@dataclass(frozen=True)
class Query:
    """One InfluxQL text of a dashboard, and where it sits."""

    where: str
    text: str


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def dashboard_queries(dashboard: dict[str, Any]) -> Iterator[Query]:
    """Every template variable query and every panel target query of a dashboard's JSON."""
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            yield Query(f"variable {variable['name']}", variable["query"])
    for panel in _panels(dashboard["panels"]):
        for target in panel.get("targets", []):
            yield Query(f"panel {panel['title']!r} {target['refId']}", target["query"])


def regex_value(values: list[str]) -> str:
    """Grafana's form of a multi-value variable inside ``=~ /^...$/``: ``(a|b)``, escaped."""
    return "(" + "|".join(re.escape(value) for value in values) + ")"


def run_influxql(server: InfluxDB, database: str, influxql: str) -> list[dict[str, Any]]:
    """Rows (tags merged into the columns) of one statement; an InfluxQL error fails."""
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


@dataclass
class Grafana:
    """Substitutes macros and variables the way Grafana's InfluxDB data source does."""

    from_ms: int
    to_ms: int
    interval: str = "10m"
    variables: dict[str, str] = field(default_factory=dict)

    def substitute(self, text: str) -> str:
        """``text`` with ``$timeFilter``, ``$__interval`` and the variables filled in."""
        text = text.replace("$timeFilter", f"time >= {self.from_ms}ms and time <= {self.to_ms}ms")
        text = text.replace("$__interval", self.interval)
        for name, value in self.variables.items():
            text = text.replace(f"${name}", value)
        assert re.search(r"\$[\w{]", text) is None, f"unsubstituted variable in {text}"
        return text


def choose(
    server: InfluxDB, database: str, grafana: Grafana, tenants: list[str] | None
) -> tuple[list[str], list[str]]:
    """Set ``$tenant`` (``tenants``, or All) and ``$site`` as a dashboard user would.

    With All tenants, ``$site`` is All too (the variable's all value); with chosen tenants, it
    lists every site the site variable offers for them. Returns (tenants, sites offered).
    """
    chosen = tenants or sorted(
        str(r["value"]) for r in run_influxql(server, database, TENANT_QUERY)
    )
    grafana.variables["tenant"] = regex_value(chosen)
    site_rows = run_influxql(server, database, grafana.substitute(SITE_QUERY))
    sites = sorted(str(row["value"]) for row in site_rows)
    grafana.variables["site"] = ALL_SITES if tenants is None else regex_value(sites)
    return chosen, sites
