"""The provisioning files match the dashboards and lorahub's settings."""

from __future__ import annotations

from typing import Any

import yaml

from lorahub.dashboards.datasource import DATASOURCE_TYPE, DATASOURCE_UID
from lorahub.settings import InfluxSettings
from tests.conftest import REPO

GRAFANA = REPO / "deploy" / "grafana"


def _load(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((GRAFANA / name).read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_datasource_has_the_uid_the_dashboards_use() -> None:
    (source,) = _load("datasources/lorahub.yaml")["datasources"]
    defaults = InfluxSettings()
    assert (source["uid"], source["type"]) == (DATASOURCE_UID, DATASOURCE_TYPE)
    assert source["jsonData"]["version"] == "InfluxQL"
    assert source["jsonData"]["dbName"] == defaults.database
    assert source["url"] == defaults.url


def test_dashboard_provider_reads_files_into_the_lorahub_folder() -> None:
    (provider,) = _load("dashboards/lorahub.yaml")["providers"]
    assert provider["type"] == "file" and provider["folder"] == "lorahub"
    assert provider["options"]["path"]
