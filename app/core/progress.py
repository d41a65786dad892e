"""How far long work has got, and a way to stop it: shared by the worker and the screen.

The worker (an import, an office form, an export, a backup) adds what it has done as it goes and
calls `check()` between steps; the screen reads `snapshot()` a few times a second and calls
`cancel()` when the person presses Cancel. Work that stops on `Cancelled` inside a transaction is
rolled back by it, so a cancel never leaves anything half-done. `interrupting(conn)` also stops a
long SQL statement in the middle (SQLite's progress handler).
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass

from app.core.errors import UserError
from app.core.i18n import N_


class Cancelled(UserError):
    template = N_("Cancelled. Nothing of the unfinished step was saved.")


@dataclass(frozen=True)
class Snapshot:
    done: int
    total: int            # 0: not known yet
    step: str             # what is being done now (a file name, a table …), as shown
    seconds_left: float | None
    noun: str = ""        # what is counted, shown after the counts ("records"); "" shows no counts

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0


class Progress:
    """Thread-safe counts of one piece of long work."""

    def __init__(self, total: int = 0, noun: str = "") -> None:
        self.noun = noun
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._total, self._done, self._step = total, 0, ""
        self._started = time.monotonic()

    def expect(self, total: int) -> None:
        with self._lock:
            self._total = total

    def step(self, text: str) -> None:
        with self._lock:
            self._step = text

    def add(self, amount: int) -> None:
        with self._lock:
            self._done += amount
        self.check()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def part(self, weight: int, step: str = "") -> "Part":
        """A share `weight` of this total (one file of several) that counts in its own units."""
        return Part(self, weight, step)

    def snapshot(self) -> Snapshot:
        with self._lock:
            done, total, step = self._done, self._total, self._step
        elapsed = time.monotonic() - self._started
        left = None
        if total and done and elapsed > 1.0:
            left = max(0.0, elapsed * (total - done) / done)
        return Snapshot(min(done, total) if total else done, total, step, left, self.noun)


class Part:
    """A share of a parent's total: `expect` and `add` in the part's own units (records of one
    file), turned into the parent's (bytes of all the files)."""

    def __init__(self, parent, weight: int, step: str = "") -> None:
        self.parent, self.weight = parent, weight
        self._total, self._done, self._given = weight, 0, 0   # in the parent's units until `expect`
        if step:
            parent.step(step)

    def expect(self, total: int) -> None:
        self._total = total

    def step(self, text: str) -> None:
        self.parent.step(text)

    def add(self, amount: int) -> None:
        self._done += amount
        share = min(self.weight, self.weight * self._done // self._total) if self._total else 0
        self.parent.add(share - self._given)
        self._given = share

    def finish(self) -> None:
        self.parent.add(self.weight - self._given)
        self._given = self.weight

    def part(self, weight: int, step: str = "") -> "Part":
        return Part(self, weight, step)

    def cancel(self) -> None:
        self.parent.cancel()

    @property
    def cancelled(self) -> bool:
        return self.parent.cancelled

    def check(self) -> None:
        self.parent.check()


@contextlib.contextmanager
def interrupting(conn, progress: "Progress | Part | None", every: int = 20_000):
    """While inside, a cancel also stops the SQL statement running (it fails as interrupted and the
    caller's transaction rolls back); `Cancelled` is raised in its place."""
    if progress is None:
        yield
        return
    conn.set_progress_handler(lambda: 1 if progress.cancelled else 0, every)
    try:
        yield
    except Exception as error:
        if progress.cancelled and "interrupted" in str(error):
            raise Cancelled() from None
        raise
    finally:
        conn.set_progress_handler(None, every)
