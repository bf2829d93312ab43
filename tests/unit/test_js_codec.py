"""The JavaScript codec runner: entry points, isolation, limits, and how failures are reported."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lorahub.decoding.js_codec import JsCodec, JsLimits
from lorahub.errors import (
    CodecFailure,
    CodecTimeout,
    ConfigError,
    DecodeError,
    RejectReason,
)

CODECS = Path(__file__).resolve().parents[1] / "fixtures" / "codecs"


def codec(name: str, limits: JsLimits | None = None) -> JsCodec:
    path = CODECS / name
    return JsCodec(path.read_text(), str(path), limits or JsLimits())


def test_decode_uplink_entry_point_with_warnings() -> None:
    room = codec("room_sensor.js")
    assert room.entry == "decodeUplink"
    result = room.run(bytes.fromhex("0100e2022d0309c4"), 5)
    assert result.data == {
        "temperature": 22.6,
        "humidity": 45,
        "battery_mv": 2500,
        "calls": 1,
        "port": 5,
    }
    assert result.warnings == []
    low = room.run(bytes.fromhex("0303e8"), 5)
    assert low.warnings == ["battery low"]


def test_every_call_gets_a_fresh_context_and_its_own_bytes() -> None:
    room = codec("room_sensor.js")
    payload = bytes.fromhex("01ff9c")
    first = room.decode(payload, 5)
    second = room.decode(payload, 5)
    assert first["calls"] == second["calls"] == 1, "implicit globals must not persist"
    assert first["temperature"] == second["temperature"] == -10.0
    assert payload == bytes.fromhex("01ff9c")


def test_legacy_decoder_entry_point_es2020_and_utc() -> None:
    legacy = codec("legacy_counter.js")
    assert legacy.entry == "Decoder"
    assert legacy.decode(bytes.fromhex("002a2a"), 3) == {
        "people": 42,
        "distinct_bytes": 2,
        "day": "1970-01-01T00:00:00.000Z",
    }
    with pytest.raises(DecodeError, match="no data"):
        legacy.decode(b"\x00\x01", 4)


def test_codec_errors_are_decode_failures() -> None:
    with pytest.raises(DecodeError, match="unknown record type 9") as caught:
        codec("room_sensor.js").decode(b"\x09", 5)
    assert caught.value.reason == RejectReason.DECODE_FAILED


def test_runaway_loop_is_stopped_at_the_time_limit() -> None:
    runaway = codec("runaway.js", JsLimits(time_limit_s=0.05))
    started = time.monotonic()
    with pytest.raises(CodecTimeout) as caught:
        runaway.decode(b"\x01", 1)
    assert time.monotonic() - started < 2.0
    assert caught.value.reason == RejectReason.CODEC_TIMEOUT
    assert runaway.decode(b"\x00", 1) == {"ok": 1}, "the next call works"


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        (2, "out of memory"),
        (3, "stack overflow"),
        (4, "boom"),
        (5, "not an object"),
    ],
)
def test_exploding_codecs_are_codec_errors(mode: int, message: str) -> None:
    runaway = codec("runaway.js", JsLimits(time_limit_s=2.0, memory_limit_bytes=8 * 1024 * 1024))
    with pytest.raises(CodecFailure, match=message) as caught:
        runaway.decode(bytes([mode]), 1)
    assert caught.value.reason == RejectReason.CODEC_ERROR


def test_empty_result_is_no_data() -> None:
    with pytest.raises(DecodeError, match="no data"):
        codec("runaway.js").decode(b"\x06", 1)


def test_codec_without_entry_point_or_syntax_is_refused() -> None:
    with pytest.raises(ConfigError, match="defines neither"):
        JsCodec("function other() {}", "x.js", JsLimits())
    with pytest.raises(ConfigError, match="does not load"):
        JsCodec("function decodeUplink( {", "y.js", JsLimits())
