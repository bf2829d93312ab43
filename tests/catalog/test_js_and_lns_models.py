"""Catalog models decoded by a JavaScript codec or by the network server, through the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from lorahub.decoding.catalog import load_catalog
from lorahub.decoding.decode import decode_uplink
from lorahub.decoding.vectors import check_model
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.domain.uplink import Uplink
from lorahub.errors import CodecTimeout, ConfigError, NoDecoder
from tests.catalog_builder import build_test_catalog


@pytest.fixture(scope="module")
def catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_test_catalog(tmp_path_factory.mktemp("catalog") / "decoders")


def _uplink(**fields: object) -> Uplink:
    base: dict[str, object] = {
        "lns": "tts_v3",
        "dev_eui": DevEui("a81758fffe0c4e21"),
        "time_ns": 1,
        "f_port": 5,
        "f_cnt": 1,
        "payload": b"\x01\x00\xe2",
    }
    base.update(fields)
    return Uplink(**base)  # type: ignore[arg-type]


def _device(model: str, decoding: str = "model") -> Device:
    return Device(
        DevEui("a81758fffe0c4e21"),
        "d",
        ModelId(model),
        "t",
        "s",
        decoding=decoding,  # type: ignore[arg-type]
    )


def test_js_and_lns_models_pass_their_vectors(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    for model_id in ("acme/room-sensor", "acme/runaway", "acme/server-decoded"):
        report = check_model(catalog[ModelId(model_id)])
        assert report.failures == (), report.failures


def test_js_model_decodes_into_readings(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    model = catalog[ModelId("acme/room-sensor")]
    readings = decode_uplink(
        _uplink(payload=bytes.fromhex("0100e2022d0309c4")), _device(model.id), model
    ).readings
    assert readings == {"temperature": 22.6, "relative_humidity": 45.0, "battery_voltage": 2.5}


def test_js_limits_come_from_the_loader(catalog_dir: Path) -> None:
    from lorahub.decoding.js_codec import JsLimits

    catalog = load_catalog(catalog_dir, JsLimits(time_limit_s=0.02))
    with pytest.raises(CodecTimeout, match="20 ms"):
        decode_uplink(
            _uplink(payload=b"\x01"), _device("acme/runaway"), catalog[ModelId("acme/runaway")]
        )


def test_lns_model_uses_the_server_object_and_normalized_payload(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    model = catalog[ModelId("acme/server-decoded")]
    device = _device(model.id)
    assert decode_uplink(
        _uplink(lns_object={"temperature": 20.0, "occupancy": 0.0}), device, model
    ).readings == {"temperature": 20.0, "occupancy": 0}
    normalized = decode_uplink(
        _uplink(lns_normalized={"air": {"temperature": 19.5}}), device, model
    )
    assert normalized.readings == {"temperature": 19.5}
    with pytest.raises(NoDecoder):
        decode_uplink(_uplink(), device, model)


def test_a_single_device_can_use_the_server_object(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    model = catalog[ModelId("dragino/lht65n")]
    device = _device(model.id, decoding="lns")
    server_object = {"TempC_SHT": 12.34, "Hum_SHT": 78.5, "BatV": 3.021}
    readings = decode_uplink(_uplink(payload=b"\x00", lns_object=server_object), device, model)
    assert readings.readings == {
        "temperature": 12.34,
        "relative_humidity": 78.5,
        "battery_voltage": 3.021,
    }


def test_broken_codec_stops_loading_naming_the_file(tmp_path: Path) -> None:
    target = build_test_catalog(tmp_path / "decoders")
    (target / "acme" / "room_sensor" / "codec.js").write_text("function decodeUplink( {")
    with pytest.raises(ConfigError, match=r"room_sensor/codec\.js: codec does not load"):
        load_catalog(target)


def test_impossible_values_are_left_out_and_reported(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    model = catalog[ModelId("dragino/lht65n")]
    device = _device(model.id, decoding="lns")
    server_object = {"TempC_SHT": 327.67, "Hum_SHT": 78.5}
    normalized = decode_uplink(_uplink(payload=b"\x00", lns_object=server_object), device, model)
    assert normalized.readings == {"relative_humidity": 78.5}
    assert normalized.implausible == {"temperature": 327.67}
