"""Template variables of every dashboard: tenant (municipality), and site within the tenant."""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import QueryVariable
from grafana_foundation_sdk.models.dashboard import VariableOption, VariableRefresh, VariableSort

from lorahub.dashboards.datasource import influx_datasource
from lorahub.dashboards.influxql import TENANT_MATCH, show_tag_values
from lorahub.pipeline.points import READINGS

TENANT_QUERY = show_tag_values(READINGS, "tenant")
SITE_QUERY = show_tag_values(READINGS, "site", [TENANT_MATCH])
ALL_SITES = ".*"
"""What "All" sites means: any site, so a site without readings (only dead letters or alerts) is
not left out; the tenant condition still applies. Tenants have no such value: "All" lists them,
so series without a tenant (unknown devices) never show in tenant-scoped panels."""


def _tag_variable(name: str, label: str, query: str) -> QueryVariable:
    """A multi-value variable of one tag's values, opening with All chosen."""
    return (
        QueryVariable(name)
        .label(label)
        .datasource(influx_datasource())
        .query(query)
        .refresh(VariableRefresh.ON_DASHBOARD_LOAD)
        .sort(VariableSort.ALPHABETICAL_ASC)
        .multi(True)
        .include_all(True)
        .current(VariableOption(selected=True, text=["All"], value=["$__all"]))
    )


def tenant_variable() -> QueryVariable:
    """``$tenant``: the municipalities in ``readings`` (several or all may be chosen)."""
    return _tag_variable("tenant", "Municipality", TENANT_QUERY)


def site_variable() -> QueryVariable:
    """``$site``: the sites of the chosen municipalities."""
    return _tag_variable("site", "Site", SITE_QUERY).all_value(ALL_SITES)
