"""Checks shared by the encoders: a vendor field must hold a number of the right kind."""

from __future__ import annotations

from lorahub.domain.json_value import JsonValue


def require_number(value: JsonValue, what: str) -> float:
    """Return ``value`` if it is an int or float (not a bool).

    Args:
        value: a vendor field's value.
        what: names the field in the error, e.g. ``"lht65n: TempC_SHT"``.

    Raises:
        ValueError: the value is not a number.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, not {value!r}")
    return value
