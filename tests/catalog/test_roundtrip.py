"""Property tests of every native decoder: encode/decode round trips and robustness to noise."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lorahub.decoding.catalog import load_catalog
from lorahub.decoding.model import DeviceModel
from lorahub.errors import DecodeError
from tests.conftest import CATALOG_DIR

MODELS = [
    pytest.param(model, id=model.id)
    for model in load_catalog(CATALOG_DIR).values()
    if model.codec in ("python", "cayenne_lpp")
]


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - a simulator's source, not cryptography


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=200, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**64 - 1))
def test_decode_inverts_encode(model: DeviceModel, seed: int) -> None:
    assert model.sample is not None
    assert model.encode is not None
    assert model.decode is not None
    f_port, fields = model.sample(seeded(seed))
    if model.f_ports:
        assert f_port in model.f_ports
    payload = model.encode(fields, f_port)
    assert model.decode(payload, f_port) == fields


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=500, deadline=None)
@given(payload=st.binary(max_size=80), data=st.data())
def test_random_bytes_decode_or_raise_decode_error(
    model: DeviceModel, payload: bytes, data: st.DataObject
) -> None:
    assert model.decode is not None
    ports = st.sampled_from(model.f_ports) if model.f_ports else st.integers(1, 223)
    f_port = data.draw(st.one_of(ports, st.integers(1, 255)), label="f_port")
    try:
        result = model.decode(payload, f_port)
    except DecodeError:
        return
    assert isinstance(result, dict)
    assert all(isinstance(key, str) for key in result)


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_corrupted_frames_decode_or_raise_decode_error(
    model: DeviceModel, data: st.DataObject
) -> None:
    """Noise rarely looks like a frame; mutate real frames (truncate, flip, extend) instead."""
    assert model.sample is not None
    assert model.encode is not None
    assert model.decode is not None
    f_port, fields = model.sample(seeded(data.draw(st.integers(0, 2**32), label="seed")))
    frame = bytearray(model.encode(fields, f_port))
    cut = data.draw(st.integers(0, len(frame)), label="cut")
    frame = frame[:cut] + data.draw(st.binary(max_size=4), label="tail")
    if frame:
        index = data.draw(st.integers(0, len(frame) - 1), label="index")
        frame[index] = data.draw(st.integers(0, 255), label="byte")
    try:
        result = model.decode(bytes(frame), f_port)
    except DecodeError:
        return
    assert isinstance(result, dict)
