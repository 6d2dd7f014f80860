"""Running work off the UI thread: one serial worker for the database, a pool for the rest.

Usage (from a widget):
    self.runner.db(lambda: ws.people.add(p), on_done=self._saved, on_error=show_error_for(self))
`on_done` receives the function's return value, on the UI thread. `on_error` receives the
exception, on the UI thread; the default shows it with `show_error`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # reported to the UI thread, never swallowed
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class TaskRunner(QObject):
    """A serial pool of one thread for database work and a small pool for files and network."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_pool = QThreadPool(self)
        self._db_pool.setMaxThreadCount(1)
        self._io_pool = QThreadPool(self)
        self._io_pool.setMaxThreadCount(2)
        self._live: set[_Signals] = set()

    def db(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
           on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run `fn` on the database worker; calls run one after another in submission order."""
        self._start(self._db_pool, fn, on_done, on_error)

    def io(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
           on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run `fn` on the I/O pool (PDF, Excel, network)."""
        self._start(self._io_pool, fn, on_done, on_error)

    def _start(self, pool: QThreadPool, fn: Callable[[], Any],
               on_done: Callable[[Any], None] | None,
               on_error: Callable[[BaseException], None] | None) -> None:
        signals = _Signals()
        self._live.add(signals)

        def finished(result: Any) -> None:
            self._live.discard(signals)
            self.busy_changed.emit(bool(self._live))
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self._live.discard(signals)
            self.busy_changed.emit(bool(self._live))
            if on_error is not None:
                on_error(exc)
            elif _closed_under_it(exc):
                # The database was closed (a window closing, a restore reopening it) while this
                # read was queued: nothing is wrong that the user could act on, and a dialog here
                # would block whatever comes next.
                log.info("a queued database job found its database closed: %s", exc)
            else:
                from app.ui.errors import show_error

                show_error(None, exc)

        signals.done.connect(finished)
        signals.failed.connect(failed)
        self.busy_changed.emit(True)
        pool.start(_Job(fn, signals))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until both pools are idle (for tests and for closing the window)."""
        return self._db_pool.waitForDone(msecs) and self._io_pool.waitForDone(msecs)


def _closed_under_it(exc: BaseException) -> bool:
    """Whether a job failed only because its database connection had been closed."""
    from app.storage.engine import sqlite3

    return isinstance(exc, sqlite3.ProgrammingError) and "closed database" in str(exc)
