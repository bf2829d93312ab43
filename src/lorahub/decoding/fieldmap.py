"""Normalisation: vendor fields (a codec's output) to canonical quantities, by a declarative map."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from lorahub.domain.device import Calibration
from lorahub.domain.json_value import JsonObject, JsonValue
from lorahub.domain.quantities import QUANTITIES, Quantity

Readings = Mapping[str, float | int]
"""Canonical quantity name to value, in the quantity's unit and field type."""

_LEADING_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)")


@dataclass(frozen=True, slots=True)
class FieldRule:
    """How one vendor field becomes one canonical quantity.

    ``source`` is the vendor field's key; ``/`` walks into nested objects (``line_1/total_in``)
    and a ``*`` makes it a pattern (``temperature_*`` for Cayenne LPP channels, lowest channel
    wins). Numbers are multiplied by ``scale`` and shifted by ``offset``; ``values`` maps
    enumerated values (``"occupied"``, ``2``) to numbers; strings such as ``"231 mm"`` give their
    leading number. ``requires`` names another field (same path syntax) that must be present and
    non-zero for this one to count, e.g. a distance only when the sensor had valid samples.
    """

    source: str
    quantity: Quantity
    scale: float = 1.0
    offset: float = 0.0
    values: Mapping[str, float] = field(default_factory=dict)
    requires: str | None = None

    def extract(self, vendor: JsonObject) -> float | int | None:
        """Return this rule's canonical value from ``vendor``, or None when it has none."""
        value = self.candidate(vendor)
        if value is None or not self.quantity.plausible(value):
            return None  # a sensor's "no reading" code (327.67 °C), not a measurement
        return value

    def candidate(self, vendor: JsonObject) -> float | int | None:
        """This rule's value from ``vendor`` in canonical units, before the range check."""
        if self.requires is not None and not _lookup(vendor, self.requires):
            return None
        raw = _lookup(vendor, self.source)
        if raw is None:
            return None
        number = self._to_number(raw)
        if number is None or not math.isfinite(number):
            return None
        return self.quantity.coerce(number)

    def _to_number(self, raw: JsonValue) -> float | None:
        if self.values:
            key = _value_key(raw)
            return self.values.get(key) if key is not None else None
        if isinstance(raw, bool):
            return float(raw)
        if isinstance(raw, int | float):
            return self._convert(raw)
        if isinstance(raw, str):
            match = _LEADING_NUMBER.match(raw)
            if match:
                return self._convert(float(match.group(1)))
        return None

    def _convert(self, number: float) -> float:
        if self.scale == 1.0 and self.offset == 0.0:
            return number
        # 575 * 0.001 is 0.5750000000000001 in binary floating point; no sensor resolves
        # more than nine decimals, so round the conversion noise away
        return round(number * self.scale + self.offset, 9)


def _value_key(raw: JsonValue) -> str | None:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, int | float | str):
        return str(raw)
    return None


def _lookup(vendor: JsonObject, source: str) -> JsonValue:
    if "*" in source:
        return _first_match(vendor, source)
    if "/" not in source:
        return vendor.get(source)
    first, *rest = source.split("/")
    node = vendor.get(first)
    for part in rest:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _first_match(vendor: JsonObject, pattern: str) -> JsonValue:
    prefix = pattern[:-1]
    if pattern.endswith("*") and "*" not in prefix:  # the common "name_*" form, no regex
        matches = [key for key in vendor if key.startswith(prefix)]
    else:
        matches = [key for key in vendor if fnmatchcase(key, pattern)]
    if not matches:
        return None
    # shortest first, so channel 2 comes before channel 10
    return vendor[min(matches, key=lambda key: (len(key), key))]


@dataclass(frozen=True, slots=True)
class Normalized:
    """Canonical readings, and the values left out because they are physically impossible."""

    readings: dict[str, float | int]
    implausible: dict[str, float | int]


def normalize(
    vendor: JsonObject, rules: Sequence[FieldRule], calibration: Calibration
) -> dict[str, float | int]:
    """The canonical readings of ``vendor`` (see ``normalize_checked``)."""
    return normalize_checked(vendor, rules, calibration).readings


def normalize_checked(
    vendor: JsonObject, rules: Sequence[FieldRule], calibration: Calibration
) -> Normalized:
    """Map a codec's output to canonical readings, then derive ``fill_level``.

    The first rule that yields a value for a quantity wins, so rules are in priority order.
    Values outside a quantity's physical range (sensor "no reading" codes such as 327.67 °C)
    are left out of the readings and reported as implausible, unless another rule gave the
    quantity a plausible value.

    Args:
        vendor: the vendor fields, as the maker's codec names them.
        rules: the model's field map.
        calibration: the device's empty/full distances, for the fill level.

    Returns:
        Canonical readings (may be empty) and the implausible values per quantity.
    """
    readings: dict[str, float | int] = {}
    implausible: dict[str, float | int] = {}
    for rule in rules:
        name = rule.quantity.name
        if name in readings:
            continue
        value = rule.candidate(vendor)
        if value is None:
            continue
        if rule.quantity.plausible(value):
            readings[name] = value
            implausible.pop(name, None)
        else:
            implausible.setdefault(name, value)
    distance = readings.get("distance")
    if distance is not None:
        level = fill_level(float(distance), calibration)
        if level is not None:
            readings["fill_level"] = level
    return Normalized(readings, implausible)


def fill_level(distance_m: float, calibration: Calibration) -> float | None:
    """Return the fill level in % (0-100) from a downward range reading, or None if uncalibrated.

    ``empty_distance_m`` is the reading of an empty box (the floor), ``full_distance_m`` the
    reading when it is full; readings outside that span are clamped.
    """
    empty, full = calibration.empty_distance_m, calibration.full_distance_m
    if empty is None or full is None or empty <= full:
        return None
    level = (empty - distance_m) / (empty - full) * 100.0
    return round(min(100.0, max(0.0, level)), 1)


def quantity(name: str) -> Quantity:
    """Look up a canonical quantity by name.

    Raises:
        KeyError: no such quantity in the table.
    """
    return QUANTITIES[name]
