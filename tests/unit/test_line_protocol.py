"""Line protocol formatting, cross-checked against influxdb_client's Point."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from influxdb_client.client.write.point import Point as _Point

from lorahub.adapters.line_protocol import (
    escape_measurement,
    escape_tag,
    format_field_value,
    line,
    series_key,
)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("readings", "readings"),
        ("my readings,v2", r"my\ readings\,v2"),
        ("a=b", "a=b"),  # '=' needs no escape in a measurement
        ("température ✓", r"température\ ✓"),
        ("two\nlines\r", r"two\ lines\ "),
        (r"back\slash", r"back\slash"),
        ("ends\\", "ends"),
    ],
)
def test_escape_measurement(raw: str, escaped: str) -> None:
    assert escape_measurement(raw) == escaped


@pytest.mark.parametrize("raw", ["", "#comment", "\\"])
def test_escape_measurement_rejects_unwritable_names(raw: str) -> None:
    with pytest.raises(ValueError, match="measurement"):
        escape_measurement(raw)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain", "plain"),
        ("north field", r"north\ field"),
        ("a,b=c d", r"a\,b\=c\ d"),
        ("ünïcødé ✓ 温度", r"ünïcødé\ ✓\ 温度"),
        ("line\nbreak\r\nx", r"line\ break\ \ x"),
        ("tab\tkept", "tab\tkept"),
        (r"mid\dle", r"mid\dle"),
        (r"dbl\\x", r"dbl\\x"),
        # backslashes that would escape the next character cannot be stored: dropped
        ("trailing\\", "trailing"),
        ("trailing\\\\", "trailing"),
        ("a\\,b", r"a\,b"),
        ("a\\ b", r"a\ b"),
        ("a\\=b", r"a\=b"),
        ("a\\\\,b", r"a\,b"),
        ("a\\\nb", r"a\ b"),
        ("", ""),
    ],
)
def test_escape_tag(raw: str, escaped: str) -> None:
    assert escape_tag(raw) == escaped


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        (0, "0i"),
        (-97, "-97i"),
        (2**63 - 1, "9223372036854775807i"),
        (-(2**63), "-9223372036854775808i"),
        (21.5, "21.5"),
        (1.0, "1"),
        (-0.0, "-0"),
        (1e16, "1e+16"),
        (1.5e-7, "1.5e-07"),
        (5e-324, "5e-324"),
        ("", '""'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash\\", r'"back\\slash\\"'),
        ("multi\nline", '"multi\nline"'),
        ("ünï ✓", '"ünï ✓"'),
    ],
)
def test_format_field_value(value: float | int | bool | str, text: str) -> None:
    assert format_field_value(value) == text


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 2**63, -(2**63) - 1])
def test_format_field_value_rejects_unwritable_numbers(value: float) -> None:
    with pytest.raises(ValueError, match=r"nan|inf|int64"):
        format_field_value(value)


def test_format_field_value_rejects_other_types() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        format_field_value(None)  # type: ignore[arg-type]


def test_format_field_value_accepts_subclasses() -> None:
    class Level(int):
        pass

    assert format_field_value(Level(3)) == "3i"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_round_trip(value: float) -> None:
    text = format_field_value(value)
    assert not text.endswith("i")
    assert float(text) == value
    assert math.copysign(1.0, float(text)) == math.copysign(1.0, value)


def test_series_key_sorts_tags_and_leaves_out_empty_values() -> None:
    key = series_key("readings", [("site", "north field"), ("device", "a1"), ("empty", "")])
    assert key == r"readings,device=a1,site=north\ field"


def test_series_key_rejects_empty_tag_key() -> None:
    with pytest.raises(ValueError, match="empty tag key"):
        series_key("m", [("", "x")])


def test_line() -> None:
    series = series_key("readings", [("device", "a1")])
    fields: list[tuple[str, float | int | bool | str]] = [
        ("temperature", 21.5),
        ("rssi", -97),
        ("ok", True),
        ("note", 'a "b"'),
        ("x y", 1.0),
    ]
    assert (
        line(series, fields, 1_700_000_000_123_456_789)
        == r'readings,device=a1 temperature=21.5,rssi=-97i,ok=true,note="a \"b\"",x\ y=1'
        + " 1700000000123456789"
    )


def test_line_needs_fields() -> None:
    with pytest.raises(ValueError, match="at least one field"):
        line("m", [], 1)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_line_never_writes_nan_or_inf(bad: float) -> None:
    with pytest.raises(ValueError, match=r"nan|inf"):
        line("m", [("ok", 1.0), ("bad", bad)], 1)


Point: Any = _Point  # untyped library

# Where both encoders agree: influxdb_client writes newlines and tabs as the two characters
# "\n"/"\t" (we write a space / a literal tab), appends a space to a trailing backslash and
# breaks the line on a backslash before a comma, space or equals sign (we drop that backslash),
# and writes a measurement starting with '#' (which InfluxDB ignores as a comment; we raise).
_NAME_CHARS = st.characters(exclude_characters="\n\r\t\\")
names = st.text(_NAME_CHARS, min_size=1, max_size=12)
measurements = names.filter(lambda s: not s.startswith("#"))
field_values = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),  # string fields: anything, backslashes, quotes and newlines included
)


@given(
    measurement=measurements,
    tags=st.dictionaries(names, st.text(_NAME_CHARS, max_size=12), max_size=5),
    fields=st.dictionaries(names, field_values, min_size=1, max_size=6),
    time_ns=st.integers(min_value=0, max_value=2**62),
)
def test_agrees_with_influxdb_client(
    measurement: str,
    tags: dict[str, str],
    fields: dict[str, float | int | bool | str],
    time_ns: int,
) -> None:
    point = Point(measurement)
    for key, value in tags.items():
        point.tag(key, value)
    for key, field in fields.items():
        point.field(key, field)
    point.time(time_ns, "ns")
    ours = line(
        series_key(measurement, list(tags.items())),
        sorted(fields.items(), key=lambda item: item[0]),
        time_ns,
    )
    assert ours == point.to_line_protocol()


@given(
    st.lists(
        st.one_of(st.integers(), st.floats(), st.booleans(), st.text(max_size=5)),
        min_size=1,
        max_size=6,
    )
)
def test_line_formats_every_value_as_format_field_value_does(values: list[Any]) -> None:
    """The inlined int and float path of ``line`` agrees with ``format_field_value``."""
    fields = [(f"f{index}", value) for index, value in enumerate(values)]
    try:
        expected = ",".join(f"{key}={format_field_value(value)}" for key, value in fields)
    except ValueError:
        with pytest.raises(ValueError, match=r"cannot be written|outside int64"):
            line("m", fields, 1)
        return
    assert line("m", fields, 1) == f"m {expected} 1"
