"""InfluxQL statements and the Grafana targets that carry them.

Every statement is raw InfluxQL, which InfluxDB 1.x runs natively and 2.x/3.x run through a
DBRP mapping. Grafana substitutes ``$timeFilter``, ``$__interval`` and the template variables
before sending it; tenant and site are matched as regular expressions so that a multi-value or
"All" selection (``/^(a|b)$/``) works as well as a single one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from grafana_foundation_sdk.cog.builder import Builder
from grafana_foundation_sdk.cog.variants import Dataquery

from lorahub.dashboards.datasource import influx_datasource

ResultFormat = Literal["time_series", "table"]

TIME_FILTER = "$timeFilter"
INTERVAL = "$__interval"
TENANT_MATCH = '"tenant" =~ /^$tenant$/'
SITE_MATCH = '"site" =~ /^$site$/'
SCOPE = (TIME_FILTER, TENANT_MATCH, SITE_MATCH)
"""The conditions of nearly every panel: the dashboard's time range, tenants and sites."""


def quote(name: str) -> str:
    """An identifier in double quotes (field, tag or alias)."""
    return '"' + name.replace('"', '\\"') + '"'


def call(function: str, field: str, alias: str | None = None, *args: str) -> str:
    """A function of one field, e.g. ``last("co2") AS "co2"``; extra ``args`` follow the field."""
    inner = ", ".join([quote(field), *args])
    text = f"{function}({inner})"
    return f"{text} AS {quote(alias)}" if alias else text


@dataclass(frozen=True, slots=True)
class Select:
    """One ``SELECT`` statement.

    Attributes:
        fields: the select list, already formatted (see :func:`call`).
        source: a measurement name, or another :class:`Select` for a subquery.
        where: conditions joined with ``AND``.
        group_by: tag keys to group by.
        every: a ``GROUP BY time(...)`` interval, e.g. ``$__interval`` or ``1h``.
        fill: the ``fill(...)`` option for time grouping.
        tail: trailing clauses such as ``ORDER BY time DESC LIMIT 100``.
    """

    fields: Sequence[str]
    source: str | Select
    where: Sequence[str] = ()
    group_by: Sequence[str] = ()
    every: str | None = None
    fill: str | None = None
    tail: str = ""

    def text(self) -> str:
        """The statement as InfluxQL text."""
        source = (
            f"({self.source.text()})" if isinstance(self.source, Select) else quote(self.source)
        )
        parts = [f"SELECT {', '.join(self.fields)} FROM {source}"]  # noqa: S608 - InfluxQL we write
        if self.where:
            parts.append("WHERE " + " AND ".join(self.where))
        groups = [f"time({self.every})"] if self.every else []
        groups += [quote(tag) for tag in self.group_by]
        if groups:
            parts.append("GROUP BY " + ", ".join(groups))
        if self.fill:
            parts.append(f"fill({self.fill})")
        if self.tail:
            parts.append(self.tail)
        return " ".join(parts)


def show_tag_values(measurement: str, key: str, where: Sequence[str] = ()) -> str:
    """``SHOW TAG VALUES`` of one tag key (for a template variable)."""
    text = f"SHOW TAG VALUES FROM {quote(measurement)} WITH KEY = {quote(key)}"
    return text + (" WHERE " + " AND ".join(where) if where else "")


class InfluxQLQuery(Dataquery):
    """A raw InfluxQL target as Grafana's InfluxDB data source stores it."""

    def __init__(
        self, ref_id: str, query: str, result_format: ResultFormat, alias: str | None
    ) -> None:
        self.ref_id = ref_id
        self.query = query
        self.result_format = result_format
        self.alias = alias

    def to_json(self) -> dict[str, object]:
        """The target's JSON (keys as Grafana writes them)."""
        payload: dict[str, object] = {
            "datasource": influx_datasource().to_json(),
            "query": self.query,
            "rawQuery": True,
            "refId": self.ref_id,
            "resultFormat": self.result_format,
        }
        if self.alias:
            payload["alias"] = self.alias
        return payload


class InfluxQLTarget(Builder[Dataquery]):
    """Builds an :class:`InfluxQLQuery` for a panel's ``with_target``.

    Args:
        query: a :class:`Select` or a statement's text.
        ref_id: the target's letter within its panel.
        result_format: ``time_series`` for graphs and stats, ``table`` for tables.
        alias: the legend, e.g. ``$tag_site`` (Grafana's tag alias pattern).
    """

    def __init__(
        self,
        query: Select | str,
        ref_id: str = "A",
        result_format: ResultFormat = "time_series",
        alias: str | None = None,
    ) -> None:
        text = query.text() if isinstance(query, Select) else query
        self._query = InfluxQLQuery(ref_id, text, result_format, alias)

    def build(self) -> Dataquery:
        """The target."""
        return self._query
