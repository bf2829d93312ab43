"""Alert rules from files and options, and alerts from the command line, on a real SQLite file."""

from __future__ import annotations

import json
import time
from pathlib import Path

from sqlalchemy import Engine

from lorahub.adapters.alerts_sql import NewAlert, SqlAlertStore
from lorahub.adapters.sql_schema import create_database_engine
from tests.cli.test_registry_cli import invoke, ok

RULES_TOML = """
tenant = "ostdorf"

[[rules]]
kind = "threshold"
id = "co2-meeting"
name = "CO2 im Besprechungsraum"
quantity = "co2"
above = 1400
clear = 1200
hold_s = 600
site = "ostdorf-hub"
severity = "warning"
active_hours = { days = ["mon", "tue", "wed", "thu", "fri"], start = "08:00", end = "18:00" }

[[rules]]
kind = "offline"
id = "silent"
name = "Sensor schweigt"
factor = 4
severity = "critical"

[[rules]]
tenant = "westdorf"
kind = "battery_low"
id = "battery"
name = "Battery"
below = 15
clear = 25
"""


def setup(config: Path) -> None:
    for tenant in ("ostdorf", "westdorf"):
        ok(config, "tenants", "add", tenant, "--name", tenant.title())
    ok(
        config,
        "sites",
        "add",
        "ostdorf-hub",
        "--tenant",
        "ostdorf",
        "--name",
        "Hub",
        "--kind",
        "hub",
    )


def test_load_list_export_round_trip_and_prune(config: Path, tmp_path: Path) -> None:
    setup(config)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES_TOML)
    out = ok(config, "rules", "load", str(rules))
    assert "ostdorf: 2 added, 0 replaced, 0 removed" in out
    assert "westdorf: 1 added" in out
    listed = json.loads(ok(config, "rules", "list", "--json"))
    assert [(item["tenant"], item["id"]) for item in listed] == [
        ("ostdorf", "co2-meeting"),
        ("ostdorf", "silent"),
        ("westdorf", "battery"),
    ]
    assert listed[0]["active_hours"]["start"] == "08:00:00"
    table = ok(config, "rules", "list")
    assert "co2-mee" in table and "silent" in table

    exported = tmp_path / "exported.yaml"
    exported.write_text(ok(config, "rules", "export"))
    out = ok(config, "rules", "load", str(exported))
    assert "ostdorf: 0 added, 2 replaced, 0 removed" in out
    assert json.loads(ok(config, "rules", "list", "--json")) == listed

    only_one = (
        'tenant = "ostdorf"\n[[rules]]\nkind = "implausible"\nid = "broken"\nname = "Defekt"\n'
    )
    code, stdout, _ = invoke(
        config, "rules", "load", "--prune", "--format", "toml", "-", stdin=only_one
    )
    assert code == 0
    assert "ostdorf: 1 added, 0 replaced, 2 removed" in stdout
    ids = [item["id"] for item in json.loads(ok(config, "rules", "list", "--json"))]
    assert ids == ["broken", "battery"]


def test_a_bad_file_changes_nothing_and_names_every_problem(config: Path, tmp_path: Path) -> None:
    setup(config)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "tenant: ostdorf\nrules:\n"
        "  - {kind: threshold, id: a, name: A, quantity: co2}\n"
        "  - {kind: threshold, id: b, name: B, quantity: co3, above: 1}\n"
        "  - {kind: offline, id: c, name: C, factor: 3}\n"
        "  - {kind: offline, id: c, name: C again}\n"
    )
    code, _, stderr = invoke(config, "rules", "load", str(bad))
    assert code == 1
    assert "rule 1 (a): rule: Value error, give exactly one of 'above' and 'below'" in stderr
    assert "rule 2 (b): quantity: Value error, unknown quantity 'co3'" in stderr
    assert "rule 4 (c): id repeats for tenant 'ostdorf'" in stderr
    assert json.loads(ok(config, "rules", "list", "--json")) == []
    code, _, stderr = invoke(
        config, "rules", "load", "-", stdin="rules:\n  - {kind: implausible, id: x, name: X}\n"
    )
    assert code == 1 and "no tenant" in stderr
    code, _, stderr = invoke(config, "rules", "load", str(tmp_path / "missing.toml"))
    assert code == 1 and "cannot read" in stderr


def test_add_and_remove_a_threshold_rule(config: Path) -> None:
    setup(config)
    ok(
        config,
        "rules",
        "add",
        "cold",
        "--tenant",
        "ostdorf",
        "--quantity",
        "temperature",
        "--below",
        "2",
        "--clear",
        "4",
        "--severity",
        "critical",
    )
    code, _, stderr = invoke(
        config, "rules", "add", "warm", "--tenant", "ostdorf", "--quantity", "temperature"
    )
    assert code == 1 and "exactly one of 'above' and 'below'" in stderr
    code, _, stderr = invoke(
        config, "rules", "add", "cold", "--tenant", "ostdorf", "--quantity", "co2", "--above", "1"
    )
    assert code == 1 and "exists" in stderr
    code, _, stderr = invoke(
        config, "rules", "add", "x", "--tenant", "nowhere", "--quantity", "co2", "--above", "1"
    )
    assert code == 1 and "no tenant 'nowhere'" in stderr
    ok(config, "rules", "remove", "ostdorf", "cold")
    assert invoke(config, "rules", "remove", "ostdorf", "cold")[0] == 1


def test_list_show_and_acknowledge_alerts(config: Path, tmp_path: Path) -> None:
    setup(config)
    engine: Engine = create_database_engine(f"sqlite:///{tmp_path / 'r.db'}")
    store = SqlAlertStore(engine)
    now = time.time_ns()
    with engine.begin() as connection:
        alert_id = store.open(
            NewAlert(
                "ostdorf",
                "co2-meeting",
                "threshold",
                "a84041000181c061",
                "ostdorf-hub",
                "critical",
                "co2",
                1650.0,
                1400.0,
                now,
            ),
            connection,
        ).id
    listed = json.loads(ok(config, "alerts", "list", "--state", "firing", "--json"))
    assert [item["id"] for item in listed] == [alert_id]
    ok(config, "alerts", "ack", str(alert_id), "--comment", "Fenster geöffnet")
    code, _, stderr = invoke(config, "alerts", "ack", str(alert_id))
    assert code == 1 and "not firing" in stderr
    shown = json.loads(ok(config, "alerts", "show", str(alert_id), "--json"))
    assert shown["state"] == "acknowledged"
    assert [entry["kind"] for entry in shown["history"]] == ["fired", "acknowledged"]
    assert shown["history"][1]["comment"] == "Fenster geöffnet"
    assert shown["acknowledged_by"].startswith("cli:")
    assert "acknowledged by cli:" in ok(config, "alerts", "show", str(alert_id))
    assert json.loads(ok(config, "alerts", "list", "--state", "firing", "--json")) == []
    assert invoke(config, "alerts", "show", "999")[0] == 1
