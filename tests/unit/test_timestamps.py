"""RFC 3339 to nanoseconds: offsets, fraction lengths, and everything that must be rejected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lorahub.envelopes.timestamps import parse_rfc3339_ns

BASE = 1_747_215_011 * 1_000_000_000  # 2025-05-14T09:30:11Z


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-05-14T09:30:11Z", BASE),
        ("2025-05-14T09:30:11z", BASE),
        ("2025-05-14t09:30:11Z", BASE),
        ("2025-05-14 09:30:11Z", BASE),
        ("2025-05-14T09:30:11+00:00", BASE),
        ("2025-05-14T09:30:11-00:00", BASE),
        ("2025-05-14T11:30:11+02:00", BASE),
        ("2025-05-14T04:00:11-05:30", BASE),
        ("2025-05-14T09:30:11.2Z", BASE + 200_000_000),
        ("2025-05-14T09:30:11.208Z", BASE + 208_000_000),
        ("2025-05-14T09:30:11.208407+00:00", BASE + 208_407_000),
        ("2025-05-14T09:30:11.469407883Z", BASE + 469_407_883),
        ("2025-05-14T09:30:11.000000001Z", BASE + 1),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.5Z", -500_000_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800 * 1_000_000_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800 * 1_000_000_000),
        ("9999-12-31T23:59:59.999999999Z", 253_402_300_799_999_999_999),
    ],
)
def test_parses(text: str, expected: int) -> None:
    assert parse_rfc3339_ns(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2025-05-14",
        "2025-05-14T09:30:11",  # no offset
        "2025-05-14T09:30Z",  # no seconds
        "2025-05-14T09:30:11.Z",  # dot without digits
        "2025-05-14T09:30:11.1234567890Z",  # 10 fraction digits
        "2025-05-14T09:30:11+0000",
        "2025-05-14T09:30:11+24:00",
        "2025-05-14T09:30:11+01:60",
        "2025-13-14T09:30:11Z",
        "2025-00-14T09:30:11Z",
        "2025-02-29T09:30:11Z",  # not a leap year
        "2025-04-31T09:30:11Z",
        "0000-01-01T00:00:00Z",
        "2025-05-14T24:00:00Z",
        "2025-05-14T09:60:11Z",
        "2025-05-14T09:30:60Z",  # leap seconds are not accepted
        " 2025-05-14T09:30:11Z",
        "2025-05-14T09:30:11Z ",
        "2025-05-14T09:30:11\u0665Z",
        "\u0662\u0660\u0662\u0665-05-14T09:30:11Z",  # Arabic-Indic digits
        "1431250229.208s",  # a duration
    ],
)
def test_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"RFC 3339|range|day|month|year"):
        parse_rfc3339_ns(text)


@given(
    moment=st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
    ),
    offset_minutes=st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
    extra_ns=st.integers(min_value=0, max_value=999),
)
def test_agrees_with_datetime(moment: datetime, offset_minutes: int, extra_ns: int) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    local = moment.replace(tzinfo=zone)
    sign = "-" if offset_minutes < 0 else "+"
    text = (
        f"{local.year:04d}-{local.month:02d}-{local.day:02d}T"
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}."
        f"{local.microsecond:06d}{extra_ns:03d}"
        f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"
    )
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    delta = local - epoch
    expected = (delta.days * 86_400 + delta.seconds) * 10**9 + delta.microseconds * 1000 + extra_ns
    assert parse_rfc3339_ns(text) == expected


@given(st.text(max_size=40))
def test_arbitrary_text_only_raises_value_error(text: str) -> None:
    try:
        value = parse_rfc3339_ns(text)
    except ValueError:
        return
    assert isinstance(value, int)
