"""The demo database's file: built under a temporary name, renamed when whole; the old one kept.

A killed `cunyi demo` leaves at most `<name>.demo-building` (removed by the next run), never a
half-filled database under the real name. `--force` refuses while another process has the
database open, and backs the old database up (or moves a damaged one aside) before replacing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.core.errors import StorageError
from app.storage import backup_policy
from app.storage.engine import LockedError, open_file, sqlite3
from app.storage.keyring import keyring_path
from app.storage.owner import refuse_if_held

SIDECARS = ("-wal", "-shm", "-journal")


def building_path(final: Path) -> Path:
    """Where the demo database is built before it is renamed into place."""
    return final.with_name(final.name + ".demo-building")


def discard(path: Path) -> None:
    """Remove a leftover unfinished build, the files SQLite keeps beside it and its key file."""
    for suffix in ("", *SIDECARS, ".keys"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def in_use(path: Path, *, timeout: float = 0.5) -> bool:
    """Whether another connection has the database open (it holds a lock an exclusive one needs)."""
    if not path.exists():
        return False
    try:
        conn = open_file(path, timeout=timeout, isolation_level=None)
    except LockedError:
        return False              # not ours to open: set_aside keeps it whole, never overwritten
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    except sqlite3.DatabaseError:
        return False              # damaged: nobody can be using it, and it is moved aside whole
    finally:
        conn.close()


def set_aside(path: Path, backups: Path) -> Path:
    """Keep the database `--force` is about to replace: a backup if readable, else moved aside."""
    refuse_if_held(path, "替换为演示数据")      # the app holds it
    if in_use(path):                           # any other program with it open
        raise StorageError(f"{path} 正被另一个村医程序使用；请先关闭它，再替换为演示数据")
    state, _ = backup_policy.database_state(path)
    if state == "ok":
        from app.storage.backup import make_backup
        from app.storage.workspace import Workspace

        try:
            with Workspace.open(path) as ws:
                kept = make_backup(ws, Path(ws.settings.get("backup_dir") or backups), reason="before_demo")
        except StorageError:
            kept = backup_policy.move_aside(path, "replaced")
        return kept
    return backup_policy.move_aside(path, state)


def put_in_place(built: Path, final: Path) -> None:
    """Rename the finished build over `final` (nothing stale of the old file is left beside it)."""
    for suffix in SIDECARS:
        final.with_name(final.name + suffix).unlink(missing_ok=True)
        built.with_name(built.name + suffix).unlink(missing_ok=True)
    with built.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(built, final)
    # The key file goes after the database: the old database was kept first (set_aside), with
    # a copy of its own key file beside the backup.
    built_keys = keyring_path(built)
    if built_keys.exists():
        os.replace(built_keys, keyring_path(final))
    try:
        fd = os.open(final.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
