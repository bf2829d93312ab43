"""A durable on-disk spool of line batches, kept while the database cannot take writes.

The spool is a folder of append-only segment files ``<sequence>.seg`` of records, each one batch
(length, CRC-32, the lines in msgpack; see :mod:`lorahub.adapters.spool_records`).
:meth:`Spool.append` writes one record and fsyncs it before returning, so a batch is
acknowledged to the broker only once it is on disk. Records are read back one at a time in the
order they were written (memory stays bounded by one batch); a segment is deleted once all its
records are committed (written to InfluxDB). A cursor file remembers how far the head segment
has been committed, so a restart replays only what was not yet written (a batch written but not
yet committed is written again, which lands on the same points). On opening, a torn or corrupt
tail (a crash in the middle of an append) is detected by its length or checksum and truncated.

Appends, reads and commits block (file I/O); the pipeline calls them through
``asyncio.to_thread``, and a lock makes them safe from two threads. :meth:`Spool.depth` and
:meth:`Spool.empty` never block.
"""

from __future__ import annotations

import errno
import os
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import structlog

from lorahub.adapters.spool_records import (
    HEADER,
    MAGIC,
    CorruptRecord,
    decode_payload,
    encode_record,
    valid_prefix,
)
from lorahub.settings import SpoolSettings

log = structlog.get_logger("lorahub.spool")

_CURSOR = "cursor"
_SUFFIX = ".seg"


class SpoolFull(OSError):
    """The spool holds ``max_bytes`` already (or the disk is full): keep the batch elsewhere."""


@dataclass(frozen=True, slots=True)
class SpooledBatch:
    """One record read from the spool: its lines and where it ends (for :meth:`Spool.commit`)."""

    lines: list[str]
    segment: int
    end: int


@dataclass(slots=True)
class _Segment:
    """A segment file: its sequence number, committed size and unread records."""

    number: int
    size: int
    records: int


@dataclass(frozen=True, slots=True)
class SpoolDepth:
    """What the spool holds that is not yet written to the database."""

    bytes: int
    batches: int


class Spool:
    """The spool folder; see the module docstring for the format.

    Args:
        settings: the ``[spool]`` section (folder, size bound, segment size).
    """

    def __init__(self, settings: SpoolSettings) -> None:
        self._dir = settings.dir
        self._max_bytes = settings.max_bytes
        self._segment_bytes = settings.segment_bytes
        self._lock = threading.Lock()
        self._segments: deque[_Segment] = deque()
        self._head = len(MAGIC)  # read offset in the first segment
        self._writer: int | None = None  # file descriptor of the last segment
        self._depth = SpoolDepth(0, 0)  # replaced whole under the lock, read without it
        self._open()

    # -- state ---------------------------------------------------------------------------------

    def depth(self) -> SpoolDepth:
        """Bytes and batches not yet committed (without waiting for an append in progress)."""
        return self._depth

    def _measure(self) -> SpoolDepth:
        batches = sum(segment.records for segment in self._segments)
        total = sum(segment.size - len(MAGIC) for segment in self._segments)
        consumed = self._head - len(MAGIC) if self._segments else 0
        return SpoolDepth(total - consumed, batches)

    def disk_bytes(self) -> int:
        """Bytes the segment files take on disk (committed records of the head included)."""
        with self._lock:
            return sum(segment.size for segment in self._segments)

    def empty(self) -> bool:
        """True when every spooled batch has been committed (never blocks)."""
        return self._depth.batches == 0

    # -- writing -------------------------------------------------------------------------------

    def append(self, lines: list[str]) -> None:
        """Write one batch durably (fsync) behind everything spooled.

        Raises:
            SpoolFull: the spool would exceed ``max_bytes``.
            OSError: the disk refused the write (ENOSPC, EIO, read-only); nothing was added.
        """
        record = encode_record(lines)
        with self._lock:
            used = sum(segment.size for segment in self._segments)
            if used + len(record) + len(MAGIC) > self._max_bytes:
                raise SpoolFull(errno.ENOSPC, f"spool holds {used} of {self._max_bytes} bytes")
            segment, fd = self._writable(len(record))
            try:
                _write_all(fd, record)
                os.fsync(fd)
            except OSError:
                self._undo(segment, fd)
                raise
            segment.size += len(record)
            segment.records += 1
            self._depth = self._measure()

    def _writable(self, incoming: int) -> tuple[_Segment, int]:
        """The segment to append to and its file, rolling to a new file when it is full."""
        last = self._segments[-1] if self._segments else None
        fits = last is not None and (
            last.size + incoming <= self._segment_bytes or last.size == len(MAGIC)
        )
        if last is not None and fits and self._writer is not None:
            return last, self._writer
        number = last.number + 1 if last is not None else 1
        path = self._path(number)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        try:
            _write_all(fd, MAGIC)
            os.fsync(fd)
            _fsync_dir(self._dir)
        except OSError:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise
        self._close_writer()
        self._writer = fd
        segment = _Segment(number, len(MAGIC), 0)
        if not self._segments:
            self._head = len(MAGIC)
        self._segments.append(segment)
        return segment, fd

    def _undo(self, segment: _Segment, fd: int) -> None:
        """Cut a failed append off, so the file ends with the last whole record."""
        try:
            os.ftruncate(fd, segment.size)
        except OSError:  # cannot even truncate: start a new segment next time
            log.exception("cannot truncate spool segment", segment=segment.number)
            self._close_writer()

    # -- reading -------------------------------------------------------------------------------

    def peek(self) -> SpooledBatch | None:
        """The oldest batch not yet committed, or None when the spool is empty."""
        with self._lock:
            while self._segments:
                first = self._segments[0]
                if first.records:
                    return self._read(first)
                if len(self._segments) == 1:
                    return None
                self._drop_first()
            return None

    def _read(self, segment: _Segment) -> SpooledBatch:
        with self._path(segment.number).open("rb") as file:
            file.seek(self._head)
            length, crc = HEADER.unpack(file.read(HEADER.size))
            payload = file.read(length)
        try:  # checked on open; only a disk fault gets here
            lines = decode_payload(payload, crc)
        except CorruptRecord as exc:
            raise OSError(errno.EIO, f"spool segment {segment.number}: {exc}") from exc
        return SpooledBatch(lines, segment.number, self._head + HEADER.size + length)

    def commit(self, batch: SpooledBatch) -> None:
        """Mark ``batch`` (the one :meth:`peek` returned) as written; free its segment if done."""
        with self._lock:
            first = self._segments[0]
            if first.number != batch.segment or batch.end <= self._head:
                return  # already committed
            self._head = batch.end
            first.records -= 1
            if first.records == 0 and len(self._segments) > 1:
                self._drop_first()
            elif first.records == 0 and self._writer is not None:
                self._reset_last(self._writer)
            else:
                self._save_cursor()
            self._depth = self._measure()

    def _drop_first(self) -> None:
        first = self._segments.popleft()
        self._path(first.number).unlink(missing_ok=True)
        self._head = len(MAGIC)
        self._save_cursor()

    def _reset_last(self, fd: int) -> None:
        """The only segment is fully committed: empty it in place."""
        only = self._segments[0]
        os.ftruncate(fd, len(MAGIC))
        only.size = len(MAGIC)
        self._head = len(MAGIC)
        self._save_cursor()

    # -- opening and closing -------------------------------------------------------------------

    def close(self) -> None:
        """Close the open segment file (the spool stays on disk)."""
        with self._lock:
            self._close_writer()

    def _close_writer(self) -> None:
        if self._writer is not None:
            os.close(self._writer)
            self._writer = None

    def _open(self) -> None:
        """Scan the folder: validate every segment, truncate torn tails, restore the cursor."""
        self._dir.mkdir(parents=True, exist_ok=True)
        numbers = sorted(
            int(path.stem) for path in self._dir.glob(f"*{_SUFFIX}") if path.stem.isdigit()
        )
        cursor = self._load_cursor()
        for number in numbers:
            segment = self._scan(number, cursor)
            if segment is not None:
                self._segments.append(segment)
        if self._segments and cursor is not None and cursor[0] == self._segments[0].number:
            self._head = max(len(MAGIC), min(cursor[1], self._segments[0].size))
        if self._segments:
            last = self._segments[-1]
            self._writer = os.open(self._path(last.number), os.O_WRONLY | os.O_APPEND)
        depth = self._depth = self._measure()
        if depth.batches:
            log.warning("spool holds batches from before", batches=depth.batches, bytes=depth.bytes)

    def _scan(self, number: int, cursor: tuple[int, int] | None) -> _Segment | None:
        path = self._path(number)
        if cursor is not None and number < cursor[0]:
            path.unlink(missing_ok=True)  # committed before the crash, not yet deleted
            return None
        data = path.read_bytes()
        if not data.startswith(MAGIC):
            log.error("spool segment without header: removed", segment=str(path))
            path.unlink(missing_ok=True)
            return None
        skip_to = cursor[1] if cursor is not None and cursor[0] == number else 0
        valid, records = valid_prefix(data, skip_to)
        if valid < len(data):
            log.error(
                "spool segment has a torn or corrupt tail: truncated",
                segment=str(path),
                kept_bytes=valid,
                dropped_bytes=len(data) - valid,
            )
            with path.open("r+b") as file:
                file.truncate(valid)
                os.fsync(file.fileno())
        return _Segment(number, valid, records)

    def _path(self, number: int) -> Path:
        return self._dir / f"{number:012d}{_SUFFIX}"

    def _save_cursor(self) -> None:
        """Remember the head (no fsync: losing it only means writing some batches twice)."""
        number = self._segments[0].number if self._segments else 0
        temporary = self._dir / f"{_CURSOR}.tmp"
        temporary.write_text(f"{number} {self._head}\n")
        temporary.replace(self._dir / _CURSOR)

    def _load_cursor(self) -> tuple[int, int] | None:
        try:
            number, offset = (self._dir / _CURSOR).read_text().split()
            return int(number), int(offset)
        except (OSError, ValueError):
            return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["MAGIC", "Spool", "SpoolDepth", "SpoolFull", "SpooledBatch"]
