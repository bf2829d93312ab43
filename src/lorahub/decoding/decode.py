"""Decode one uplink of a known device into canonical readings, by its model's codec kind."""

from __future__ import annotations

from lorahub.decoding.fieldmap import Normalized, normalize_checked
from lorahub.decoding.model import DeviceModel
from lorahub.domain.device import Calibration, Device
from lorahub.domain.json_value import JsonObject, JsonValue
from lorahub.domain.uplink import Uplink
from lorahub.errors import DecodeError, NoDecoder


def effective_calibration(device: Device, model: DeviceModel) -> Calibration:
    """The device's own calibration where set, else the model's default."""
    own = device.calibration
    return Calibration(
        own.empty_distance_m
        if own.empty_distance_m is not None
        else model.calibration.empty_distance_m,
        own.full_distance_m
        if own.full_distance_m is not None
        else model.calibration.full_distance_m,
    )


def decode_uplink(uplink: Uplink, device: Device, model: DeviceModel) -> Normalized:
    """Return the canonical readings of ``uplink`` (and its physically impossible values).

    A MAC-only frame (fPort 0) has no readings. ``lns`` models, and devices set to ``lns``
    decoding, use the network server's decoded object (with TTS's normalized payload under
    ``normalized``) through the model's field map; every other kind runs its own decoder on
    the payload bytes.

    Raises:
        DecodeError: the payload does not decode.
        NoDecoder: an ``lns`` model but the server sent no decoded object.
    """
    if uplink.mac_only:
        return Normalized({}, {})
    if model.codec == "lns" or device.decoding == "lns":
        vendor = _server_object(uplink, model)
    else:
        decoded = model.decode_vendor(uplink.payload, uplink.f_port)
        if decoded is None:  # pragma: no cover - only lns models have no decoder
            raise NoDecoder(f"model {model.id} has no decoder")
        vendor = decoded
    try:
        return normalize_checked(vendor, model.rules, effective_calibration(device, model))
    except (TypeError, ValueError) as exc:  # defensive: a codec returned an odd shape
        raise DecodeError(f"cannot normalise output of {model.id}: {exc}") from exc


def _server_object(uplink: Uplink, model: DeviceModel) -> JsonObject:
    if uplink.lns_object is None and uplink.lns_normalized is None:
        raise NoDecoder(
            f"device uses the network server's decoded object (model {model.id}), "
            "but this uplink carries none"
        )
    vendor: dict[str, JsonValue] = dict(uplink.lns_object or {})
    if uplink.lns_normalized is not None:
        vendor["normalized"] = dict(uplink.lns_normalized)
    return vendor
