"""Every vector of every catalog model: decoded vendor fields, errors and normalised readings."""

from __future__ import annotations

import pytest

from lorahub.decoding.catalog import Catalog, load_catalog
from lorahub.decoding.model import DeviceModel, VectorSpec
from lorahub.decoding.vectors import check_vector, same
from tests.conftest import CATALOG_DIR

MIN_TOTAL_VECTORS = 51

CATALOG: Catalog = load_catalog(CATALOG_DIR)
CASES = [
    pytest.param(model, vector, id=f"{model.id}#{index}")
    for model in CATALOG.values()
    for index, vector in enumerate(model.vectors)
]


@pytest.mark.parametrize(("model", "vector"), CASES)
def test_vector(model: DeviceModel, vector: VectorSpec) -> None:
    outcome = check_vector(model, vector)
    assert outcome.passed, outcome.detail


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
