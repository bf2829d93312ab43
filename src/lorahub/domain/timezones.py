"""Time zone names, checked once for every setting and rule that carries one."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def known_time_zone(name: str) -> str:
    """Return ``name`` when it is an IANA time zone this system knows.

    Raises:
        ValueError: ``unknown time zone …`` (pydantic validators report it as such).
    """
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc
    return name
