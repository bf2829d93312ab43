"""The shared Milesight channel frame, through every Milesight model's record table."""

from __future__ import annotations

import importlib
import random
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lorahub.decoding.milesight_channels import F_PORT, ChannelTable
from lorahub.errors import DecodeError
from tests.conftest import CATALOG_DIR

FOLDERS = sorted(p.parent.name for p in (CATALOG_DIR / "milesight_iot").glob("*/decoder.py"))


def _module(folder: str) -> ModuleType:
    return importlib.import_module(f"decoders.milesight_iot.{folder}.decoder")


def _table(module: ModuleType) -> ChannelTable:
    table = module.TABLE
    assert isinstance(table, ChannelTable)
    return table


MODULES = [pytest.param(_module(folder), id=folder) for folder in FOLDERS]


def test_every_milesight_model_is_covered() -> None:
    expected = {"am307", "am319", "em310_udl", "em400_tld", "em500_udl", "vs121", "vs133", "ws202"}
    assert expected <= set(FOLDERS)


def _frames(table: ChannelTable) -> st.SearchStrategy[bytes]:
    """Frames of 1-6 known records with arbitrary value bytes, in any order, repeats allowed."""
    records = [
        st.tuples(st.just(bytes(channel)), st.binary(min_size=record.size, max_size=record.size))
        for channel, record in table.channels.items()
    ]
    return st.lists(st.one_of(records), min_size=1, max_size=6).map(
        lambda pairs: b"".join(header + value for header, value in pairs)
    )


@pytest.mark.parametrize("module", MODULES)
@settings(max_examples=200, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**64 - 1))
def test_decode_inverts_encode_for_samples(module: ModuleType, seed: int) -> None:
    f_port, fields = module.sample(random.Random(seed))  # noqa: S311 - simulator data
    assert f_port == F_PORT
    assert module.decode(module.encode(fields, F_PORT), F_PORT) == fields


@pytest.mark.parametrize("module", MODULES)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_record_of_the_table_round_trips(module: ModuleType, data: st.DataObject) -> None:
    """Whatever a frame of known records decodes to, encoding it gives the same fields back."""
    frame = data.draw(_frames(_table(module)), label="frame")
    fields = module.decode(frame, F_PORT)
    assert module.decode(module.encode(fields, F_PORT), F_PORT) == fields


@pytest.mark.parametrize("module", MODULES)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_mutated_frames_decode_or_raise_decode_error(
    module: ModuleType, data: st.DataObject
) -> None:
    frame = bytearray(data.draw(_frames(_table(module)), label="frame"))
    frame = frame[: data.draw(st.integers(0, len(frame)), label="cut")]
    frame += data.draw(st.binary(max_size=3), label="tail")
    if frame:
        frame[data.draw(st.integers(0, len(frame) - 1), label="index")] = data.draw(
            st.integers(0, 255), label="byte"
        )
    try:
        fields = module.decode(bytes(frame), F_PORT)
    except DecodeError:
        return
    assert fields
    assert all(isinstance(key, str) for key in fields)


@pytest.mark.parametrize("module", MODULES)
@settings(max_examples=300, deadline=None)
@given(payload=st.binary(max_size=64))
def test_random_bytes_decode_or_raise_decode_error(module: ModuleType, payload: bytes) -> None:
    try:
        fields = module.decode(payload, F_PORT)
    except DecodeError:
        return
    assert fields


@pytest.mark.parametrize("module", MODULES)
def test_every_truncated_record_raises(module: ModuleType) -> None:
    for channel, record in _table(module).channels.items():
        for size in range(record.size):
            with pytest.raises(DecodeError, match="truncated record"):
                module.decode(bytes(channel) + bytes(size), F_PORT)
        with pytest.raises(DecodeError, match="dangling byte"):
            module.decode(bytes(channel) + bytes(record.size) + bytes(channel[:1]), F_PORT)


@pytest.mark.parametrize("module", MODULES)
def test_empty_and_unknown_frames_raise(module: ModuleType) -> None:
    for payload in (b"", bytes.fromhex("ff0bff"), bytes.fromhex("ff0101ff166136c19146960000")):
        with pytest.raises(DecodeError, match="no measurement record"):
            module.decode(payload, F_PORT)


@pytest.mark.parametrize("module", MODULES)
def test_unknown_channel_stops_parsing_and_keeps_the_prefix(module: ModuleType) -> None:
    channel, record = next(iter(_table(module).channels.items()))
    known = bytes(channel) + bytes(record.size)
    assert module.decode(known + bytes.fromhex("ff0101") + known, F_PORT) == module.decode(
        known, F_PORT
    )


@pytest.mark.parametrize("module", MODULES)
def test_encode_rejects_unknown_fields(module: ModuleType) -> None:
    with pytest.raises(ValueError, match="no record carries"):
        module.encode({"no_such_field": 1}, F_PORT)


def test_encode_needs_every_key_of_a_record() -> None:
    with pytest.raises(ValueError, match="needs all keys"):
        _module("vs133").encode({"line_1": {"period_in": 1}}, F_PORT)
    with pytest.raises(ValueError, match="out of range"):
        _module("em310_udl").encode({"distance": 70_000}, F_PORT)
    with pytest.raises(ValueError, match="must be 'normal' or 'trigger'"):
        _module("ws202").encode({"pir": "maybe"}, F_PORT)


def test_em400_alarm_channels_are_chosen_when_their_flag_is_given() -> None:
    em400 = _module("em400_tld")
    assert em400.encode({"distance": 100, "distance_alarming": True}, F_PORT).hex() == "8482640001"
    assert em400.encode({"distance": 100}, F_PORT).hex() == "04826400"


def test_vs121_regions_are_a_bit_test_of_the_big_endian_mask() -> None:
    fields = _module("vs121").decode(bytes.fromhex("04c902040005"), F_PORT)
    assert fields["regions"] == [
        {"index": 0, "count": 1},
        {"index": 1, "count": 0},
        {"index": 2, "count": 1},
        {"index": 3, "count": 0},
    ]


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_am307_is_the_am319_layout_with_two_renamed_keys(data: st.DataObject) -> None:
    am319, am307 = _module("am319"), _module("am307")
    assert _table(am319).channels.keys() == _table(am307).channels.keys()
    frame = data.draw(_frames(_table(am319)), label="frame")
    rename = {"activity": "pir", "pm2.5": "pm2_5"}
    expected = {rename.get(k, k): v for k, v in am319.decode(frame, F_PORT).items()}
    assert am307.decode(frame, F_PORT) == expected
