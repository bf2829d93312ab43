"""Helpers shared by the dialect parsers: safe decoding, DevEUI and time resolution, radio facts."""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, TypeVar

import msgspec

from lorahub.domain.ids import DevEui, parse_dev_eui
from lorahub.envelopes.timestamps import parse_rfc3339_ns
from lorahub.errors import MalformedMessage

T = TypeVar("T")

U8 = Annotated[int, msgspec.Meta(ge=0, le=255)]
"""An unsigned byte (fPort)."""
U32 = Annotated[int, msgspec.Meta(ge=0, le=0xFFFF_FFFF)]
"""An unsigned 32-bit integer (frame counter, frequency in Hz)."""

_HEX16 = re.compile(r"[0-9a-fA-F]{16}")
_LABEL = re.compile(r"[A-Za-z0-9_]{1,64}")
_EU868_HZ = (863_000_000, 870_000_000)


class NotThisDialect(Exception):
    """The body is well-formed but belongs to another dialect (ChirpStack v4 without deviceInfo)."""


def decode(decoder: msgspec.json.Decoder[T], payload: bytes | str, what: str) -> T:
    """Decode a JSON message, turning every decoding failure into ``MalformedMessage``.

    Args:
        decoder: the (reused) typed decoder.
        payload: the raw MQTT payload (or a JSON string embedded in one).
        what: dialect and event, for the error message (``"chirpstack_v4 up"``).

    Returns:
        The decoded value.

    Raises:
        MalformedMessage: not JSON, wrong shape or type, invalid base64, nested too deeply.
    """
    try:
        return decoder.decode(payload)
    except msgspec.ValidationError as exc:
        raise MalformedMessage(f"{what}: wrong shape: {exc}") from exc
    except msgspec.DecodeError as exc:
        raise MalformedMessage(f"{what}: not JSON: {exc}") from exc
    except RecursionError as exc:
        raise MalformedMessage(f"{what}: JSON nested too deeply") from exc


def resolve_dev_eui(body: str | None, topic: str | None, what: str) -> DevEui:
    """Pick the DevEUI: the body's when it has one, else the topic's.

    Args:
        body: the DevEUI in the message body (hex), None or "" when absent.
        topic: the DevEUI segment of the MQTT topic, None when the topic has none.
        what: the field name for the error message.

    Returns:
        The normalised DevEUI.

    Raises:
        MalformedMessage: neither is present, or the chosen one is not 16 hex characters.
    """
    text = body or topic
    if not text:
        raise MalformedMessage(f"missing {what}")
    try:
        return parse_dev_eui(text)
    except ValueError as exc:
        source = what if body else "topic DevEUI"
        raise MalformedMessage(f"{source}: {exc}") from exc


def hex_or_base64_eui(text: str, what: str) -> str:
    """Normalise an 8-byte EUI that ChirpStack v3 writes as hex (json_v3) or base64 (json).

    Args:
        text: ``"a81758fffe0c4e21"`` or ``"qBdY//4MTiE="``.
        what: the field name for the error message.

    Returns:
        16 lower-case hex characters.

    Raises:
        MalformedMessage: neither 16 hex characters nor base64 of 8 bytes.
    """
    if _HEX16.fullmatch(text):
        return text.lower()
    try:
        raw = binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedMessage(f"{what} {text[:40]!r} is neither hex nor valid base64") from exc
    if len(raw) != 8:
        raise MalformedMessage(f"{what} {text[:40]!r} is base64 of {len(raw)} bytes, not 8")
    return raw.hex()


def time_ns(text: str, what: str) -> int:
    """Parse an RFC 3339 field into nanoseconds, as ``MalformedMessage`` on failure.

    Args:
        text: the timestamp text.
        what: the field name for the error message.

    Returns:
        Nanoseconds since the epoch.

    Raises:
        MalformedMessage: the text is not an RFC 3339 timestamp.
    """
    try:
        return parse_rfc3339_ns(text)
    except ValueError as exc:
        raise MalformedMessage(f"{what}: {exc}") from exc


def first_time(candidates: Iterable[tuple[str | None, str]]) -> int | None:
    """Parse the first present timestamp of ``(text, field name)`` pairs, in preference order.

    Returns:
        Nanoseconds since the epoch, or None when no candidate is present.

    Raises:
        MalformedMessage: the first present candidate is not an RFC 3339 timestamp.
    """
    for text, what in candidates:
        if text:
            return time_ns(text, what)
    return None


def sorted_tags(tags: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    """Turn a tag map into the sorted tuple of pairs the domain type holds."""
    return tuple(sorted(tags.items())) if tags else ()


def sf_from_dr(data_rate: int | None, frequency: int | None) -> int | None:
    """Derive the LoRa spreading factor from an EU868 data rate, when that is unambiguous.

    DR0..DR5 are SF12..SF7 at 125 kHz in EU868. Other regions map data rates differently
    (US915 DR0 is SF10), so the derivation only happens when the frequency is in the EU868
    band (863-870 MHz); otherwise the spreading factor stays unknown.

    Args:
        data_rate: the LoRaWAN data rate index, None if unknown.
        frequency: the uplink frequency in Hz, None if unknown.

    Returns:
        The spreading factor (7..12), or None.
    """
    if data_rate is None or frequency is None or not 0 <= data_rate <= 5:
        return None
    if not _EU868_HZ[0] <= frequency <= _EU868_HZ[1]:
        return None
    return 12 - data_rate


def event_label(base: str, detail: str | None) -> str:
    """Build an OtherEvent name such as ``log:UPLINK_CODEC``.

    The detail is kept only when it looks like an enum name (letters, digits, ``_``, at most
    64 characters), so that hostile input cannot blow up metric label cardinality.
    """
    if detail and _LABEL.fullmatch(detail):
        return f"{base}:{detail}"
    return base
