"""A device model of the catalog: its metadata file (``device.toml``) and its runtime form."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lorahub.decoding.fieldmap import FieldRule
from lorahub.domain.device import Calibration
from lorahub.domain.ids import ModelId
from lorahub.domain.json_value import JsonObject, JsonValue

CodecKind = Literal["python", "cayenne_lpp", "js", "lns"]
"""How a model's payloads are decoded: a native decoder, the built-in Cayenne LPP decoder, a
TTN-style JavaScript codec (``codec.js``) in a sandbox, or the network server's own decoded
object. The set is closed; each kind has one implementation."""

Family = Literal["environment", "occupancy", "fill-level", "generic"]

VendorDecoder = Callable[[bytes, int], dict[str, JsonValue]]
"""``decode(payload, f_port)``: the maker's vendor fields; raises DecodeError."""

VendorEncoder = Callable[[Mapping[str, JsonValue], int], bytes]
"""``encode(fields, f_port)``: the inverse of decode, for the simulator and round-trip tests."""

Sampler = Callable[[random.Random], tuple[int, dict[str, JsonValue]]]
"""``sample(rng)``: a realistic ``(f_port, vendor fields)`` for the simulator."""


class FieldRuleSpec(BaseModel):
    """One entry of the ``[fields]`` table of ``device.toml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    quantity: str
    scale: float = 1.0
    offset: float = 0.0
    values: dict[str, float] = Field(default_factory=dict)
    requires: str | None = None


class CalibrationSpec(BaseModel):
    """Default calibration of a model (a device's own calibration overrides it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    empty_distance_m: float | None = None
    full_distance_m: float | None = None


class CayenneLppSpec(BaseModel):
    """Options of the ``cayenne_lpp`` codec kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    extended: bool = False
    """Also accept the common extended LPP types (voltage, concentration, ...); TTS does not."""


class DeviceModelSpec(BaseModel):
    """The contents of ``decoders/<vendor>/<model>/device.toml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    vendor: str
    name: str
    family: Family
    codec: CodecKind
    f_ports: list[int] = Field(default_factory=list)
    source: str
    description: str = ""
    fields: dict[str, FieldRuleSpec] = Field(default_factory=dict)
    calibration: CalibrationSpec = CalibrationSpec()
    cayenne_lpp: CayenneLppSpec = CayenneLppSpec()


class VectorSpec(BaseModel):
    """One test vector of ``vectors.yaml``: bytes in, vendor fields (or an error) out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    f_port: int
    bytes: str
    vendor: dict[str, JsonValue] | None = None
    readings: dict[str, float] | None = None
    error: str | None = None
    calibration: CalibrationSpec | None = None
    source: str | None = None
    codec_divergence: str | None = None
    codec_output: JsonValue = None


class VectorFileSpec(BaseModel):
    """The contents of ``vectors.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    vectors: list[VectorSpec] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class DeviceModel:
    """A loaded, validated catalog entry."""

    id: ModelId
    vendor: str
    name: str
    family: Family
    codec: CodecKind
    f_ports: tuple[int, ...]
    source: str
    folder: Path
    rules: tuple[FieldRule, ...]
    calibration: Calibration
    vectors: tuple[VectorSpec, ...]
    decode: VendorDecoder | None
    encode: VendorEncoder | None
    sample: Sampler | None

    def decode_vendor(self, payload: bytes, f_port: int) -> JsonObject | None:
        """Run the model's decoder; None for ``lns`` models, which have none of their own."""
        if self.decode is None:
            return None
        return self.decode(payload, f_port)
