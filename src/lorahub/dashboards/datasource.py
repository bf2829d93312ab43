"""The one InfluxDB data source every dashboard queries, by the uid provisioning gives it."""

from __future__ import annotations

from grafana_foundation_sdk.models.dashboard import DataSourceRef

DATASOURCE_UID = "lorahub-influxdb"
"""Fixed uid of the data source (``deploy/grafana/datasources/lorahub.yaml`` declares it)."""
DATASOURCE_TYPE = "influxdb"


def influx_datasource() -> DataSourceRef:
    """A reference to lorahub's InfluxDB data source (InfluxQL, database ``lorahub``)."""
    return DataSourceRef(type_val=DATASOURCE_TYPE, uid=DATASOURCE_UID)
