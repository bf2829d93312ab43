"""A day of the demo village as InfluxDB lines, made by lorahub's own ingest code.

The simulator's fleet publishes ChirpStack v4 uplinks of every demo device; ``MessageProcessor``
turns them into ``readings`` (with site capacities), ``uplinks`` and ``dead_letters`` lines exactly
as the service does. A disabled device and an unregistered one add dead letters; ``alerts`` lines
follow the alert schema (tags tenant, site, dev_eui, device, rule, severity; fields state, value,
alert_id).
"""

from __future__ import annotations

import dataclasses

from lorahub.adapters.line_protocol import line, series_key
from lorahub.decoding.catalog import load_catalog
from lorahub.domain.device import Device
from lorahub.domain.ids import ModelId, parse_dev_eui
from lorahub.envelopes import EnvelopeParser
from lorahub.pipeline.dedup import DuplicateFilter
from lorahub.pipeline.directory import DeviceDirectory, site_capacities
from lorahub.pipeline.log_gate import RepeatGate
from lorahub.pipeline.process import BatchContent, MessageProcessor
from lorahub.simulation.fleet import Fleet
from lorahub.simulation.village import demo_devices, demo_sites
from tests.conftest import CATALOG_DIR

S = 1_000_000_000
HOUR = 3600 * S
EVERY = 10 * 60 * S
DISABLED = "lindenau-meeting-eye"
"""Disabled: its messages are dead-lettered with its tags (its room has another sensor)."""
STRANGER = Device(
    parse_dev_eui("00000000deadbeef"), "stranger", ModelId("elsys/ers-co2"), "nobody", "nowhere"
)


def uplink_lines(start_ns: int, end_ns: int) -> list[str]:
    """Readings, uplinks and dead letters of every demo device from ``start_ns`` to ``end_ns``."""
    catalog = load_catalog(CATALOG_DIR)
    devices = [
        dataclasses.replace(d, enabled=False) if d.name == DISABLED else d for d in demo_devices()
    ]
    directory = DeviceDirectory({d.dev_eui: d for d in devices}, site_capacities(demo_sites()))
    processor = MessageProcessor(
        EnvelopeParser(), directory, catalog, DuplicateFilter(300, 100_000), RepeatGate(3600)
    )
    fleet = Fleet([*devices, STRANGER], catalog, seed=42)
    batch = BatchContent()
    for round_ns in range(start_ns, end_ns, EVERY):
        for index, member in enumerate(fleet.members):
            time_ns = round_ns + index * S
            topic, body = fleet.message(member, "chirpstack-v4", time_ns)
            processor.process(topic, body, time_ns, batch)
    return batch.lines


def alert_lines(end_ns: int) -> list[str]:
    """Alert state changes of a few devices of every municipality over the last hours."""
    lines: list[str] = []
    alert_id = 0
    for device in demo_devices():
        if not device.name.endswith(("coworking-co2", "paketfach-1", "dorfplatz-klima")):
            continue
        for rule, severity, states in (
            ("co2-high", "warning", ("firing", "acknowledged", "resolved")),
            ("fill-high", "critical", ("firing",)),
            ("offline", "critical", ("firing",)),
        ):
            alert_id += 1
            tags = [
                ("tenant", device.tenant),
                ("site", device.site),
                ("dev_eui", device.dev_eui),
                ("device", device.name),
                ("rule", rule),
                ("severity", severity),
            ]
            key = series_key("alerts", tags)
            for step, state in enumerate(states):
                fields: list[tuple[str, float | int | bool | str]] = [
                    ("state", state),
                    ("alert_id", alert_id),
                ]
                if rule != "offline":  # an offline alert has no value
                    fields.append(("value", 1234.5 - step))
                lines.append(line(key, fields, end_ns - (6 - step) * HOUR - alert_id * S))
    return lines
