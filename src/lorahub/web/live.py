"""The live board: the newest presence of every device, today's buckets, and change fan-out.

``LiveBoard`` is a batch observer of the ingest pipeline. ``collect`` runs on the writer task
after each durable batch, so it only updates dictionaries and marks subscriptions dirty; the
pages' event streams wake up, read the board and render. A subscription holds a set of the
tiles (rooms, compartments) that changed since it last looked, so a slow browser costs at most
one entry per tile it shows and never holds up the pipeline.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from lorahub.domain.ids import DevEui
from lorahub.web.presence import Presence, bucket_of, presence_of

if TYPE_CHECKING:
    from lorahub.pipeline.process import BatchContent

MAX_SUBSCRIPTIONS = 500
"""Open event streams at most (kiosk screens, phones); more are refused."""


class Subscription:
    """One page's event stream: the tiles it watches and the ones that changed since it looked."""

    def __init__(self, watch: Mapping[DevEui, str]) -> None:
        self.watch = dict(watch)
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()
        self._closed = False

    def mark(self, tile: str) -> None:
        """Note that ``tile`` changed (never blocks; repeated marks merge)."""
        self._dirty.add(tile)
        self._wake.set()

    def close(self) -> None:
        """End the stream: ``changes`` answers None from now on."""
        self._closed = True
        self._wake.set()

    async def changes(self) -> set[str] | None:
        """Wait for changed tiles and take them; None once the board is closed."""
        await self._wake.wait()
        self._wake.clear()
        if self._closed:
            return None
        taken, self._dirty = self._dirty, set()
        return taken


class LiveBoard:
    """Newest presence per device and today's 15-minute buckets, with change notifications.

    Args:
        zone: the time zone whose midnight starts "today".
        clock_ns: now in nanoseconds (for the day boundary only; buckets use uplink time).
        max_subscriptions: open event streams at most.
    """

    def __init__(
        self,
        zone: tzinfo,
        clock_ns: Callable[[], int] = time.time_ns,
        max_subscriptions: int = MAX_SUBSCRIPTIONS,
    ) -> None:
        self._zone = zone
        self._clock_ns = clock_ns
        self._max_subscriptions = max_subscriptions
        self._latest: dict[DevEui, Presence] = {}
        self._buckets: dict[DevEui, dict[int, float]] = {}
        self._watchers: dict[DevEui, set[Subscription]] = {}
        self._subscriptions: set[Subscription] = set()
        self._day_start_ns, self._day_end_ns = self._today()

    def collect(self, content: BatchContent) -> None:
        """Take the presence values of one durable batch and wake the pages that show them."""
        self._roll_day()
        for dev_eui, heard in content.activity.items():
            presence = presence_of(heard.readings, heard.readings_ns or heard.uplink.time_ns)
            if presence is not None and self._note(dev_eui, presence):
                for subscription in self._watchers.get(dev_eui, ()):
                    subscription.mark(subscription.watch[dev_eui])

    def seed_latest(self, items: Iterable[tuple[DevEui, Presence]]) -> None:
        """Start from stored values (device state); newer values already noted win."""
        for dev_eui, presence in items:
            self._note(dev_eui, presence, bucket=False)

    def seed_buckets(self, dev_eui: DevEui, buckets: Mapping[int, float]) -> None:
        """Add today's buckets from the database; values already noted are kept when higher."""
        held = self._buckets.setdefault(dev_eui, {})
        for start, value in buckets.items():
            if start >= self._day_start_ns:
                held[start] = max(value, held.get(start, value))

    def latest(self, dev_eui: DevEui) -> Presence | None:
        """The device's newest presence values, or None."""
        return self._latest.get(dev_eui)

    def today(self, dev_eui: DevEui) -> Mapping[int, float]:
        """The device's buckets of today (start ns → highest level)."""
        self._roll_day()
        return self._buckets.get(dev_eui, {})

    def day_start_ns(self) -> int:
        """Local midnight of today, in nanoseconds."""
        self._roll_day()
        return self._day_start_ns

    def subscribe(self, watch: Mapping[DevEui, str]) -> Subscription | None:
        """A subscription to ``watch`` (device → tile), or None when too many are open."""
        if len(self._subscriptions) >= self._max_subscriptions:
            return None
        subscription = Subscription(watch)
        self._subscriptions.add(subscription)
        for dev_eui in subscription.watch:
            self._watchers.setdefault(dev_eui, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget ``subscription``."""
        self._subscriptions.discard(subscription)
        for dev_eui in subscription.watch:
            watchers = self._watchers.get(dev_eui)
            if watchers is not None:
                watchers.discard(subscription)
                if not watchers:
                    del self._watchers[dev_eui]

    def subscriptions(self) -> int:
        """Open subscriptions."""
        return len(self._subscriptions)

    def close(self) -> None:
        """End every event stream (the service is stopping)."""
        for subscription in list(self._subscriptions):
            subscription.close()
            self.unsubscribe(subscription)

    def _note(self, dev_eui: DevEui, presence: Presence, *, bucket: bool = True) -> bool:
        held = self._latest.get(dev_eui)
        if held is not None and held.time_ns > presence.time_ns:
            return False
        self._latest[dev_eui] = presence
        level = presence.level()
        if bucket and level is not None and presence.time_ns >= self._day_start_ns:
            buckets = self._buckets.setdefault(dev_eui, {})
            start = bucket_of(presence.time_ns)
            buckets[start] = max(level, buckets.get(start, level))
        return True

    def _roll_day(self) -> None:
        if self._clock_ns() < self._day_end_ns:
            return
        self._day_start_ns, self._day_end_ns = self._today()
        for dev_eui, buckets in list(self._buckets.items()):
            kept = {start: v for start, v in buckets.items() if start >= self._day_start_ns}
            if kept:
                self._buckets[dev_eui] = kept
            else:
                del self._buckets[dev_eui]

    def _today(self) -> tuple[int, int]:
        now = datetime.fromtimestamp(self._clock_ns() / 1e9, self._zone)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        tomorrow = midnight + timedelta(days=1)  # wall-clock arithmetic: DST days included
        return _ns(midnight), _ns(tomorrow)


def _ns(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000_000
