"""Parse RFC 3339 timestamps into integer nanoseconds since the Unix epoch (no precision loss)."""

from __future__ import annotations

import re
from datetime import datetime

_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.([0-9]{1,9}))?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_EPOCH = datetime(1970, 1, 1)  # naive: compared with the naive local part of the text
_NS_PER_S = 1_000_000_000
_FRACTION_SCALE = (0, 10**8, 10**7, 10**6, 10**5, 10**4, 10**3, 10**2, 10, 1)
_UTC = frozenset({"Z", "z", "+00:00", "-00:00"})


def parse_rfc3339_ns(text: str) -> int:
    """Convert an RFC 3339 timestamp to nanoseconds since the epoch.

    Accepts ``Z`` (either case) or a ``±HH:MM`` offset, ``T``/``t``/space between date and
    time, and 0 to 9 fraction digits (nanosecond precision is kept, unlike ``datetime``).

    Args:
        text: a timestamp such as ``2025-05-14T09:30:11.208407+00:00`` or
            ``2025-05-14T09:30:11.469407883Z``.

    Returns:
        Nanoseconds since 1970-01-01T00:00:00Z (negative before the epoch).

    Raises:
        ValueError: the text is not an RFC 3339 timestamp, or a field is out of range.
    """
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise ValueError(f"not an RFC 3339 timestamp: {text[:64]!r}")
    fraction, offset = match.groups()
    # The regex fixed the shape; fromisoformat checks the ranges (leap years included).
    try:
        delta = datetime.fromisoformat(text[:19]) - _EPOCH
    except ValueError as exc:
        raise ValueError(f"date or time out of range in {text!r}: {exc}") from exc
    total = delta.days * 86_400 + delta.seconds
    if offset not in _UTC:
        offset_hours, offset_minutes = int(offset[1:3]), int(offset[4:6])
        if offset_hours > 23 or offset_minutes > 59:
            raise ValueError(f"UTC offset out of range: {text!r}")
        shift = offset_hours * 3_600 + offset_minutes * 60
        total = total - shift if offset[0] == "+" else total + shift
    if fraction:
        return total * _NS_PER_S + int(fraction) * _FRACTION_SCALE[len(fraction)]
    return total * _NS_PER_S
