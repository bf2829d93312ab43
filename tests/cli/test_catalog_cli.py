from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lorahub.cli.app import app
from tests.catalog_builder import CODECS, build_test_catalog


@pytest.fixture
def config(tmp_path: Path) -> Path:
    catalog = build_test_catalog(tmp_path / "decoders")
    path = tmp_path / "lorahub.toml"
    path.write_text(
        f'[catalog]\ndir = "{catalog}"\n[registry]\nurl = "sqlite:///{tmp_path / "r.db"}"\n'
    )
    return path


def run(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--config", str(config), *args])
    return result.exit_code, result.output


def test_catalog_list_shows_every_model(config: Path) -> None:
    code, output = run(config, "catalog", "list", "--json")
    assert code == 0, output
    models = {row["id"]: row for row in json.loads(output)}
    assert models["acme/room-sensor"]["codec"] == "js"
    assert models["acme/server-decoded"]["codec"] == "lns"
    assert models["elsys/ers-co2"]["vectors"] == 6
    assert models["elsys/ers-co2"]["family"] == "environment"


def test_catalog_test_passes_and_reports_failures(config: Path, tmp_path: Path) -> None:
    code, output = run(config, "catalog", "test", "--json")
    assert code == 0, output
    assert all(not row["failed"] for row in json.loads(output))
    vectors = tmp_path / "decoders" / "acme" / "room_sensor" / "vectors.yaml"
    vectors.write_text(vectors.read_text().replace("temperature: 22.6,", "temperature: 23.6,"))
    code, output = run(config, "catalog", "test", "--model", "acme/room-sensor")
    assert code == 1
    assert "acme/room-sensor#0" in output


def test_add_js_creates_a_loadable_model(config: Path, tmp_path: Path) -> None:
    code, output = run(
        config, "catalog", "add-js", "acme/new-sensor", str(CODECS / "room_sensor.js"),
        "--example", "5:0100e2022d", "--example", "5:09", "--family", "environment",
    )  # fmt: skip
    assert code == 0, output
    assert "humidity" in output and "temperature" in output
    folder = tmp_path / "decoders" / "acme" / "new_sensor"
    assert (folder / "codec.js").read_text() == (CODECS / "room_sensor.js").read_text()
    code, output = run(config, "catalog", "test", "--model", "acme/new-sensor", "--json")
    assert code == 0, output
    assert json.loads(output)[0]["vectors"] == 2
    code, output = run(
        config,
        "catalog",
        "add-js",
        "acme/new-sensor",
        str(CODECS / "room_sensor.js"),
        "--example",
        "5:01",
    )
    assert code == 1 and "already exists" in output


def test_add_js_from_ttn_codec_examples(config: Path, tmp_path: Path) -> None:
    codec_yaml = tmp_path / "codec.yaml"
    codec_yaml.write_text(
        """uplinkDecoder:
  fileName: room_sensor.js
  examples:
    - description: warm room
      input: {fPort: 5, bytes: [1, 0, 226]}
      output: {data: {temperature: 22.6, calls: 1, port: 5}, errors: [], warnings: []}
    - description: broken
      input: {fPort: 5, bytes: [9]}
      output: {errors: ["unknown record type 9"]}
"""
    )
    code, output = run(
        config, "catalog", "add-js", "acme/ttn-sensor", str(CODECS / "room_sensor.js"),
        "--examples", str(codec_yaml),
    )  # fmt: skip
    assert code == 0, output
    code, output = run(config, "catalog", "test", "--model", "acme/ttn-sensor", "--json")
    assert code == 0, output


def test_add_js_refuses_a_model_without_examples(config: Path) -> None:
    code, output = run(config, "catalog", "add-js", "acme/none", str(CODECS / "room_sensor.js"))
    assert code == 1 and "needs vectors" in output
