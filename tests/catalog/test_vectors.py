"""Every vector of every catalog model: decoded vendor fields, errors and normalised readings."""

from __future__ import annotations

import math

import pytest

from lorahub.decoding.catalog import Catalog, load_catalog
from lorahub.decoding.fieldmap import normalize
from lorahub.decoding.model import DeviceModel, VectorSpec
from lorahub.domain.device import Calibration
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError
from tests.conftest import CATALOG_DIR

REL_TOL = 1e-9
MIN_TOTAL_VECTORS = 51

CATALOG: Catalog = load_catalog(CATALOG_DIR)
CASES = [
    pytest.param(model, vector, id=f"{model.id}#{index}")
    for model in CATALOG.values()
    for index, vector in enumerate(model.vectors)
]


def same(actual: JsonValue, expected: JsonValue) -> bool:
    """Numbers within a relative tolerance, everything else exactly, recursively."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=1e-12)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(
            same(a, e) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            same(actual[k], expected[k]) for k in expected
        )
    return type(actual) is type(expected) and actual == expected


@pytest.mark.parametrize(("model", "vector"), CASES)
def test_vector(model: DeviceModel, vector: VectorSpec) -> None:
    assert model.decode is not None
    payload = bytes.fromhex(vector.bytes)
    if vector.error is not None:
        assert vector.vendor is None, "a vector expects either an error or vendor fields"
        with pytest.raises(DecodeError):
            model.decode(payload, vector.f_port)
        return
    assert vector.vendor is not None, "a vector without error must give vendor fields"
    vendor = model.decode(payload, vector.f_port)
    assert same(vendor, dict(vector.vendor)), f"decoded {vendor!r}"
    if vector.readings is not None:
        calibration = model.calibration
        if vector.calibration is not None:
            calibration = Calibration(
                vector.calibration.empty_distance_m, vector.calibration.full_distance_m
            )
        readings = normalize(vendor, model.rules, calibration)
        expected: dict[str, JsonValue] = dict(vector.readings)
        assert same(dict(readings), expected), f"normalised {readings!r}"


@pytest.mark.parametrize(("model", "vector"), CASES)
def test_divergence_is_documented(model: DeviceModel, vector: VectorSpec) -> None:
    assert (vector.codec_divergence is None) == (vector.codec_output is None), (
        "codec_divergence and codec_output go together"
    )


def test_every_model_has_vectors() -> None:
    for model in CATALOG.values():
        assert model.vectors, f"{model.id} has no vectors"
    assert sum(len(m.vectors) for m in CATALOG.values()) >= MIN_TOTAL_VECTORS


def test_same_helper_is_strict_on_types_and_shapes() -> None:
    assert same({"a": [1, {"b": 2.0}]}, {"a": [1.0, {"b": 2}]})
    assert not same({"a": 1}, {"a": 1, "b": 2})
    assert not same([1, 2], [1])
    assert not same("25.00", 25.0)
    assert not same(True, 1)
    assert not same(1.0, 1.001)
