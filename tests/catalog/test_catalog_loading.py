"""load_catalog fails loudly, naming the file, on broken catalog entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from lorahub.decoding.catalog import load_catalog
from lorahub.domain.ids import ModelId
from lorahub.errors import ConfigError

DEVICE_TOML = """\
id = "{model_id}"
vendor = "Acme"
name = "Widget"
family = "environment"
codec = "cayenne_lpp"
source = "test"

[fields."temperature_*"]
quantity = "{quantity}"
"""

VECTORS_YAML = """\
source: test
vectors:
  - description: one temperature
    f_port: 1
    bytes: "01670110"
    vendor: {temperature_1: 27.2}
"""


def write_model(
    root: Path,
    folder: str,
    *,
    model_id: str = "acme/widget",
    quantity: str = "temperature",
    vectors: bool = True,
) -> Path:
    directory = root / folder
    directory.mkdir(parents=True)
    metadata = directory / "device.toml"
    metadata.write_text(DEVICE_TOML.format(model_id=model_id, quantity=quantity), "utf-8")
    if vectors:
        (directory / "vectors.yaml").write_text(VECTORS_YAML, "utf-8")
    return metadata


def test_valid_entry_loads(tmp_path: Path) -> None:
    write_model(tmp_path, "acme/widget")
    catalog = load_catalog(tmp_path)
    model = catalog[ModelId("acme/widget")]
    assert model.decode is not None
    assert model.decode(bytes.fromhex("01670110"), 1) == {"temperature_1": 27.2}


def test_broken_toml(tmp_path: Path) -> None:
    metadata = write_model(tmp_path, "acme/widget")
    metadata.write_text('id = "acme/widget\nvendor = ', "utf-8")
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_catalog(tmp_path)
    assert str(metadata) in str(caught.value)


def test_unknown_quantity(tmp_path: Path) -> None:
    metadata = write_model(tmp_path, "acme/widget", quantity="warmth")
    with pytest.raises(ConfigError, match="unknown quantity 'warmth'") as caught:
        load_catalog(tmp_path)
    assert str(metadata) in str(caught.value)


def test_missing_vectors(tmp_path: Path) -> None:
    metadata = write_model(tmp_path, "acme/widget", vectors=False)
    with pytest.raises(ConfigError, match="missing") as caught:
        load_catalog(tmp_path)
    assert str(metadata.parent / "vectors.yaml") in str(caught.value)


def test_duplicate_id(tmp_path: Path) -> None:
    first = write_model(tmp_path, "acme/widget")
    second = write_model(tmp_path, "acme/widget_copy")
    with pytest.raises(ConfigError, match="already defined") as caught:
        load_catalog(tmp_path)
    assert str(second) in str(caught.value)
    assert str(first) in str(caught.value)
