"""Failed unlocks slow down: after a few misses each try waits longer.

The count lives beside the register (not inside it: it must be readable
before the key is known) and is reset by a successful unlock.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path

from app.core.errors import UnlockThrottled
from app.store.files import write_atomic

FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300


def delay_after(failures: int) -> int:
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_ATTEMPTS + 1))


class UnlockThrottle:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock

    def _state(self) -> tuple[int, float]:
        try:
            raw = json.loads(self.path.read_text())
            return int(raw["failures"]), float(raw["last_failure"])
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return 0, 0.0

    def seconds_left(self) -> int:
        failures, last = self._state()
        return max(0, math.ceil(last + delay_after(failures) - self.clock()))

    def check(self) -> None:
        """Raise UnlockThrottled while the waiting time has not passed."""
        left = self.seconds_left()
        if left > 0:
            raise UnlockThrottled(seconds=left)

    def failed(self) -> None:
        failures, _ = self._state()
        self._write(failures + 1, self.clock())

    def succeeded(self) -> None:
        if self._state()[0]:
            self._write(0, 0.0)

    def _write(self, failures: int, last: float) -> None:
        try:
            write_atomic(self.path, json.dumps({"failures": failures, "last_failure": last}).encode())
        except OSError:
            pass  # a read-only register folder still unlocks; only the slow-down is lost
