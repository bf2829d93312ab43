"""LHT65N external-sensor types that the published vectors do not cover."""

from __future__ import annotations

import pytest

from lorahub.decoding.catalog import load_catalog
from lorahub.domain.ids import ModelId
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError
from tests.conftest import CATALOG_DIR

MODEL = load_catalog(CATALOG_DIR)[ModelId("dragino/lht65n")]
BASE: dict[str, JsonValue] = {"BatV": 3.062, "Bat_status": 3, "TempC_SHT": 28.29, "Hum_SHT": 88.6}


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    assert MODEL.decode is not None
    return MODEL.decode(payload, f_port)


@pytest.mark.parametrize(
    ("hex_payload", "extra"),
    [
        (
            "cbf60b0d0376040100ffff",
            {
                "Work_mode": "Interrupt Sensor send",
                "Exti_pin_level": "High",
                "Exti_status": "False",
            },
        ),
        ("cbf60b0d03760604d2ffff", {"Work_mode": "ADC Sensor", "ADC_V": 1.234}),
        ("cbf60b0d0376070102ffff", {"Work_mode": "Interrupt Sensor count", "Exit_count": 258}),
        ("cbf60b0d037608ffffffff", {"Work_mode": "Interrupt Sensor count", "Exit_count": -1}),
        (
            "cbf60b0d0376810add7fff",
            {
                "No_connect": "Sensor no connection",
                "Ext_sensor": "Temperature Sensor",
                "TempC_DS": 27.81,
            },
        ),
    ],
    ids=["interrupt", "adc", "count16", "count32", "no-connect"],
)
def test_ext_types(hex_payload: str, extra: dict[str, JsonValue]) -> None:
    assert decode(bytes.fromhex(hex_payload), 2) == BASE | extra


def test_ds18b20_and_timestamp() -> None:
    # Ext 9: bytes 0-1 are the probe temperature, Bat_status lives in byte 4's top bits.
    assert decode(bytes.fromhex("0add0b0dc37609665f3a00"), 2) == {
        "Bat_status": 3,
        "TempC_SHT": 28.29,
        "Hum_SHT": 88.6,
        "Work_mode": "DS18B20 & timestamp",
        "TempC_DS": 27.81,
        "Systimestamp": 0x665F3A00,
    }


def test_ds18b20_id() -> None:
    assert decode(bytes.fromhex("cbf6281234560f9a1b2c3d"), 2) == {
        "BatV": 3.062,
        "Bat_status": 3,
        "Work_mode": "DS18B20ID",
        "ID": "28 12 34 56 9a 1b 2c 3d ",
    }


def test_poll_reply_is_rejected() -> None:
    with pytest.raises(DecodeError, match="poll"):
        decode(bytes.fromhex("cbf60b0d0376410add7fff"), 2)
