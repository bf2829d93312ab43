"""Recognise a frame the network server delivered twice under new ids (same device, fCnt, data)."""

from __future__ import annotations

from collections import OrderedDict

from lorahub.domain.uplink import Uplink


class DuplicateFilter:
    """Remembers recent (DevEUI, fCnt, payload) keys for a time window, bounded in size.

    A QoS 1 redelivery repeats the identical message and is harmless anyway (same point time);
    this catches ChirpStack's "skip fCnt check" repeats and a second route through another
    network server, which arrive with a new deduplication id and a later time.
    """

    def __init__(self, window_s: int, max_entries: int) -> None:
        self._window_ns = window_s * 1_000_000_000
        self._max_entries = max_entries
        self._seen: OrderedDict[tuple[str, int, bytes], int] = OrderedDict()

    def is_duplicate(self, uplink: Uplink) -> bool:
        """True when the same frame was seen within the window (at another time)."""
        if self._max_entries == 0 or uplink.f_cnt is None or uplink.mac_only:
            return False
        key = (uplink.dev_eui, uplink.f_cnt, uplink.payload)
        first = self._seen.get(key)
        if first is not None and abs(uplink.time_ns - first) <= self._window_ns:
            return first != uplink.time_ns
        self._seen[key] = uplink.time_ns
        if len(self._seen) > self._max_entries:
            self._seen.popitem(last=False)
        return False
