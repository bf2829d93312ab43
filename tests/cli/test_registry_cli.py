"""Tenants, sites, tokens and device import from the command line, against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from lorahub.adapters.audit_sql import SqlAuditLog
from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tokens_sql import SqlTokenRepository
from lorahub.cli.app import app
from lorahub.device_import import import_devices
from lorahub.devices_csv import parse_device_rows
from lorahub.domain.ids import DevEui

REPO = Path(__file__).resolve().parents[2]
MODELS = {"dragino/ldds75", "dragino/lht65n", "elsys/ers-co2"}


@pytest.fixture
def engine(config: Path, tmp_path: Path) -> Engine:
    return create_database_engine(f"sqlite:///{tmp_path / 'r.db'}")


def invoke(config: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--config", str(config), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def ok(config: Path, *args: str) -> str:
    code, stdout, stderr = invoke(config, *args)
    assert code == 0, stdout + stderr
    return stdout


def site_args(site: str, tenant: str, kind: str = "hub", *options: str) -> list[str]:
    return [
        "sites",
        "add",
        site,
        "--tenant",
        tenant,
        "--name",
        site.title(),
        "--kind",
        kind,
        *options,
    ]


def add_site(config: Path, site: str, tenant: str, kind: str = "hub") -> None:
    ok(config, *site_args(site, tenant, kind))


def two_villages(config: Path) -> None:
    ok(config, "tenants", "add", "lindenau", "--name", "Gemeinde Lindenau")
    ok(config, "tenants", "add", "birkenfeld", "--name", "Birkenfeld", "--language", "en")
    add_site(config, "lindenau-hub", "lindenau")
    add_site(config, "lindenau-paket", "lindenau", "parcel_station")
    add_site(config, "birkenfeld-hub", "birkenfeld")


def test_tenants_add_list_remove(config: Path) -> None:
    two_villages(config)
    code, _, stderr = invoke(config, "tenants", "add", "lindenau", "--name", "again")
    assert code == 1 and "tenant 'lindenau' exists" in stderr
    code, _, _ = invoke(config, "tenants", "add", "x", "--name", "X", "--language", "fr")
    assert code == 2
    assert json.loads(ok(config, "tenants", "list", "--json")) == [
        {"id": "birkenfeld", "name": "Birkenfeld", "language": "en"},
        {"id": "lindenau", "name": "Gemeinde Lindenau", "language": "de"},
    ]
    assert "Gemeinde Lindenau" in ok(config, "tenants", "list")
    code, _, stderr = invoke(config, "tenants", "remove", "lindenau")
    assert code == 1 and "still has sites or devices" in stderr
    code, _, stderr = invoke(config, "tenants", "remove", "nowhere")
    assert code == 1 and "no tenant 'nowhere'" in stderr
    ok(config, "tenants", "add", "empty", "--name", "Empty")
    ok(config, "tenants", "remove", "empty")
    ids = [t["id"] for t in json.loads(ok(config, "tenants", "list", "--json"))]
    assert ids == ["birkenfeld", "lindenau"]


def test_sites_add_list_remove(config: Path) -> None:
    two_villages(config)
    location = ("--latitude", "51.1", "--longitude", "13.2", "--address", "Dorfstr. 1")
    room = ("--parent", "lindenau-hub", "--capacity", "12", "--public", *location)
    ok(config, *site_args("lindenau-cowork", "lindenau", "room", *room))
    foreign_parent = site_args("x", "lindenau", "room", "--parent", "birkenfeld-hub")
    code, _, stderr = invoke(config, *foreign_parent)
    assert code == 1 and "is not a site of tenant 'lindenau'" in stderr
    code, _, stderr = invoke(config, *site_args("y", "nobody"))
    assert code == 1 and "tenant 'nobody' does not" in stderr
    code, _, _ = invoke(config, *site_args("z", "lindenau", "castle"))
    assert code == 2
    sites = json.loads(ok(config, "sites", "list", "--tenant", "lindenau", "--json"))
    assert [s["id"] for s in sites] == ["lindenau-cowork", "lindenau-hub", "lindenau-paket"]
    assert sites[0] == {
        "id": "lindenau-cowork",
        "tenant": "lindenau",
        "name": "Lindenau-Cowork",
        "kind": "room",
        "parent": "lindenau-hub",
        "address": "Dorfstr. 1",
        "latitude": 51.1,
        "longitude": 13.2,
        "capacity": 12,
        "public": True,
    }
    assert len(json.loads(ok(config, "sites", "list", "--json"))) == 4
    code, _, stderr = invoke(config, "sites", "remove", "lindenau-hub")
    assert code == 1 and "still has devices or rooms" in stderr
    code, _, stderr = invoke(config, "sites", "remove", "nowhere")
    assert code == 1 and "no site 'nowhere'" in stderr
    ok(config, "sites", "remove", "lindenau-cowork")
    ok(config, "sites", "remove", "lindenau-hub")


def test_tokens_are_shown_once_and_never_listed(config: Path, engine: Engine) -> None:
    two_villages(config)
    code, stdout, stderr = invoke(
        config, "tokens", "create", "hubapp", "--role", "operator", "--tenant", "lindenau"
    )
    assert code == 0, stderr
    token = stdout.strip()
    assert stdout == token + "\n" and token.startswith("lh_")
    assert "cannot be shown" in stderr and "again" in stderr
    principal = SqlTokenRepository(engine).authenticate(token)
    assert principal is not None
    assert (principal.role, principal.tenants) == ("operator", frozenset({"lindenau"}))

    created = json.loads(ok(config, "tokens", "create", "root", "--role", "admin", "--json"))
    assert created["role"] == "admin" and created["token"].startswith("lh_")
    code, _, stderr = invoke(config, "tokens", "create", "eyes", "--role", "viewer")
    assert code == 1 and "needs at least one tenant" in stderr
    code, _, stderr = invoke(config, "tokens", "create", "hubapp", "--role", "admin")
    assert code == 1 and "exists" in stderr

    listing = ok(config, "tokens", "list", "--json")
    assert token not in listing and created["token"] not in listing
    assert json.loads(listing) == [
        {"name": "hubapp", "role": "operator", "tenants": ["lindenau"], "revoked": False},
        {"name": "root", "role": "admin", "tenants": [], "revoked": False},
    ]
    assert token not in ok(config, "tokens", "list")
    ok(config, "tokens", "revoke", "hubapp")
    assert SqlTokenRepository(engine).authenticate(token) is None
    assert json.loads(ok(config, "tokens", "list", "--json"))[0]["revoked"] is True
    code, _, stderr = invoke(config, "tokens", "revoke", "nothing")
    assert code == 1 and "no token 'nothing'" in stderr


def test_device_add_explains_wrong_site_and_duplicate(config: Path) -> None:
    two_villages(config)
    add = ("devices", "add", "a84041c2e1b05f31", "--name", "box", "--model", "dragino/ldds75")
    code, _, stderr = invoke(config, *add, "--tenant", "lindenau", "--site", "birkenfeld-hub")
    assert code == 1
    assert "site 'birkenfeld-hub' is not a site of tenant 'lindenau'" in stderr
    ok(config, *add, "--tenant", "lindenau", "--site", "lindenau-paket")
    code, _, stderr = invoke(config, *add, "--tenant", "lindenau", "--site", "lindenau-paket")
    assert code == 1 and "already registered" in stderr


IMPORT_CSV = (
    "dev_eui,name,model,tenant,site,empty_distance_m,full_distance_m,expected_interval_s\n"
    "a84041c2e1b05f31,box1,dragino/ldds75,lindenau,lindenau-paket,0.6,0.05,3600\n"
    "a840414a51c3d7e2,klima,dragino/lht65n,lindenau,lindenau-hub,,,\n"
    "a840414a51c3d7e3,klima,dragino/lht65n,birkenfeld,birkenfeld-hub,,,\n"
    "a840414a51c3d7e4,lost,dragino/lht65n,lindenau,nowhere,,,\n"
    "a840414a51c3d7e5,foreign,dragino/lht65n,lindenau,birkenfeld-hub,,,\n"
    "bad,x,dragino/lht65n,lindenau,lindenau-hub,,,\n"
)


def test_import_reports_rejected_rows_and_updates_on_reimport(
    config: Path, tmp_path: Path, engine: Engine
) -> None:
    two_villages(config)
    csv_file = tmp_path / "devices.csv"
    csv_file.write_text(IMPORT_CSV)
    code, stdout, _ = invoke(config, "devices", "import", str(csv_file), "--json")
    assert code == 1
    report = json.loads(stdout)
    assert (report["created"], report["updated"]) == (3, 0)
    reasons = {problem["line"]: problem["reason"] for problem in report["rejected"]}
    assert sorted(reasons) == [5, 6, 7]
    assert reasons[5] == "site: unknown site 'nowhere'"
    assert reasons[6] == "site: 'birkenfeld-hub' is not a site of tenant 'lindenau'"
    assert "invalid DevEUI" in reasons[7]
    box = SqlDeviceRegistry(engine).get(DevEui("a84041c2e1b05f31"))
    assert box is not None and box.expected_interval_s == 3600

    code, stdout, stderr = invoke(config, "devices", "import", str(csv_file))
    assert code == 1
    assert "created 0, updated 3, rejected 3" in stdout
    assert "line 5: site: unknown site 'nowhere'" in stdout
    assert "importing devices" in stderr

    one_row = (
        "dev_eui,name,model,tenant,site\n"
        "a84041c2e1b05f31,box1-neu,dragino/ldds75,lindenau,lindenau-paket\n"
    )
    code, stdout, _ = invoke(config, "devices", "import", "-", "--json", stdin=one_row)
    assert code == 0
    assert json.loads(stdout) == {"created": 0, "updated": 1, "rejected": []}

    imports = [e for e in SqlAuditLog(engine).entries(None) if e.action == "import"]
    assert len(imports) == 5  # first run: one chunk per tenant; second run: the same; then one
    assert all(e.entity == "device" and e.actor.startswith("cli:") for e in imports)
    assert imports[0].detail == {"devices": 1, "created": 0, "updated": 1}
    assert {e.tenant for e in imports} == {"lindenau", "birkenfeld"}


def test_device_list_filters_and_audit_of_cli_changes(
    config: Path, tmp_path: Path, engine: Engine
) -> None:
    two_villages(config)
    csv_file = tmp_path / "devices.csv"
    csv_file.write_text(IMPORT_CSV)
    invoke(config, "devices", "import", str(csv_file))
    by_tenant = json.loads(ok(config, "devices", "list", "--tenant", "lindenau", "--json"))
    assert [d["dev_eui"] for d in by_tenant] == ["a840414a51c3d7e2", "a84041c2e1b05f31"]
    by_site = json.loads(ok(config, "devices", "list", "--site", "birkenfeld-hub", "--json"))
    assert [d["dev_eui"] for d in by_site] == ["a840414a51c3d7e3"]
    assert "a840414a51c3d7e3" in ok(config, "devices", "list")
    ok(config, "devices", "remove", "a840414a51c3d7e3")

    entries = SqlAuditLog(engine).entries(None)
    changes = {(e.entity, e.action, e.entity_id) for e in entries}
    assert ("tenant", "create", "lindenau") in changes
    assert ("site", "create", "birkenfeld-hub") in changes
    assert ("device", "delete", "a840414a51c3d7e3") in changes
    assert all(e.actor.startswith("cli:") for e in entries)
    assert [e.tenant for e in SqlAuditLog(engine).entries(frozenset({"birkenfeld"}))] == [
        "birkenfeld",  # the removal
        "birkenfeld",  # the import chunk
        "birkenfeld",  # the site
        "birkenfeld",  # the tenant
    ]


def test_import_service_scopes_chunks_and_refuses_takeover(config: Path, engine: Engine) -> None:
    two_villages(config)
    registry = SqlDeviceRegistry(engine)
    audit = SqlAuditLog(engine)
    rows = "dev_eui,name,model,tenant,site\n" + "".join(
        f"a8404100000000{n:02x},d{n},elsys/ers-co2,{tenant},{tenant}-hub\n"
        for n, tenant in enumerate(["lindenau"] * 5 + ["birkenfeld"])
    )
    done: list[int] = []
    report = import_devices(
        parse_device_rows(rows, MODELS),
        registry,
        registry.site_tenants(),
        None,
        1,
        "test",
        chunk=2,
        progress=done.append,
    )
    assert (report.created, report.updated, report.rejected) == (6, 0, ())
    assert sum(done) == 6
    imports = [e for e in audit.entries(None) if e.action == "import"]
    sizes = sorted((str(e.tenant), str(e.detail["devices"])) for e in imports)
    assert sizes == [("birkenfeld", "1"), ("lindenau", "1"), ("lindenau", "2"), ("lindenau", "2")]

    takeover = (
        "dev_eui,name,model,tenant,site\n"
        "a840410000000005,mine,elsys/ers-co2,lindenau,lindenau-hub\n"
        "a840410000000006,new,elsys/ers-co2,lindenau,birkenfeld-hub\n"
        "a840410000000007,new,elsys/ers-co2,birkenfeld,birkenfeld-hub\n"
        "a840410000000008,new,elsys/ers-co2,lindenau,lindenau-hub\n"
    )
    report = import_devices(
        parse_device_rows(takeover, MODELS),
        registry,
        registry.site_tenants(),
        frozenset({"lindenau"}),
        2,
        "token:hubapp",
    )
    assert (report.created, report.updated) == (1, 0)
    assert [(p.line, p.reason) for p in report.rejected] == [
        (2, "dev_eui: a840410000000005 is registered to another tenant"),
        (3, "site: unknown site 'birkenfeld-hub'"),
        (4, "tenant: you may not manage tenant 'birkenfeld'"),
    ]
    moved = registry.get(DevEui("a840410000000005"))
    assert moved is not None and moved.tenant == "birkenfeld"


def test_tenant_and_site_ids_must_be_slugs(config: Path) -> None:
    code, _out, err = invoke(config, "tenants", "add", "Lindenau Nord", "--name", "x")
    assert code == 1 and "invalid tenant id" in err
    assert invoke(config, "tenants", "add", "lindenau", "--name", "L")[0] == 0
    code, _out, err = invoke(
        config, "sites", "add", "Dorf_Hub", "--tenant", "lindenau", "--name", "x", "--kind", "hub"
    )
    assert code == 1 and "invalid site id" in err
