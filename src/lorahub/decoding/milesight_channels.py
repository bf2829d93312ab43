"""The Milesight IoT channel frame (``[channel id][channel type][value]`` records): decode, encode.

One table-driven implementation of the frame shared by every Milesight model of the catalog
(TTN lorawan-devices @96abc53 codecs such as ``em310-udl.js``, ``am319.js``, ``vs133.js``). A
model declares a :class:`ChannelTable` mapping each known (id, type) pair to a record layout;
this module walks the frame. Values are little-endian unless a record says otherwise.

Like the codecs, parsing stops at the first unknown (id, type) pair and keeps what was decoded
before it, a later record overwrites an earlier one with the same key, and the fPort is not
checked. Unlike the codecs, a truncated record (or a lone trailing byte) and a frame with no
known record at all (device-information frames decode to ``{}``) raise :class:`DecodeError`.

A key containing ``/`` is nested: ``line_1/total_in`` decodes to ``{"line_1": {"total_in": n}}``.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from lorahub.decoding.vendor_values import require_number
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

F_PORT = 85
"""The uplink fPort of every Milesight IoT sensor."""

Channel = tuple[int, int]
"""A record's (channel id, channel type) pair."""


class Conversion(Protocol):
    """How one raw integer of a record becomes a vendor value, and back."""

    def decode(self, raw: int) -> JsonValue:
        """Return the vendor value of ``raw``."""
        ...

    def encode(self, value: JsonValue, what: str) -> int:
        """Return the raw integer of ``value``; raise ValueError naming ``what`` if none."""
        ...


@dataclass(frozen=True, slots=True)
class Number:
    """The raw integer, divided by ``divisor`` when it is not 1 (``/10`` gives a float)."""

    divisor: int = 1

    def decode(self, raw: int) -> JsonValue:
        """Return ``raw`` (or ``raw / divisor``)."""
        return raw if self.divisor == 1 else raw / self.divisor

    def encode(self, value: JsonValue, what: str) -> int:
        """Return ``round(value * divisor)``."""
        return round(require_number(value, what) * self.divisor)


@dataclass(frozen=True, slots=True)
class Label:
    """``raw == match`` gives ``label``; any other raw value ``other`` (encoded ``other_raw``)."""

    match: int
    label: str
    other: str
    other_raw: int

    def decode(self, raw: int) -> JsonValue:
        """Return ``label`` or ``other``."""
        return self.label if raw == self.match else self.other

    def encode(self, value: JsonValue, what: str) -> int:
        """Return ``match`` for ``label``, ``other_raw`` for ``other``."""
        if value == self.label:
            return self.match
        if value == self.other:
            return self.other_raw
        raise ValueError(f"{what} must be {self.label!r} or {self.other!r}, not {value!r}")


@dataclass(frozen=True, slots=True)
class Flag:
    """0 gives ``False``, any other raw value ``True``."""

    def decode(self, raw: int) -> JsonValue:
        """Return ``raw != 0``."""
        return raw != 0

    def encode(self, value: JsonValue, what: str) -> int:
        """Return 1 for ``True``, 0 for ``False``."""
        if not isinstance(value, bool):
            raise ValueError(f"{what} must be true or false, not {value!r}")
        return int(value)


RAW = Number()
FLAG = Flag()


def scaled(divisor: int) -> Number:
    """The raw integer divided by ``divisor``."""
    return Number(divisor)


def zero_is(zero: str, nonzero: str) -> Label:
    """0 gives ``zero``, any other value ``nonzero`` (encoded as 1)."""
    return Label(0, zero, nonzero, 1)


def one_is(one: str, other: str) -> Label:
    """Exactly 1 gives ``one``, any other value ``other`` (encoded as 0)."""
    return Label(1, one, other, 0)


class Record(Protocol):
    """The value layout of one (id, type) pair: its size, the keys it writes, and its codec."""

    @property
    def keys(self) -> tuple[str, ...]:
        """The vendor keys this record writes (``/`` nests)."""
        ...

    @property
    def size(self) -> int:
        """The value's length in bytes."""
        ...

    def unpack(self, payload: bytes, offset: int) -> Iterable[tuple[str, JsonValue]]:
        """Return ``(key, vendor value)`` pairs of the value at ``offset`` (``size`` bytes)."""
        ...

    def pack(self, fields: Mapping[str, JsonValue], model: str) -> bytes:
        """Return the value bytes of ``fields[key]`` for every key; raise ValueError if none."""
        ...


@dataclass(frozen=True, slots=True)
class Values:
    """A fixed layout: one :mod:`struct` item per key, each with its conversion."""

    keys: tuple[str, ...]
    layout: struct.Struct
    conversions: tuple[Conversion, ...]
    size: int

    def unpack(self, payload: bytes, offset: int) -> Iterable[tuple[str, JsonValue]]:
        """Return ``(key, vendor value)`` pairs of the value at ``offset``."""
        raws = self.layout.unpack_from(payload, offset)
        return [(k, c.decode(r)) for k, c, r in zip(self.keys, self.conversions, raws, strict=True)]

    def pack(self, fields: Mapping[str, JsonValue], model: str) -> bytes:
        """Return the value bytes of the record's keys in ``fields``."""
        raws = [
            c.encode(fields[k], f"{model}: {k}")
            for k, c in zip(self.keys, self.conversions, strict=True)
        ]
        try:
            return self.layout.pack(*raws)
        except struct.error as exc:
            raise ValueError(f"{model}: {self.keys} = {raws} out of range: {exc}") from exc


def values(keys: str, layout: str, *conversions: Conversion) -> Values:
    """A little-endian record: ``values("temperature", "h", scaled(10))``.

    Args:
        keys: the vendor keys, space-separated, one per struct item.
        layout: :mod:`struct` items without byte order (``"hB"``).
        conversions: one per key; missing trailing ones are :data:`RAW`.
    """
    names = tuple(keys.split())
    padded = conversions + (RAW,) * (len(names) - len(conversions))
    layout_struct = struct.Struct("<" + layout)
    return Values(names, layout_struct, padded, layout_struct.size)


BATTERY: tuple[Channel, Record] = ((0x01, 0x75), values("battery", "B"))
"""The battery record every battery-powered Milesight sensor sends: u8 %."""


class ChannelTable:
    """The known records of one model, and the frame walker that decodes and encodes them."""

    __slots__ = ("_by_key", "_channels", "_model", "_records")

    def __init__(self, model: str, records: Iterable[tuple[Channel, Record]]) -> None:
        """Index ``records`` by channel and by key.

        Args:
            model: names the model in errors (``"em310-udl"``).
            records: ``((id, type), record)`` pairs; an encoder prefers, for a key, the
                record writing the most keys that are all present.
        """
        self._model = model
        self._channels: dict[Channel, Record] = {}
        self._records: dict[int, tuple[int, _Apply]] = {}
        self._by_key: dict[str, list[tuple[Channel, Record]]] = {}
        for channel, record in records:
            self._channels[channel] = record
            self._records[channel[0] << 8 | channel[1]] = (record.size, _applier(record))
            for key in record.keys:
                self._by_key.setdefault(key, []).append((channel, record))
        for candidates in self._by_key.values():
            candidates.sort(key=lambda pair: -len(pair[1].keys))

    @property
    def channels(self) -> Mapping[Channel, Record]:
        """Every known record by (id, type), for tests and tools."""
        return MappingProxyType(self._channels)

    def decode(self, payload: bytes) -> dict[str, JsonValue]:
        """Decode a frame into vendor fields.

        Raises:
            DecodeError: a truncated record, or no known record before the first unknown one.
        """
        fields: dict[str, JsonValue] = {}
        records = self._records
        i, end = 0, len(payload)
        while i < end:
            if end - i < 2:
                raise DecodeError(f"{self._model}: dangling byte 0x{payload[i]:02x} at offset {i}")
            known = records.get(payload[i] << 8 | payload[i + 1])
            if known is None:
                break  # the codec stops at the first unknown channel and keeps what it has
            size, apply = known
            start, i = i + 2, i + 2 + size
            if i > end:
                raise DecodeError(
                    f"{self._model}: truncated record {payload[start - 2 : start].hex(' ')} at "
                    f"offset {start - 2}: needs {size} bytes, {end - start} left"
                )
            apply(payload, start, fields)
        if not fields:
            first = payload[:2].hex(" ") or "none (empty payload)"
            raise DecodeError(f"{self._model}: no measurement record; first channel {first}")
        return fields

    def encode(self, fields: Mapping[str, JsonValue]) -> bytes:
        """Encode vendor fields into a frame, records in the order of their first key.

        Raises:
            ValueError: an unknown key, a key without the partner keys of its record, or a
                value the record cannot carry.
        """
        flat = self._flatten(fields)
        out = bytearray()
        done: set[str] = set()
        for key in flat:
            if key in done:
                continue
            candidates = self._by_key.get(key)
            if candidates is None:
                raise ValueError(f"{self._model}: no record carries field {key!r}")
            for (channel_id, channel_type), record in candidates:
                if all(k in flat and k not in done for k in record.keys):
                    out += bytes((channel_id, channel_type)) + record.pack(flat, self._model)
                    done.update(record.keys)
                    break
            else:
                wanted = " / ".join(repr(r.keys) for _, r in candidates)
                raise ValueError(f"{self._model}: field {key!r} needs all keys of {wanted}")
        return bytes(out)

    def _flatten(self, fields: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
        flat: dict[str, JsonValue] = {}
        for key, value in fields.items():
            if isinstance(value, dict) and key not in self._by_key:
                for child, item in value.items():
                    flat[f"{key}/{child}"] = item
            else:
                flat[key] = value
        return flat


_Apply = Callable[[bytes, int, dict[str, JsonValue]], None]
"""Decodes one record's value at an offset into the fields being built."""


def _applier(record: Record) -> _Apply:
    """Compile ``record`` for the decode loop; one plain key (most records) is a direct store."""
    if not isinstance(record, Values):

        def store_custom(payload: bytes, offset: int, fields: dict[str, JsonValue]) -> None:
            for key, value in record.unpack(payload, offset):
                _store(fields, key.partition("/"), value)

        return store_custom
    unpack_from = record.layout.unpack_from
    converts = [None if c == RAW else c.decode for c in record.conversions]
    if len(record.keys) == 1 and "/" not in record.keys[0]:
        key, convert = record.keys[0], converts[0]
        if convert is None:

            def store_raw(payload: bytes, offset: int, fields: dict[str, JsonValue]) -> None:
                fields[key] = unpack_from(payload, offset)[0]

            return store_raw
        plain = convert

        def store_one(payload: bytes, offset: int, fields: dict[str, JsonValue]) -> None:
            fields[key] = plain(unpack_from(payload, offset)[0])

        return store_one
    steps = tuple(zip([k.partition("/") for k in record.keys], converts, strict=True))

    def store_values(payload: bytes, offset: int, fields: dict[str, JsonValue]) -> None:
        for (path, convert), raw in zip(steps, unpack_from(payload, offset), strict=True):
            _store(fields, path, raw if convert is None else convert(raw))

    return store_values


def _store(fields: dict[str, JsonValue], path: tuple[str, str, str], value: JsonValue) -> None:
    """Set ``fields[key]``, or ``fields[parent][child]`` for a ``parent/child`` path."""
    parent, slash, child = path
    if not slash:
        fields[parent] = value
        return
    node = fields.get(parent)
    if not isinstance(node, dict):
        node = fields[parent] = {}
    node[child] = value


def am300_table(model: str, *, pir: str, pm2_5: str) -> ChannelTable:
    """The AM300-series layout (``am319.js``; ``am307.js`` and ``am307l.js`` rename two keys).

    Args:
        model: names the model in errors.
        pir: the key of the PIR record (``"activity"`` in am319.js, ``"pir"`` in am307.js).
        pm2_5: the key of the PM2.5 record (``"pm2.5"`` in am319.js, ``"pm2_5"`` in am307.js).
    """
    return ChannelTable(
        model,
        [
            BATTERY,
            ((0x03, 0x67), values("temperature", "h", scaled(10))),
            ((0x04, 0x68), values("humidity", "B", scaled(2))),
            ((0x05, 0x00), values(pir, "B", one_is("trigger", "idle"))),
            ((0x06, 0xCB), values("light_level", "B")),
            ((0x07, 0x7D), values("co2", "H")),
            ((0x08, 0x7D), values("tvoc", "H")),
            ((0x09, 0x73), values("pressure", "H", scaled(10))),
            ((0x0A, 0x7D), values("hcho", "H", scaled(100))),
            ((0x0B, 0x7D), values(pm2_5, "H")),
            ((0x0C, 0x7D), values("pm10", "H")),
            ((0x0D, 0x7D), values("o3", "H", scaled(100))),
            ((0x0E, 0x01), values("beep", "B", one_is("yes", "no"))),
        ],
    )
