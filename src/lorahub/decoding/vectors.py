"""Check a model against its test vectors (used by the test suite and ``lorahub catalog test``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from lorahub.decoding.fieldmap import normalize
from lorahub.decoding.model import DeviceModel, VectorSpec
from lorahub.domain.device import Calibration
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

REL_TOL = 1e-9
ABS_TOL = 1e-12


@dataclass(frozen=True, slots=True)
class VectorOutcome:
    """Whether one vector passed, and what differed when it did not."""

    passed: bool
    detail: str = ""


def same(actual: JsonValue, expected: JsonValue) -> bool:
    """Numbers within a relative tolerance, everything else exactly, recursively."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(
            same(a, e) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            same(actual[k], expected[k]) for k in expected
        )
    return type(actual) is type(expected) and actual == expected


def check_vector(model: DeviceModel, vector: VectorSpec) -> VectorOutcome:
    """Decode the vector's bytes with ``model`` and compare with what the vector expects.

    An ``error`` vector passes when decoding raises DecodeError (or a subclass); otherwise the
    vendor fields must match, and the canonical readings too where the vector gives them.
    A model decoded by the network server (codec ``lns``) has no decoder: its vectors give the
    server's object as ``vendor`` and the ``readings`` the field map must make of it.
    """
    if model.decode is None:
        if vector.vendor is None or vector.readings is None:
            return VectorOutcome(False, "an lns model's vector needs 'vendor' and 'readings'")
        return _check_readings(model, vector, dict(vector.vendor))
    if (vector.error is None) == (vector.vendor is None):
        return VectorOutcome(False, "a vector expects exactly one of 'error' and 'vendor'")
    payload = bytes.fromhex(vector.bytes)
    try:
        vendor = model.decode(payload, vector.f_port)
    except DecodeError as exc:
        if vector.error is not None:
            return VectorOutcome(True)
        return VectorOutcome(False, f"decode failed: {exc.message}")
    if vector.vendor is None:
        return VectorOutcome(False, f"expected an error ({vector.error}), decoded {vendor!r}")
    if not same(vendor, dict(vector.vendor)):
        return VectorOutcome(False, f"decoded {vendor!r}, expected {dict(vector.vendor)!r}")
    return _check_readings(model, vector, vendor)


def _check_readings(
    model: DeviceModel, vector: VectorSpec, vendor: dict[str, JsonValue]
) -> VectorOutcome:
    if vector.readings is None:
        return VectorOutcome(True)
    calibration = model.calibration
    if vector.calibration is not None:
        calibration = Calibration(
            vector.calibration.empty_distance_m, vector.calibration.full_distance_m
        )
    readings: dict[str, JsonValue] = dict(normalize(vendor, model.rules, calibration))
    if not same(readings, dict(vector.readings)):
        return VectorOutcome(False, f"normalised {readings!r}, expected {dict(vector.readings)!r}")
    return VectorOutcome(True)


@dataclass(frozen=True, slots=True)
class VectorFailure:
    """One vector of a model that did not pass."""

    index: int
    description: str
    detail: str


@dataclass(frozen=True, slots=True)
class ModelReport:
    """How a model did on its vectors."""

    model: DeviceModel
    failures: tuple[VectorFailure, ...]

    @property
    def passed(self) -> int:
        """How many vectors passed."""
        return len(self.model.vectors) - len(self.failures)


def check_model(model: DeviceModel) -> ModelReport:
    """Run every vector of ``model``."""
    failures = []
    for index, vector in enumerate(model.vectors):
        outcome = check_vector(model, vector)
        if not outcome.passed:
            failures.append(VectorFailure(index, vector.description, outcome.detail))
    return ModelReport(model, tuple(failures))
