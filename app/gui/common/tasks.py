"""One worker thread owns the register connection (Anki's taskman idea).

Widgets hand work to `TaskRunner.run`; the callable runs on the worker and
its result (or exception) comes back to the GUI thread through a queued
signal. SQLite's own thread check makes SQL on the GUI thread fail loudly.
A busy indicator appears only for work that takes longer than 600 ms.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.core.i18n import _, number
from app.core.progress import Progress, Snapshot

PROGRESS_DELAY_MS = 600
POLL_MS = 200
BAR_STEPS = 1000


def describe(label: str, snapshot: Snapshot) -> str:
    """"Importing the bundles… / 01-001.tvb / 45,000 of 190,000 · about 2 minutes left"."""
    lines = [label]
    if snapshot.step:
        lines.append(snapshot.step)
    counted = []
    if snapshot.total and snapshot.noun:
        counted.append(_("{done} / {total} {noun}").format(done=number(snapshot.done), total=number(snapshot.total),
                                                           noun=snapshot.noun))
    if snapshot.seconds_left is not None:
        counted.append(time_left(snapshot.seconds_left))
    if counted:
        lines.append(" · ".join(counted))
    return "\n".join(lines)


def time_left(seconds: float) -> str:
    if seconds < 60:
        return _("less than a minute left")
    minutes = round(seconds / 60)
    return _("about {n} minutes left").format(n=minutes) if minutes > 1 else _("about a minute left")

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


def _call(box: list) -> Any:
    """Run the work on the worker holding it only in this frame, and let go of it before the result
    is published (also when it fails: the traceback keeps this frame, not the work)."""
    work = box.pop()
    try:
        return work()
    finally:
        work = None  # noqa: F841


class TaskRunner(QObject):
    _done = Signal(int, object)
    idle_changed = Signal(bool)

    def __init__(self, on_failure: Failure, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="register")
        self._default_failure = on_failure
        self._pending = 0
        self._closed = False
        # Everything that may reach a widget (the work, which often closes over one, and the answers)
        # stays here, on the GUI thread, until delivered. The worker must never drop the last
        # reference to a widget: PySide then deletes it later "in the main thread", and if Qt has
        # deleted it meanwhile (a closed dialog, a rebuilt window) the program crashes.
        self._waiting: dict[int, tuple] = {}
        self._tokens = itertools.count()
        # Delivered work and futures are let go a few tasks later: by then the worker has surely
        # dropped its own references (a failure's traceback keeps the work's frame alive).
        self._delivered: collections.deque = collections.deque(maxlen=8)
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        work: Callable[[], Any],
        on_success: Success | None = None,
        on_failure: Failure | None = None,
        *,
        progress_parent: QWidget | None = None,
        label: str | None = None,
        counts: Progress | None = None,
    ) -> Future | None:
        """`counts`: the work reports into it; the dialog then shows a bar, the counts, the time left
        and a Cancel button that asks the work to stop (it raises `Cancelled` into `on_failure`)."""
        if self._closed:
            return None  # the program is closing: late refreshes have nothing to show
        progress = self._progress(progress_parent, label, counts) if progress_parent is not None else None
        self._pending += 1
        if self._pending == 1:
            self.idle_changed.emit(False)
        token = next(self._tokens)
        self._waiting[token] = (work, on_success, on_failure, progress)
        future = self._executor.submit(_call, [work])
        future.add_done_callback(lambda done: self._done.emit(token, done))
        return future

    def _progress(self, parent: QWidget, label: str | None, counts: Progress | None) -> tuple[QTimer, QTimer, list]:
        holder: list = []
        label = label or _("Working…")

        def show() -> None:
            dialog = QProgressDialog(label, _("Cancel") if counts is not None else "", 0,
                                     BAR_STEPS if counts is not None else 0, parent)
            dialog.setObjectName("work_progress")
            if counts is None:
                dialog.setCancelButton(None)
            else:
                dialog.canceled.disconnect()   # Qt would hide the dialog at once; it stays until the work stops
                dialog.canceled.connect(lambda: cancel(dialog))
                dialog.setMinimumWidth(460)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.show()
            holder.append(dialog)
            if counts is not None:
                update()
                poll.start()

        def cancel(dialog) -> None:
            counts.cancel()
            dialog.setLabelText(_("Stopping… the unfinished step is being undone."))
            dialog.setCancelButtonText(_("Stopping…"))

        def update() -> None:
            if not holder or counts.cancelled:
                return
            snapshot = counts.snapshot()
            holder[0].setValue(round(snapshot.fraction * BAR_STEPS))
            holder[0].setLabelText(describe(label, snapshot))

        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(show)
        timer.start(PROGRESS_DELAY_MS)
        poll = QTimer(self)
        poll.setInterval(POLL_MS)
        poll.timeout.connect(update)
        return timer, poll, holder

    def _deliver(self, token: int, future: Future) -> None:
        work, on_success, on_failure, progress = self._waiting.pop(token)
        self._delivered.append((work, future))
        if progress is not None:
            timer, poll, holder = progress
            timer.stop()
            poll.stop()
            for dialog in holder:
                dialog.canceled.disconnect()   # closing a progress dialog emits canceled: the work is done
                dialog.close()
        self._pending -= 1
        if self._pending == 0:
            self.idle_changed.emit(True)
        if self._closed:
            return
        error = future.exception()
        try:
            if error is None:
                if on_success is not None:
                    on_success(future.result())
            else:
                (on_failure or self._default_failure)(error)
        except RuntimeError as gone:
            # The view that asked was closed meanwhile (e.g. the window was rebuilt for another
            # language): its answer has nowhere to go.
            if "already deleted" not in str(gone):
                raise

    def shutdown(self) -> None:
        self._closed = True
        self._executor.shutdown(wait=True)
