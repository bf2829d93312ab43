from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lorahub.cli.app import app

REPO = Path(__file__).resolve().parents[2]


def run(config: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--config", str(config), *args], input=stdin)
    return result.exit_code, result.output


def test_decode_prints_canonical_readings_as_json(config: Path) -> None:
    code, output = run(
        config,
        "decode",
        "--model",
        "elsys/ers-co2",
        "--fport",
        "5",
        "0100e202290400270506060308",
        "--json",
    )
    assert code == 0, output
    assert json.loads(output) == {
        "temperature": 22.6,
        "relative_humidity": 41.0,
        "illuminance": 39.0,
        "motion_count": 6,
        "co2": 776.0,
    }


def test_decode_vendor_fields_and_failures(config: Path) -> None:
    code, output = run(
        config,
        "decode",
        "-m",
        "milesight-iot/em310-udl",
        "-p",
        "85",
        "01755c03824408040001",
        "--vendor-fields",
    )
    assert code == 0
    assert json.loads(output) == {"battery": 92, "distance": 2116, "tilt": "tilt"}
    code, output = run(config, "decode", "-m", "dragino/lht65n", "-p", "2", "cbf6")
    assert code == 1 and "decode failed" in output
    code, output = run(config, "decode", "-m", "acme/none", "-p", "2", "00")
    assert code == 1 and "unknown model" in output
    code, output = run(config, "decode", "-m", "dragino/lht65n", "-p", "2", "zz")
    assert code == 1 and "not hex" in output


def test_decode_reads_stdin(config: Path) -> None:
    code, output = run(
        config,
        "decode",
        "-m",
        "dragino/lht65n",
        "-p",
        "2",
        "-",
        "--json",
        stdin="cbf60b0d0376010add7fff\n",
    )
    assert code == 0, output
    assert json.loads(output)["temperature"] == 28.29


def create_tenant_with_sites(config: Path, tenant: str, *sites: str) -> None:
    code, output = run(config, "tenants", "add", tenant, "--name", tenant.title())
    assert code == 0, output
    for site in sites:
        code, output = run(
            config, "sites", "add", site, "--tenant", tenant, "--name", site, "--kind", "hub"
        )
        assert code == 0, output


def test_devices_add_list_remove(config: Path) -> None:
    create_tenant_with_sites(config, "lindenau", "dorfhub")
    code, output = run(
        config,
        "devices",
        "add",
        "A8-17-58-FF-FE-0C-4E-21",
        "--name",
        "raum1",
        "--model",
        "elsys/ers-eye",
        "--tenant",
        "lindenau",
        "--site",
        "dorfhub",
    )
    assert code == 0, output
    code, output = run(
        config,
        "devices",
        "add",
        "a81758fffe0c4e21",
        "--name",
        "again",
        "--model",
        "elsys/ers-eye",
        "--tenant",
        "lindenau",
        "--site",
        "dorfhub",
    )
    assert code == 1 and "already registered" in output
    code, output = run(
        config,
        "devices",
        "add",
        "a81758fffe0c4e22",
        "--name",
        "x",
        "--model",
        "acme/none",
        "--tenant",
        "t",
        "--site",
        "s",
    )
    assert code == 1 and "unknown model" in output
    code, output = run(config, "devices", "list", "--json")
    assert [d["dev_eui"] for d in json.loads(output)] == ["a81758fffe0c4e21"]
    assert run(config, "devices", "remove", "a81758fffe0c4e21")[0] == 0
    assert run(config, "devices", "remove", "a81758fffe0c4e21")[0] == 1


def test_devices_import_reports_each_row(config: Path, tmp_path: Path) -> None:
    create_tenant_with_sites(config, "lindenau", "paket", "dorfplatz")
    csv_file = tmp_path / "devices.csv"
    csv_file.write_text(
        "dev_eui,name,model,tenant,site,empty_distance_m,full_distance_m\n"
        "a84041c2e1b05f31,box1,dragino/ldds75,lindenau,paket,0.6,0.05\n"
        "a840414a51c3d7e2,klima,dragino/lht65n,lindenau,dorfplatz,,\n"
        "bad,x,dragino/lht65n,lindenau,dorfplatz,,\n"
    )
    code, output = run(config, "devices", "import", str(csv_file), "--json")
    assert code == 1
    report = json.loads(output)
    assert (report["created"], report["updated"]) == (2, 0)
    assert report["rejected"][0]["line"] == 4
    code, output = run(
        config,
        "devices",
        "import",
        "-",
        "--json",
        stdin="dev_eui,name,model,tenant,site\na84041c2e1b05f31,box1-neu,dragino/ldds75,lindenau,paket\n",
    )
    assert code == 0, output
    assert json.loads(output)["updated"] == 1


def test_invalid_settings_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[mqtt]\nhots = 1\n")
    code, output = run(bad, "devices", "list")
    assert code == 3
    assert "mqtt.hots: unknown key" in output


def test_deadletters_empty_store(config: Path) -> None:
    code, output = run(config, "deadletters", "list", "--json")
    assert code == 0 and json.loads(output) == []
    code, output = run(config, "deadletters", "counts", "--json")
    assert code == 0 and json.loads(output) == {}
