"""Grafana dashboards as code: InfluxQL panels over the public InfluxDB schema."""
