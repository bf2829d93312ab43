"""When to try a delivery again, and when a digest channel's next daily summary is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_NS = 1_000_000_000


def retry_delay_s(attempts: int, base_s: float, max_s: float) -> float:
    """The wait after the ``attempts``-th failed attempt: ``base_s`` doubling each time, capped.

    Args:
        attempts: failed attempts so far (1 after the first failure).
        base_s: the first wait.
        max_s: the longest wait.
    """
    exponent = max(attempts - 1, 0)
    if exponent >= 64:  # far past any cap; avoids a huge power
        return max_s
    return float(min(base_s * 2**exponent, max_s))


def next_digest_ns(hour: int, timezone: str, now_ns: int) -> int:
    """The next time after ``now_ns`` when the clock in ``timezone`` shows ``hour`` o'clock.

    Daylight-saving changes are followed: the hour is local wall-clock time.
    """
    zone = ZoneInfo(timezone)
    now = datetime.fromtimestamp(now_ns / _NS, UTC).astimezone(zone)
    day = now.date()
    for offset in range(3):
        # Aware datetime arithmetic keeps the wall-clock hour across daylight-saving changes.
        local = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
        candidate = int((local + timedelta(days=offset)).timestamp()) * _NS
        if candidate > now_ns:
            return candidate
    raise AssertionError("unreachable: a later day always has the hour")  # pragma: no cover
