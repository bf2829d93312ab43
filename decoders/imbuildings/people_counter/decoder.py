"""IMBuildings People Counter (payload type 2): decode, encode and sample variants 6, 7 and 8.

Port of the people-counter part of ``imbuildings.js`` (TTN lorawan-devices @96abc53). A payload
carries the 10-byte IMBuildings header (type, variant, 8-byte device id) only when its first two
bytes and length are one of the known combinations; then the fPort does not matter. Without the
header, fPort 26/27/28 selects variant 6/7/8 and the length must match exactly. Fields are read
from the end of the payload, big-endian. Unlike the codec, the cases where it returns ``{}`` or
``{"errors": [...]}``, and other IMBuildings products' payloads, raise DecodeError.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Mapping

from lorahub.decoding.vendor_values import require_number
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

PEOPLE_COUNTER = 2
HEADER_SIZE = 10
_HEADERS = {(1, 3, 20), (2, 6, 23), (2, 7, 15), (2, 8, 14), (3, 3, 14), (3, 4, 23)}
_PORT_VARIANTS = {26: 6, 27: 7, 28: 8}
_OTHER_PORTS = {13: "comfort sensor", 33: "button", 34: "button", 10: "downlink response"}
_VOLTS = "battery_voltage"  # u16 in 10 mV; every other field is an integer
_TOTALS = ("sensor_status", "total_counter_a", "total_counter_b", "payload_counter")
_BODIES: dict[int, tuple[struct.Struct, tuple[str, ...]]] = {  # variant: layout, output order
    6: (struct.Struct(">BHHHBHHB"), ("device_status", _VOLTS, "counter_a", "counter_b", *_TOTALS)),
    7: (struct.Struct(">BHH"), _TOTALS[:3]),
    8: (struct.Struct(">BHB"), ("device_status", _VOLTS, "sensor_status")),
}
_VARIANT_PORTS = {variant: port for port, variant in _PORT_VARIANTS.items()}


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a people-counter uplink, with or without the IMBuildings header.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (ignored when the header is present).

    Returns:
        ``payload_type``, ``payload_variant``, ``device_id`` (with the header only), then the
        variant's fields: counters, ``battery_voltage`` (V) and status bytes.

    Raises:
        DecodeError: no header and an fPort/length that selects no people-counter payload, or
            the header of another IMBuildings product.
    """
    fields: dict[str, JsonValue]
    if len(payload) >= 2 and (payload[0], payload[1], len(payload)) in _HEADERS:
        if payload[0] != PEOPLE_COUNTER:
            raise DecodeError(
                f"imbuildings: payload type {payload[0]} variant {payload[1]} "
                "is not a people counter"
            )
        variant = payload[1]
        fields = {
            "payload_type": PEOPLE_COUNTER,
            "payload_variant": variant,
            "device_id": payload[2:HEADER_SIZE].hex(),
        }
    elif f_port in _PORT_VARIANTS:
        variant = _PORT_VARIANTS[f_port]
        if len(payload) != _BODIES[variant][0].size:
            raise DecodeError(
                f"imbuildings: unable to detect payload: fPort {f_port} (variant {variant}) needs "
                f"{_BODIES[variant][0].size} bytes, got {len(payload)}"
            )
        fields = {"payload_type": PEOPLE_COUNTER, "payload_variant": variant}
    elif f_port in _OTHER_PORTS:
        raise DecodeError(f"imbuildings: fPort {f_port} carries {_OTHER_PORTS[f_port]} payloads")
    else:
        raise DecodeError(f"imbuildings: no header and fPort {f_port} selects no payload")
    layout, names = _BODIES[variant]
    values = layout.unpack_from(payload, len(payload) - layout.size)
    for name, value in zip(names, values, strict=True):
        fields[name] = value / 100 if name == _VOLTS else value
    return fields


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields into a frame: with the header if ``device_id`` is present.

    Raises:
        ValueError: an unknown variant, a missing field, a value the frame cannot carry, or a
            headerless frame for an fPort other than the variant's own.
    """
    variant = fields.get("payload_variant")
    if (
        fields.get("payload_type") != PEOPLE_COUNTER
        or not isinstance(variant, int)
        or variant not in _BODIES
    ):
        raise ValueError(f"imbuildings: cannot encode {dict(fields)!r}: not type 2 variant 6-8")
    layout, names = _BODIES[variant]
    try:
        body = layout.pack(
            *(round(_number(fields, name) * (100 if name == _VOLTS else 1)) for name in names)
        )
    except (KeyError, struct.error) as exc:
        raise ValueError(f"imbuildings: cannot encode {dict(fields)!r}: {exc!r}") from exc
    device_id = fields.get("device_id")
    if device_id is None:
        if f_port != _VARIANT_PORTS[variant]:
            raise ValueError(
                f"imbuildings: a headerless variant {variant} needs fPort "
                f"{_VARIANT_PORTS[variant]}, not {f_port}"
            )
        return body
    if not isinstance(device_id, str) or len(device_id) != 16 or device_id != device_id.lower():
        raise ValueError(f"imbuildings: device_id {device_id!r} is not 16 lowercase hex digits")
    return bytes((PEOPLE_COUNTER, variant)) + bytes.fromhex(device_id) + body


def _number(fields: Mapping[str, JsonValue], key: str) -> float:
    return require_number(fields[key], f"imbuildings: {key}")


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible report of a doorway counter, with or without the header.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(f_port, fields)``: fPort 1 with the header, else the variant's fPort 26-28.
    """
    variant = rng.choice((6, 6, 7, 8))
    fields: dict[str, JsonValue] = {"payload_type": PEOPLE_COUNTER, "payload_variant": variant}
    header = rng.random() < 0.5
    if header:
        fields["device_id"] = f"0004a30b{rng.getrandbits(32):08x}"
    total_a, total_b = rng.randint(0, 40_000), rng.randint(0, 40_000)
    values: dict[str, JsonValue] = {
        "device_status": 0,
        "battery_voltage": rng.randint(290, 330) / 100,
        "counter_a": rng.randint(0, 50),
        "counter_b": rng.randint(0, 50),
        "sensor_status": 0,
        "total_counter_a": total_a,
        "total_counter_b": total_b,
        "payload_counter": rng.randint(0, 255),
    }
    fields.update((name, values[name]) for name in _BODIES[variant][1])
    return (1 if header else _VARIANT_PORTS[variant]), fields
