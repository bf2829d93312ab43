"""The JSON value type used for vendor fields and network-server decoded objects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

from typing_extensions import TypeAliasType

JsonValue = TypeAliasType(
    "JsonValue",
    "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None",
)
"""Any value a JSON document can hold (a named recursive alias, so pydantic can validate it)."""

JsonObject: TypeAlias = Mapping[str, JsonValue]
"""A JSON object: a codec's output, or the server's decoded object."""
