"""Every dashboard as deterministic JSON (sorted keys, two-space indent, trailing newline)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.dashboard import Dashboard

from lorahub.dashboards import alerts, environment, fleet, hub, parcels

DASHBOARDS: tuple[tuple[str, Callable[[], Dashboard]], ...] = (
    ("hub-occupancy", hub.dashboard),
    ("parcel-stations", parcels.dashboard),
    ("environment", environment.dashboard),
    ("fleet-health", fleet.dashboard),
    ("alerts", alerts.dashboard),
)
"""File name (without ``.json``) and builder of each dashboard."""


def render(dashboard: Dashboard) -> str:
    """The dashboard's JSON text, byte for byte the same on every run."""
    text = json.dumps(dashboard, cls=JSONEncoder, sort_keys=True, indent=2, ensure_ascii=False)
    return text + "\n"


def render_all() -> dict[str, str]:
    """File name (``<name>.json``) to JSON text, for every dashboard."""
    return {f"{name}.json": render(build()) for name, build in DASHBOARDS}


def write_dashboards(folder: Path) -> list[Path]:
    """Write every dashboard into ``folder`` (created if missing); return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_dashboards(folder: Path) -> list[str]:
    """Names of the files in ``folder`` that are missing or differ from what the code renders."""
    return [
        name
        for name, text in render_all().items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]
