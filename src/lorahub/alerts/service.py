"""The alert service: feeds durable batches and ticks to the evaluator, persists, notifies.

Runs beside the ingest pipeline. ``collect`` (a batch observer) only notes the newest
observation per device; ``run`` evaluates them every ``evaluate_every_s``, runs the
time-based rules every ``tick_s``, and writes each round (rule states, opened and resolved
alerts, the notices for the channels' outbox) in one transaction before the ``alerts`` lines
go to InfluxDB. A round that cannot be stored is kept and retried, so nothing is told that is
not stored, and nothing stored is forgotten on restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import structlog
from sqlalchemy import Connection

from lorahub.adapters.alerts_sql import AlertRecord, NewAlert, SqlAlertStore
from lorahub.alerts.context import AlertContext
from lorahub.alerts.evaluate import Fire, Observation
from lorahub.alerts.evaluator import AlertEvaluator, Outcome, Round
from lorahub.alerts.messages import NoticeFacts, alert_line, notice
from lorahub.alerts.notice import AlertNotice
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui
from lorahub.pipeline.directory import DeviceDirectory
from lorahub.settings import AlertSettings

if TYPE_CHECKING:
    from lorahub.pipeline.process import BatchContent

log = structlog.get_logger("lorahub.alerts")

MAX_PENDING_LINES = 100_000


class NoticeSink(Protocol):
    """The notification outbox: stores a notice for the tenant's channels in a transaction."""

    def notify(self, notice: AlertNotice, connection: Connection | None = None) -> object:
        """Queue ``notice`` for delivery, in the caller's transaction."""
        ...


class LineWriter(Protocol):
    """Where ``alerts`` lines go (InfluxDB)."""

    async def write(self, lines: Sequence[str]) -> object:
        """Write ``lines``; raise when the database cannot be reached."""
        ...


class ContextSource(Protocol):
    """Loads the registry snapshot the rules need; ``fingerprint`` changes with it."""

    def fingerprint(self) -> object:
        """A value that changes whenever rules, tenants or sites change."""
        ...

    def load(self) -> AlertContext:
        """The current snapshot."""
        ...


class AlertService:
    """Evaluates alert rules on the ingest stream and on a clock."""

    def __init__(
        self,
        settings: AlertSettings,
        store: SqlAlertStore,
        contexts: ContextSource,
        directory: DeviceDirectory,
        last_seen: Callable[[], dict[DevEui, int]],
        notices: NoticeSink,
        lines: LineWriter,
        public_url: str,
        clock_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self._settings = settings
        self._store = store
        self._contexts = contexts
        self._directory = directory
        self._load_last_seen = last_seen
        self._notices = notices
        self._lines = lines
        self._public_url = public_url
        self._clock_ns = clock_ns
        self._observed: dict[DevEui, Observation] = {}
        self._last_seen: dict[DevEui, int] = {}
        self._unstored = Round()
        self._unwritten: list[str] = []
        self._evaluator: AlertEvaluator | None = None
        self._context = AlertContext()
        self._fingerprint: object = None
        self._acks_since = 0

    # the batch observer ------------------------------------------------------------------

    def collect(self, content: BatchContent) -> None:
        """Note the newest observation of every device in a durable batch (cheap)."""
        for dev_eui, heard in content.activity.items():
            at_ns = heard.readings_ns or heard.uplink.time_ns
            self._observed[dev_eui] = Observation(at_ns, heard.readings, heard.implausible)
            self._seen(dev_eui, heard.uplink.time_ns)
        for dev_eui, status in content.statuses.items():
            if status.battery_percent is not None and dev_eui not in self._observed:
                battery = {"battery": round(status.battery_percent, 1)}
                self._observed[dev_eui] = Observation(status.time_ns, battery, {})
            self._seen(dev_eui, status.time_ns)

    def _seen(self, dev_eui: DevEui, time_ns: int) -> None:
        if self._last_seen.get(dev_eui, 0) < time_ns:
            self._last_seen[dev_eui] = time_ns

    # the loop ----------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Evaluate until ``stop`` is set; store what is left, then return."""
        self._evaluator = AlertEvaluator(await asyncio.to_thread(self._store.states))
        stored_seen = await asyncio.to_thread(self._load_last_seen)
        for dev_eui, seen_ns in stored_seen.items():
            self._seen(dev_eui, seen_ns)
        self._acks_since = self._clock_ns()
        await self._refresh_context()
        next_tick = next_refresh = time.monotonic()
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._settings.evaluate_every_s)
            now = time.monotonic()
            if now >= next_refresh:
                await self._refresh_context()
                next_refresh = now + self._settings.rules_refresh_s
            self._evaluate_observed()
            ticking = now >= next_tick
            if ticking:
                self._tick()
                next_tick = now + self._settings.tick_s
            await self._settle(ticking)
        self._evaluate_observed()
        await self._settle(ticking=False)

    def _evaluate_observed(self) -> None:
        assert self._evaluator is not None  # noqa: S101 - set first thing in run()
        observed, self._observed = self._observed, {}
        for dev_eui, seen in observed.items():
            device = self._directory.get(dev_eui)
            if device is not None:
                self._evaluator.observe(self._context, device, seen)

    def _tick(self) -> None:
        assert self._evaluator is not None  # noqa: S101 - set first thing in run()
        self._evaluator.tick(
            self._context, self._directory.devices(), self._last_seen, self._clock_ns()
        )

    async def _settle(self, ticking: bool) -> None:
        """Store the round (with notices), then write the lines; keep whatever fails."""
        assert self._evaluator is not None  # noqa: S101 - set first thing in run()
        self._unstored.absorb(self._evaluator.take_round())
        try:
            if self._unstored:
                lines = await asyncio.to_thread(self._store_round, self._unstored)
                self._unstored = Round()
                self._queue_lines(lines)
            if ticking:
                self._queue_lines(await asyncio.to_thread(self._renotify_and_acks))
        except Exception as exc:  # the registry database is away: retry next round
            log.error("alert round not stored; retrying", error=repr(exc))
        await self._write_lines()

    def _queue_lines(self, lines: list[str]) -> None:
        self._unwritten.extend(lines)
        if len(self._unwritten) > MAX_PENDING_LINES:
            dropped = len(self._unwritten) - MAX_PENDING_LINES
            del self._unwritten[:dropped]
            log.warning("alerts lines dropped while InfluxDB is away", count=dropped)

    async def _write_lines(self) -> None:
        if not self._unwritten:
            return
        lines, self._unwritten = self._unwritten, []
        try:
            await self._lines.write(lines)
        except Exception as exc:  # InfluxDB away: the alert itself is stored; retry the lines
            log.warning("alerts lines not written; retrying", error=repr(exc))
            self._unwritten = lines + self._unwritten

    # storing (worker thread) -------------------------------------------------------------

    def _store_round(self, round_: Round) -> list[str]:
        facts = NoticeFacts(self._context, self._public_url)
        lines: list[str] = []
        with self._store.begin() as connection:
            self._store.save_states(round_.states, connection)
            for outcome in round_.outcomes:
                line = self._store_outcome(outcome, facts, connection)
                if line is not None:
                    lines.append(line)
        return lines

    def _store_outcome(
        self, outcome: Outcome, facts: NoticeFacts, connection: Connection
    ) -> str | None:
        transition, device = outcome.transition, outcome.device
        if isinstance(transition, Fire):
            if outcome.rule is None or device is None:
                return None
            record = self._open(outcome, transition, device, connection)
            self._notices.notify(
                notice(facts, "fired", record, outcome.rule, device, transition.at_ns), connection
            )
            return alert_line(record, device, "firing", transition.value, transition.at_ns)
        resolved = self._store.resolve(outcome.key, transition.at_ns, transition.value, connection)
        if resolved is None:
            return None
        self._notices.notify(
            notice(facts, "resolved", resolved, outcome.rule, device, transition.at_ns), connection
        )
        return alert_line(resolved, device, "resolved", transition.value, transition.at_ns)

    def _open(
        self, outcome: Outcome, fire: Fire, device: Device, connection: Connection
    ) -> AlertRecord:
        rule = outcome.rule
        assert rule is not None  # noqa: S101 - checked by the caller
        new = NewAlert(
            tenant=device.tenant,
            rule=rule.id,
            kind=rule.kind,
            dev_eui=device.dev_eui,
            site=device.site,
            severity=rule.severity,
            quantity=fire.quantity,
            value=fire.value,
            threshold=fire.threshold,
            at_ns=fire.at_ns,
        )
        return self._store.open(new, connection)

    def _renotify_and_acks(self) -> list[str]:
        """Re-notify due critical alerts; return the ``alerts`` lines of new acknowledgements."""
        now = self._clock_ns()
        facts = NoticeFacts(self._context, self._public_url)
        due = self._store.due_for_renotification(now, self._settings.renotify_after_s)
        with self._store.begin() as connection:
            for record in due:
                rule = self._context.rule(record.tenant, record.rule)
                after = (rule.renotify_after_s if rule else None) or self._settings.renotify_after_s
                if (record.last_notified_ns or 0) + after * 1e9 > now:
                    continue
                device = self._directory.get(DevEui(record.dev_eui))
                self._notices.notify(
                    notice(facts, "renotified", record, rule, device, now), connection
                )
                self._store.renotified(record.id, now, connection)
        acked = self._store.acknowledged_since(self._acks_since)
        if acked:
            self._acks_since = max(record.acknowledged_ns or 0 for record in acked) + 1
        return [
            alert_line(
                record,
                self._directory.get(DevEui(record.dev_eui)),
                "acknowledged",
                record.value,
                record.acknowledged_ns or now,
            )
            for record in acked
        ]

    async def _refresh_context(self) -> None:
        try:
            fingerprint = await asyncio.to_thread(self._contexts.fingerprint)
            if fingerprint != self._fingerprint:
                self._context = await asyncio.to_thread(self._contexts.load)
                self._fingerprint = fingerprint
        except Exception as exc:  # keep the last good rules while the database is away
            log.error("alert rules not reloaded", error=repr(exc))
