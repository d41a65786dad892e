"""Hybrid logical clock: record versions that always increase, even if the PC clock goes back.

A version is one integer: milliseconds since 1970 shifted left 16 bits, plus
a counter for versions made in the same millisecond (or while the clock is
behind the last version seen).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

COUNTER_BITS = 16


def physical_ms(version: int) -> int:
    return version >> COUNTER_BITS


class HybridClock:
    def __init__(self, last: int = 0, now_ms: Callable[[], int] | None = None) -> None:
        self._last = last
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            wall = self._now_ms() << COUNTER_BITS
            self._last = wall if wall > self._last else self._last + 1
            return self._last

    def observe(self, version: int) -> None:
        """Move past a version received from elsewhere (a merged bundle)."""
        with self._lock:
            self._last = max(self._last, version)

    @property
    def last(self) -> int:
        return self._last
