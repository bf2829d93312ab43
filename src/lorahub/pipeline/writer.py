"""Get every batch's lines into InfluxDB or, while it is unreachable, into the durable spool.

:meth:`BatchWriter.write` returns only when the lines are durable: written to the database, or
appended (and fsynced) to the spool. While the spool holds batches, new batches go behind them,
so the database receives batches in the order they were received; :meth:`BatchWriter.replay`
drains the spool once a health check finds the database back, and when the spool is empty
batches are written directly again. When the spool cannot take a batch (``max_bytes`` reached,
disk full, read-only disk) the error is logged once and ``write`` keeps retrying, so the batch's
acknowledgements wait and the broker holds everything behind them.
"""

from __future__ import annotations

import asyncio
import errno
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

import structlog

from lorahub.adapters.influx_sink import RejectedLine, SinkUnavailable
from lorahub.adapters.spool import Spool, SpoolFull
from lorahub.metrics import Metrics

log = structlog.get_logger("lorahub.writer")

RETRY_PAUSE_S = 1.0

RejectLines = Callable[[list[RejectedLine]], Awaitable[None]]
"""Keeps the lines the database refused for good (as dead letters)."""


class LineSink(Protocol):
    """Where lines go (InfluxDB): write them, return the ones refused for good."""

    retries: int
    """Transient failures retried so far (a running total)."""

    async def write(self, lines: Sequence[str]) -> list[RejectedLine]:
        """Write ``lines``; raise SinkUnavailable when the database cannot be reached."""
        ...

    async def ping(self) -> bool:
        """True when the database answers its health check."""
        ...


class BatchWriter:
    """Writes directly, or spools and replays in order; see the module docstring.

    Args:
        sink: the database.
        spool: the spool, or None to hold acknowledgements while the database is away.
        reject: where refused lines go, for written and replayed batches alike.
        metrics: spool depth, retries, replays, refusals and database state are reported here.
        check_every_s: how often the database's health is checked while the spool holds data.
    """

    def __init__(
        self,
        sink: LineSink,
        spool: Spool | None,
        reject: RejectLines,
        metrics: Metrics,
        check_every_s: float = 1.0,
    ) -> None:
        self._sink = sink
        self._spool = spool
        self._reject = reject
        self._metrics = metrics
        self._check_every_s = check_every_s
        self._pending = asyncio.Event()
        self.database_up = True
        """False from a failed write or health check until a successful one."""
        self.spool_accepting = True
        """False from a refused append until an append succeeds."""
        metrics.database_up.set(1)
        if spool is not None:
            metrics.spool_bytes.set_function(lambda: spool.depth().bytes)
            metrics.spool_batches.set_function(lambda: spool.depth().batches)
            self._pending.set()  # batches from before a restart

    async def write(self, lines: list[str]) -> list[RejectedLine]:
        """Return once ``lines`` are written or spooled; the refused lines are returned."""
        spool = self._spool
        while True:
            if spool is None or spool.empty():
                try:
                    return await self._write_now(lines)
                except SinkUnavailable as exc:
                    action = "holding acknowledgements" if spool is None else "spooling"
                    log.warning(f"database unavailable; {action}", error=str(exc))
            if spool is not None and await self._append(spool, lines):
                return []
            await asyncio.sleep(RETRY_PAUSE_S)

    async def replay(self) -> None:
        """Drain the spool into the database whenever it holds batches; runs until cancelled."""
        spool = self._spool
        if spool is None:
            return
        while True:
            await self._pending.wait()
            self._pending.clear()  # before peeking, so an append after the peek wakes us again
            try:
                replayed = await self._drain(spool)
            except OSError as exc:  # a disk error reading the spool: say so, try again later
                log.exception("spool replay failed; retrying", error=str(exc))
                self._pending.set()
                await asyncio.sleep(self._check_every_s)
                continue
            if replayed and not self._pending.is_set():
                log.info("spool drained; writing directly again", batches=replayed)

    async def _drain(self, spool: Spool) -> int:
        """Write the spooled batches in order until none is left; how many were written."""
        replayed = 0
        while (batch := await asyncio.to_thread(spool.peek)) is not None:
            if not self.database_up and not await self._sink.ping():
                await asyncio.sleep(self._check_every_s)
                continue
            try:
                rejected = await self._write_now(batch.lines)
            except SinkUnavailable as exc:
                log.warning("replay paused: database unavailable", error=str(exc))
                await asyncio.sleep(self._check_every_s)
                continue
            if rejected:
                await self._reject(rejected)
            await asyncio.to_thread(spool.commit, batch)
            self._metrics.replayed.inc()
            replayed += 1
        return replayed

    async def _write_now(self, lines: list[str]) -> list[RejectedLine]:
        retries = self._sink.retries
        try:
            rejected = await self._sink.write(lines)
        except SinkUnavailable:
            self._metrics.write_failures.inc()
            self._set_database(up=False)
            raise
        finally:
            self._metrics.write_retries.inc(self._sink.retries - retries)
        self._set_database(up=True)
        return rejected

    async def _append(self, spool: Spool, lines: list[str]) -> bool:
        try:
            await asyncio.to_thread(spool.append, lines)
        except OSError as exc:
            reason = "full" if isinstance(exc, SpoolFull) else errno.errorcode.get(exc.errno or 0)
            self._metrics.spool_refusals.labels(reason or "error").inc()
            if self.spool_accepting:
                log.error(
                    "spool cannot take the batch; holding acknowledgements (the broker keeps "
                    "the rest) until the database or the spool has room again",
                    reason=reason,
                    error=str(exc),
                )
            self.spool_accepting = False
            return False
        if not self.spool_accepting:
            log.info("spool takes batches again")
        self.spool_accepting = True
        self._metrics.spooled.inc()
        self._pending.set()
        return True

    def _set_database(self, *, up: bool) -> None:
        if up and not self.database_up:
            log.info("database reachable again")
        self.database_up = up
        self._metrics.database_up.set(1 if up else 0)


__all__ = ["BatchWriter", "LineSink", "RejectLines"]
