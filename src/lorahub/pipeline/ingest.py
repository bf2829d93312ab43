"""Batch processed messages, write each batch, then release its acknowledgements in order."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import structlog

from lorahub.adapters.influx_sink import RejectedLine
from lorahub.domain.dead_letter import DeadLetter
from lorahub.errors import RejectReason
from lorahub.metrics import Metrics
from lorahub.pipeline.process import BatchContent, MessageProcessor
from lorahub.pipeline.writer import BatchWriter, RejectLines
from lorahub.settings import PipelineSettings

log = structlog.get_logger("lorahub.ingest")

RETRY_PAUSE_S = 1.0


class DeadLetterSink(Protocol):
    """Where dead letters go: stored durably before the call returns."""

    def put_many(self, letters: Sequence[DeadLetter]) -> None:
        """Store ``letters``."""
        ...


class BatchObserver(Protocol):
    """Takes what a durable batch saw (device state, alerts, live pages); must be cheap.

    Observers run on the writer task after the batch's acknowledgements are released, so they
    must not block: merge what they need and do their I/O elsewhere.
    """

    def collect(self, content: BatchContent) -> None:
        """Take what ``content`` saw of the devices; writing happens elsewhere."""
        ...


@dataclass(slots=True)
class Batch:
    """Messages collected since the last flush, and the future their acknowledgements wait on."""

    content: BatchContent = field(default_factory=BatchContent)
    done: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    opened: float = 0.0


class IngestPipeline:
    """Accepts messages, writes them in batches and acknowledges only what is written or kept.

    ``submit`` runs synchronously per message (parse, decode, format) and returns the future of
    the batch holding it; the MQTT source acknowledges the batch's messages when it resolves.
    Batches are written one at a time in arrival order, so acknowledgements go out in receipt
    order. The ``writer`` puts each batch into the database or, while it is away, into the
    spool.
    """

    def __init__(
        self,
        processor: MessageProcessor,
        writer: Callable[[RejectLines], BatchWriter],
        dead_letters: DeadLetterSink,
        settings: PipelineSettings,
        metrics: Metrics,
        clock_ns: Callable[[], int] = time.time_ns,
        observers: Sequence[BatchObserver] = (),
    ) -> None:
        self._processor = processor
        self.writer = writer(self._keep_rejected)
        self._dead_letters = dead_letters
        self._settings = settings
        self._metrics = metrics
        self._clock_ns = clock_ns
        self._observers = tuple(observers)
        self._batch: Batch | None = None
        self._ready = asyncio.Event()
        self._full = asyncio.Event()
        self._closing = False
        self._received = 0
        self._settled = 0

    def in_flight(self) -> int:
        """Messages received and not yet written or kept (so not yet acknowledged)."""
        return self._received - self._settled

    def submit(self, topic: str, payload: bytes) -> asyncio.Future[None]:
        """Process one message into the open batch; the result resolves once it is durable."""
        batch = self._batch
        if batch is None:
            batch = self._batch = Batch(opened=time.monotonic())
            self._ready.set()
        self._received += 1
        self._processor.process(topic, payload, self._clock_ns(), batch.content)
        if batch.content.messages >= self._settings.batch_max_uplinks:
            self._full.set()
        return batch.done

    async def run(self) -> None:
        """Flush batches until cancelled or closed; replay the spool meanwhile."""
        replay = asyncio.create_task(self.writer.replay(), name="spool-replay")
        replay.add_done_callback(_report_crash)
        try:
            await self._flush_batches()
        finally:
            replay.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await replay

    async def _flush_batches(self) -> None:
        max_age = self._settings.batch_max_age_ms / 1000
        while not (self._closing and self._batch is None):
            await self._ready.wait()
            batch = self._batch
            if batch is None:  # closed with nothing pending
                self._ready.clear()
                continue
            remaining = batch.opened + max_age - time.monotonic()
            if remaining > 0 and not self._closing:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._full.wait(), timeout=remaining)
            self._batch = None
            self._ready.clear()
            self._full.clear()
            await self._flush(batch)

    async def close(self) -> None:
        """Make ``run`` flush what is open and return."""
        self._closing = True
        self._ready.set()
        self._full.set()

    async def _flush(self, batch: Batch) -> None:
        content = batch.content
        started = time.monotonic()
        rejected = await self.writer.write(content.lines) if content.lines else []
        letters = content.dead_letters + [self._line_letter(item) for item in rejected]
        await self._keep(letters)
        self._metrics.write_seconds.observe(time.monotonic() - started)
        self._count(content, letters, len(content.lines) - len(rejected))
        self._settled += content.messages
        if not batch.done.done():
            batch.done.set_result(None)
            self._metrics.ack_lag.observe(time.monotonic() - batch.opened)
        for observer in self._observers:
            try:
                observer.collect(content)
            except Exception:  # a view or an alert must not stop the writer
                log.exception("batch observer failed", observer=type(observer).__name__)

    async def _keep_rejected(self, rejected: list[RejectedLine]) -> None:
        """Dead-letter lines refused while replaying the spool."""
        await self._keep([self._line_letter(item) for item in rejected])
        self._metrics.rejected.labels(RejectReason.WRITE_REJECTED.value).inc(len(rejected))

    async def _keep(self, letters: list[DeadLetter]) -> None:
        while letters:
            try:
                await asyncio.to_thread(self._dead_letters.put_many, letters)
                return
            except Exception as exc:  # the store is down (disk full, locked): do not ack
                log.error("dead-letter store failed; holding acknowledgements", error=repr(exc))
                await asyncio.sleep(RETRY_PAUSE_S)

    def _line_letter(self, item: RejectedLine) -> DeadLetter:
        return DeadLetter(
            received_ns=self._clock_ns(),
            topic="influx:write",
            payload=item.line.encode(),
            reason=RejectReason.WRITE_REJECTED,
            error=f"HTTP {item.status}: {item.message}",
        )

    def _count(self, content: BatchContent, letters: list[DeadLetter], written: int) -> None:
        metrics = self._metrics
        metrics.messages.inc(content.messages)
        metrics.uplinks.inc(content.uplinks)
        metrics.points.inc(written)
        if content.duplicates:
            metrics.duplicates.inc(content.duplicates)
        for event, count in content.events.items():
            metrics.events.labels(event).inc(count)
        reasons: dict[str, int] = {}
        for letter in letters:
            reasons[letter.reason.value] = reasons.get(letter.reason.value, 0) + 1
        for reason, count in reasons.items():
            metrics.rejected.labels(reason).inc(count)


def _report_crash(task: asyncio.Task[None]) -> None:
    """Log a background task that ended with an error (it would otherwise go unnoticed)."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("task failed", task=task.get_name(), error=repr(error))
