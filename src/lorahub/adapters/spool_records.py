"""The spool's on-disk record format: pure functions over bytes.

A segment file starts with :data:`MAGIC`; each record is ``length (u32 LE) | crc32 (u32 LE) |
payload``, the payload being one batch's lines as a msgpack list of strings.
"""

from __future__ import annotations

import struct
import zlib

import msgspec

MAGIC = b"LHS1"
HEADER = struct.Struct("<II")


class CorruptRecord(ValueError):
    """A record whose checksum does not match its payload."""


def encode_record(lines: list[str]) -> bytes:
    """One record holding ``lines``."""
    payload = msgspec.msgpack.encode(lines)
    return HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def decode_payload(payload: bytes, crc: int) -> list[str]:
    """The lines of a record's payload.

    Raises:
        CorruptRecord: the checksum does not match.
    """
    if zlib.crc32(payload) != crc:
        raise CorruptRecord("spool record checksum mismatch")
    return msgspec.msgpack.decode(payload, type=list[str])


def valid_prefix(data: bytes, skip_to: int) -> tuple[int, int]:
    """(length of the whole-record prefix of a segment, records at or after ``skip_to``).

    A record cut short or failing its checksum ends the prefix: what follows is a torn tail.
    """
    offset = len(MAGIC)
    records = 0
    while offset + HEADER.size <= len(data):
        length, crc = HEADER.unpack_from(data, offset)
        end = offset + HEADER.size + length
        if end > len(data) or zlib.crc32(data[offset + HEADER.size : end]) != crc:
            break
        if offset >= skip_to:
            records += 1
        offset = end
    return offset, records


__all__ = ["HEADER", "MAGIC", "CorruptRecord", "decode_payload", "encode_record", "valid_prefix"]
