"""Sync with the county in the background: shortly after start, then every few minutes, and when
asked (立即同步); never on the UI thread and never on the database worker the pages use.

Each sync runs in a thread of its own on a connection of its own (a second `Workspace` on the same
file: WAL lets the pages read and write while it runs). The session holds the write lock only
while it lands a chunk, never while it waits for the county, so a save made meanwhile waits at
most for one chunk's transaction. One sync at a time: the timer and the button share this object.
A county that cannot be reached is said quietly (the state says when the next try is), never in a
dialog; the next try comes sooner than the regular interval, then less often while it stays away.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

INTERVAL = 5 * 60     # seconds between syncs while the county answers
FIRST = 20            # seconds after start (or after enrolment) before the first one
RETRY = 60            # seconds before trying again when the county could not be reached

CountyFactory = Callable[[str], Any]


def http_county(url: str) -> Any:
    from app.sync.client import HttpCounty

    return HttpCounty(url)


class Cancelled(Exception):
    """The window is closing or a restore is waiting: the session stops between two chunks (what
    was landed stays landed; the next session starts from there)."""


@dataclass(frozen=True)
class SyncState:
    """What the status bar and the 数据同步 page say about background sync."""

    running: bool = False
    stage: str = ""                       # "push" or "pull" while running
    pushed: int = 0                       # so far in this sync
    pulled: int = 0
    unreachable: bool = False             # the last try could not reach the county
    message: str = ""                     # why the last sync did not finish ("" when it did)
    next_at: dt.datetime | None = None    # when the next automatic sync is due (local time)
    last_result: Any = None               # app.sync.session.Result of the last sync that finished


class BackgroundSync(QObject):
    """Runs `app.sync.session.sync` for the database at `path` as `user`."""

    state_changed = Signal(object)        # SyncState
    synced = Signal(object)               # a Result, once a sync finished
    failed = Signal(object)               # the exception, once a sync did not finish
    _progressed = Signal(str, int)        # from the sync thread
    _ended = Signal(object, object)       # (Result | None, exception | None), from the sync thread

    def __init__(self, path: Path | str, user: str, *, county_factory: CountyFactory = http_county,
                 interval: float = INTERVAL, first: float = FIRST, retry: float = RETRY,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.user = user
        self.county_factory = county_factory
        self.interval, self.first, self.retry = interval, first, retry
        self.state = SyncState()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._paused = False
        self._misses = 0                  # tries in a row that could not reach the county
        self._after: list[Callable[[], None]] = []
        self._progressed.connect(self._on_progress)
        self._ended.connect(self._on_ended)

    # --- scheduling ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def started(self) -> bool:
        """Whether automatic syncs are scheduled (or one is running)."""
        return self._timer.isActive() or self.running

    def start(self) -> None:
        """Schedule the first automatic sync (a no-op when they are already scheduled)."""
        if not self.started and not self._paused:
            self._schedule(self.first)

    def _schedule(self, seconds: float) -> None:
        self._timer.start(max(0, int(seconds * 1000)))
        self._set(next_at=dt.datetime.now().astimezone() + dt.timedelta(seconds=seconds))

    @Slot()
    def _tick(self) -> None:
        self.sync_now()

    def sync_now(self) -> bool:
        """Start a sync now unless one is running (or a restore waits); whether it started."""
        if self.running or self._paused:
            return False
        self._timer.stop()
        self._cancel.clear()
        self._set(running=True, stage="", pushed=0, pulled=0, next_at=None)
        self._thread = threading.Thread(target=self._run, name="cunyi-sync", daemon=True)
        self._thread.start()
        return True

    def pause(self, then: Callable[[], None]) -> None:
        """Stop syncing (the running sync ends after its current chunk), then call `then` on the
        UI thread; after `resume`, `start` schedules syncs again."""
        self._paused = True
        self._timer.stop()
        self._set(next_at=None)
        if self.running:
            self._cancel.set()
            self._after.append(then)
        else:
            then()

    def resume(self) -> None:
        """Allow syncing again after `pause`; `start` schedules the next one."""
        self._paused = False

    def stop(self, timeout: float = 2.0) -> None:
        """For closing: no more syncs; wait a little for a running one to end between chunks (one
        still waiting for the network after that is left to end with the process: its landed
        chunks are committed and an unfinished one is rolled back by SQLite)."""
        self._paused = True
        self._timer.stop()
        self._cancel.set()
        self.wait(timeout)

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until the running sync (if any) has ended; whether it has (for tests, closing)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _set(self, **changes: Any) -> None:
        self.state = replace(self.state, **changes)
        self.state_changed.emit(self.state)

    # --- the sync thread -----------------------------------------------------------------------

    def _run(self) -> None:
        result, error = None, None
        try:
            result = self._sync()
        except BaseException as exc:  # reported on the UI thread, never lost
            error = exc
        self._ended.emit(result, error)

    def _sync(self) -> Any:
        from app.storage.workspace import Workspace
        from app.sync import session

        own = Workspace.open(self.path)
        try:
            own.user = self.user
            me = own.sync.identity()
            if me is None:
                raise session.NotEnrolled(
                    "本机是从另一台电脑复制来的数据库，须用新的注册码重新注册后才能同步"
                    if own.sync.enrolled_elsewhere() else "本机尚未在县里注册，不会自动同步")
            county = self.county_factory(me.server_url)
            try:
                return session.sync(own, county, progress=self._progress)
            finally:
                close = getattr(county, "close", None)
                if callable(close):
                    close()
        finally:
            own.close()

    def _progress(self, stage: str, count: int) -> None:
        if self._cancel.is_set():
            raise Cancelled("同步已暂停，下次从这里接着同步")
        self._progressed.emit(stage, count)

    # --- back on the UI thread -------------------------------------------------------------------

    @Slot(str, int)
    def _on_progress(self, stage: str, count: int) -> None:
        if stage == "push":
            self._set(stage=stage, pushed=count)
        else:
            self._set(stage=stage, pulled=count)

    @Slot(object, object)
    def _on_ended(self, result: Any, error: BaseException | None) -> None:
        from app.sync.client import SyncUnavailable

        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
        if error is None:
            self._misses = 0
            self._set(running=False, stage="", unreachable=False, message="", last_result=result)
            wait = self.interval
        else:
            unreachable = isinstance(error, SyncUnavailable)
            self._misses = self._misses + 1 if unreachable else 0
            if not isinstance(error, Cancelled):
                log.info("background sync did not finish: %s", error)
            self._set(running=False, stage="", unreachable=unreachable, message=str(error))
            wait = min(self.retry * 2 ** (self._misses - 1), self.interval) if unreachable else self.interval
        if not self._paused:
            self._schedule(wait)
        if error is None:
            self.synced.emit(result)
        else:
            self.failed.emit(error)
        after, self._after = self._after, []
        for then in after:
            then()
