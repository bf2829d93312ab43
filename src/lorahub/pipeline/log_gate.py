"""Log a rejection once per (device, reason) within a window, not once per message."""

from __future__ import annotations


class RepeatGate:
    """Says whether a (key, reason) pair should be logged now."""

    def __init__(self, window_s: float, max_keys: int = 10_000) -> None:
        self._window_ns = int(window_s * 1e9)
        self._max_keys = max_keys
        self._last: dict[tuple[str, str], int] = {}

    def should_log(self, key: str, reason: str, now_ns: int) -> bool:
        """True the first time a pair is seen and again once the window has passed."""
        pair = (key, reason)
        last = self._last.get(pair)
        if last is not None and now_ns - last < self._window_ns:
            return False
        if len(self._last) >= self._max_keys:
            self._last.clear()
        self._last[pair] = now_ns
        return True
