"""Recognise a frame the network server delivered twice under new ids (same device, fCnt, data)."""

from __future__ import annotations

from collections import deque

from lorahub.domain.uplink import Uplink


class DuplicateFilter:
    """Remembers recent (DevEUI, fCnt, payload) keys for a time window, bounded in size.

    A QoS 1 redelivery repeats the identical message and is harmless anyway (same point time);
    this catches ChirpStack's "skip fCnt check" repeats and a second route through another
    network server, which arrive with a new deduplication id and a later time.

    A frame is remembered by the 64-bit hash of its key, not the key itself: about 120 bytes
    per frame instead of 300 (the payload is not kept alive), which matters at 200,000 frames.
    Two different frames with the same hash, seen within the window, would make the second
    count as a repeat; with 200,000 frames remembered that is a chance of about 1 in 10^14
    per frame.
    """

    def __init__(self, window_s: int, max_entries: int) -> None:
        self._window_ns = window_s * 1_000_000_000
        self._max_entries = max_entries
        self._seen: dict[int, int] = {}
        self._order: deque[int] = deque()

    def is_duplicate(self, uplink: Uplink) -> bool:
        """True when the same frame was seen within the window (at another time)."""
        if self._max_entries == 0 or uplink.f_cnt is None or uplink.mac_only:
            return False
        key = hash((uplink.dev_eui, uplink.f_cnt, uplink.payload))
        seen = self._seen
        first = seen.get(key)
        if first is not None:
            if abs(uplink.time_ns - first) <= self._window_ns:
                return first != uplink.time_ns
            seen[key] = uplink.time_ns  # outside the window: a new frame; keeps its place
            return False
        seen[key] = uplink.time_ns
        self._order.append(key)
        if len(self._order) > self._max_entries:
            del seen[self._order.popleft()]
        return False
