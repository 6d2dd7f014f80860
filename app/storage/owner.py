"""One owner of a clinic database: the desktop app holds an OS lock on a file beside it.

The lock is on `<database>.lock` (flock on Linux and macOS, msvcrt.locking on Windows), held for
as long as the app has the database open. The OS drops it when the process ends, however it ends,
so a crashed app never leaves a stale lock. The file itself only says who holds it (pid and start
time) for the message; it is never deleted. Commands that replace the database (restore, demo
--force) ask `held_by_other` first and refuse; ordinary reads and writes ignore the lock.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import StorageError

_TRIES = 3
_LOCK_AT = 4096          # Windows locks a byte range: one byte past the text, so the text stays readable

# This process's own holds (the app's restore replaces the file it holds itself).
_held: dict[Path, Owner] = {}


def lock_path(db_path: Path | str) -> Path:
    """The lock file beside a database: `cunyi.sqlite3.lock`."""
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


def _key(db_path: Path | str) -> Path:
    return Path(os.path.abspath(db_path))


def _try_lock(fd: int) -> bool:
    """Take the lock on `fd` without waiting; False if another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (11, 13, 35):     # EAGAIN / EACCES / EWOULDBLOCK on some systems
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_AT, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _open(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)


def _holder(path: Path) -> str:
    """Who holds the lock, as the file says: 进程 1234，12-03 18:40 起."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            lines = fh.read(256).split("\n")
    except OSError:
        lines = []
    pid = lines[0].strip() if lines else ""
    since = lines[1].strip() if len(lines) > 1 else ""
    if not pid.isdigit():
        return "进程未知"
    return f"进程 {pid}，{since} 起" if since else f"进程 {pid}"


@dataclass
class Owner:
    """A held lock on one database; `release` (or leaving the `with`) gives it up."""

    db_path: Path
    fd: int | None

    def release(self) -> None:
        """Give the lock up (the file stays; only the OS lock goes)."""
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        if _held.get(_key(self.db_path)) is self:
            del _held[_key(self.db_path)]
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> Owner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class AlreadyOpen(StorageError):
    """Another program of the clinic's already holds this database; `holder` says which."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


def hold(db_path: Path | str) -> Owner:
    """Hold the database for this process; AlreadyOpen if another process holds it."""
    key = _key(db_path)
    mine = _held.get(key)
    if mine is not None and mine.fd is not None:
        return mine
    path = lock_path(key)
    fd = _open(path)
    for attempt in range(_TRIES):      # another process's `held_by_other` holds it for an instant
        if _try_lock(fd):
            break
        if attempt == _TRIES - 1:
            os.close(fd)
            who = _holder(path)
            raise AlreadyOpen(f"村医程序已经打开了这个数据库（{who}）：{key}", who)
        time.sleep(0.1)
    try:
        stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n{stamp}\n".encode())
    except OSError:
        pass                      # the lock is what counts; the text is only for the message
    owner = Owner(key, fd)
    _held[key] = owner
    return owner


def held_by_other(db_path: Path | str) -> str | None:
    """Who else holds the database (进程 1234，… 起), or None: free, or held by this process."""
    key = _key(db_path)
    if key in _held:
        return None
    path = lock_path(key)
    if not path.exists():
        return None
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return _holder(path)
    finally:
        os.close(fd)


def refuse_if_held(db_path: Path | str, doing: str) -> None:
    """Raise (one line) when another process holds the database: `doing` is what would happen."""
    who = held_by_other(db_path)
    if who is not None:
        raise AlreadyOpen(f"村医程序正在使用这个数据库（{who}），请先关闭它再{doing}", who)
