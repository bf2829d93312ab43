r"""Format InfluxDB line protocol: escaping, field values, series keys and whole lines.

Pure functions on the hot path (tens of thousands of lines per second), so the escaping is
``str.translate`` with tables built once, field keys are escaped once and remembered, and a
series key (measurement plus sorted tags) is meant to be computed once per device and reused.

Choices where line protocol cannot say what the string says (checked against InfluxDB 1.6 and
VictoriaMetrics):

* A newline or carriage return in a measurement, tag key, tag value or field key becomes a space
  (escaped as ``\ ``): a line cannot contain one there, and InfluxDB 1.x has no escape for it.
  ``influxdb_client`` writes ``\n`` instead, which InfluxDB stores as the two characters
  backslash and ``n``. A tab is written as is (both servers keep it).
* A backslash is written as is (InfluxDB does not unescape ``\\``), except where it would
  escape the next character: a backslash at the end of a name or right before a comma, an equals
  sign or a space is dropped. InfluxDB 1.x cannot store those exactly (``influxdb_client`` breaks
  the line or appends a space).
* In a string field value, ``\`` and ``"`` are escaped; newlines are kept (they are legal inside
  a quoted string).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

_INT_MIN = -(2**63)
_INT_MAX = 2**63 - 1
_FLOAT_MIN = -sys.float_info.max  # finite floats only: NaN and infinities fail both bounds
_FLOAT_MAX = sys.float_info.max
_KEY_CACHE_MAX = 8192

_ESCAPE_MEASUREMENT = str.maketrans({",": r"\,", " ": r"\ ", "\n": r"\ ", "\r": r"\ "})
_ESCAPE_TAG = str.maketrans({",": r"\,", "=": r"\=", " ": r"\ ", "\n": r"\ ", "\r": r"\ "})
_ESCAPE_STRING = str.maketrans({"\\": "\\\\", '"': '\\"'})

_field_keys: dict[str, str] = {}


def _drop_escaping_backslashes(s: str) -> str:
    """Remove backslashes that line protocol would read as escaping the next character."""
    s = s.replace("\n", " ").replace("\r", " ")
    while True:
        cleaned = s.replace("\\,", ",").replace("\\=", "=").replace("\\ ", " ")
        if cleaned == s:
            return s.rstrip("\\")
        s = cleaned


def escape_measurement(s: str) -> str:
    """Escape a measurement name (commas and spaces; newlines become spaces).

    Raises:
        ValueError: the name is empty or starts with ``#`` (InfluxDB reads that as a comment).
    """
    if "\\" in s:
        s = _drop_escaping_backslashes(s)
    if not s or s[0] == "#":
        raise ValueError(f"measurement name {s!r} cannot be written in line protocol")
    return s.translate(_ESCAPE_MEASUREMENT)


def escape_tag(s: str) -> str:
    """Escape a tag key, tag value or field key (commas, equals signs, spaces; newlines → space)."""
    if "\\" in s:
        s = _drop_escaping_backslashes(s)
    return s.translate(_ESCAPE_TAG)


def _field_key(key: str) -> str:
    escaped = escape_tag(key)
    if not escaped:
        raise ValueError("empty field key")
    if len(_field_keys) >= _KEY_CACHE_MAX:
        _field_keys.clear()
    _field_keys[key] = escaped
    return escaped


def format_field_value(v: float | int | bool | str) -> str:
    """Format one field value: ``true``/``false``, ``<n>i``, a float, or a quoted string.

    A float is Python's shortest round-tripping ``repr`` without a trailing ``.0`` (as
    ``influxdb_client`` writes it), which InfluxDB parses back to the same double.

    Raises:
        ValueError: NaN or infinity, an integer outside int64, or an unsupported type.
    """
    t = type(v)
    if t is float:
        r = repr(v)
        last = r[-1]
        if last == "0" and r[-2:] == ".0":
            return r[:-2]
        if last == "n" or last == "f":  # nan, inf, -inf
            raise ValueError(f"{r} cannot be written to InfluxDB")
        return r
    if t is int:
        if _INT_MIN <= v <= _INT_MAX:  # type: ignore[operator]
            return f"{v}i"
        raise ValueError(f"integer {v} is outside int64")
    if t is str:
        return f'"{v.translate(_ESCAPE_STRING)}"'  # type: ignore[union-attr]
    if t is bool:
        return "true" if v else "false"
    return _format_subclass(v)


def _format_subclass(v: object) -> str:
    """Slow path for subclasses of the field types (IntEnum, str enums, ...)."""
    if isinstance(v, bool):
        return format_field_value(bool(v))
    if isinstance(v, int):
        return format_field_value(int(v))
    if isinstance(v, float):
        return format_field_value(float(v))
    if isinstance(v, str):
        return format_field_value(str(v))
    raise ValueError(f"unsupported field value type {type(v).__name__}")


def series_key(measurement: str, tags: Sequence[tuple[str, str]]) -> str:
    """The measurement and its tags sorted by key, escaped; tags with an empty value are left out.

    Compute it once per series and pass it to :func:`line`.

    Raises:
        ValueError: the measurement cannot be written, or a tag key is empty.
    """
    parts = [escape_measurement(measurement)]
    for key, value in sorted(tags):
        escaped_value = escape_tag(value)
        if not escaped_value:
            continue
        escaped_key = escape_tag(key)
        if not escaped_key:
            raise ValueError(f"empty tag key (value {value!r})")
        parts.append(f"{escaped_key}={escaped_value}")
    return ",".join(parts)


def line(series: str, fields: Sequence[tuple[str, float | int | bool | str]], time_ns: int) -> str:
    """One line: ``<series> <key>=<value>,... <time_ns>``.

    Args:
        series: a key from :func:`series_key`.
        fields: field keys (unescaped; escaped here and remembered) and values, in line order.
        time_ns: the timestamp in nanoseconds since the epoch.

    Raises:
        ValueError: no fields, or a value that cannot be written (see :func:`format_field_value`).
    """
    if not fields:
        raise ValueError(f"a line needs at least one field ({series})")
    keys = _field_keys
    parts = []
    for k, v in fields:  # ints and finite floats inline: a call per field is most of the cost
        key = keys.get(k) or _field_key(k)
        t = type(v)
        if t is int and _INT_MIN <= v <= _INT_MAX:  # type: ignore[operator]
            parts.append(f"{key}={v}i")
        elif t is float and _FLOAT_MIN <= v <= _FLOAT_MAX:  # type: ignore[operator]
            text = repr(v)
            parts.append(f"{key}={text[:-2] if text[-2:] == '.0' else text}")
        else:
            parts.append(f"{key}={format_field_value(v)}")
    return f"{series} {','.join(parts)} {time_ns}"


__all__ = ["escape_measurement", "escape_tag", "format_field_value", "line", "series_key"]
