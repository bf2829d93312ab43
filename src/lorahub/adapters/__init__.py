"""Adapters: one technology each (MQTT, InfluxDB, SQL, ...)."""
