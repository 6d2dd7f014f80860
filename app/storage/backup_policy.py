"""Which backups are good and which are kept: quick_check, the `.check` sidecar, the rotation ladder.

Every backup is checked with `PRAGMA quick_check` right after it is written and the result is
kept in its name: `cunyi-<time>-<reason>.ok.sqlite3`, or `.damaged.sqlite3` for an older
backup found damaged (backups from older versions are checked once, when needed). Rotation keeps
the newest `keep` backups, the newest of each of the last 7 days, 4 ISO weeks and 6 months that
have backups, and never the newest verified-good backup. Restore moves an unusable database
aside (`cunyi.sqlite3.damaged-<time>`) rather than deleting it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from app.core.errors import StorageError
from app.storage.engine import LockedError, is_encrypted, open_file, sqlite3, unlocked_any
from app.storage.migrations import LATEST_VERSION

LADDER = {"day": 7, "week": 4, "month": 6}   # newest backup of each of the last N days/weeks/months


class _Backup(Protocol):
    @property
    def path(self) -> Path: ...
    @property
    def created(self) -> dt.datetime: ...


UNDECRYPTABLE = "有页面无法解密（文件已损坏）"


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None when `PRAGMA quick_check` finds nothing wrong, else its first complaint."""
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    except MemoryError:          # SQLCipher's answer for a page that no longer decrypts
        return UNDECRYPTABLE
    first = str(rows[0][0]) if rows else "no answer"
    if first == "ok":
        return None
    lines = [line for row in rows for line in str(row[0]).splitlines() if not line.startswith("***")]
    text = "; ".join(lines) or first
    return text if len(text) <= 120 else text[:117] + "..."


def marked(path: Path, problem: str | None) -> Path:
    """The name that records a check: `<stem>.ok.sqlite3` or `<stem>.damaged.sqlite3`."""
    stem = path.name.removesuffix(".sqlite3").removesuffix(".ok").removesuffix(".damaged")
    return path.with_name(f"{stem}.{'ok' if problem is None else 'damaged'}.sqlite3")


def record_check(path: Path, problem: str | None) -> Path:
    """Rename a checked backup so its name says the result; the path it has now.

    A backup that cannot be renamed (a write-protected stick) keeps its name and is checked again.
    """
    target = marked(path, problem)
    if target == path:
        return path
    try:
        path.replace(target)
    except OSError:
        return path
    keys = path.with_name(path.name + ".keys")
    if keys.exists():
        with contextlib.suppress(OSError):
            keys.replace(target.with_name(target.name + ".keys"))
    return target


def recorded(path: Path) -> bool | None:
    """True if `path` was verified good, False if found damaged, None if never checked."""
    if path.name.endswith(".ok.sqlite3"):
        return True
    return False if path.name.endswith(".damaged.sqlite3") else None


def check_file(path: Path) -> str | None:
    """quick_check a closed database file read-only, creating nothing beside it."""
    try:
        conn = open_file(path, immutable=True)
    except (sqlite3.Error, LockedError) as exc:
        return str(exc)
    try:
        return quick_check(conn)
    finally:
        conn.close()


def newest_good(backups: Sequence[_Backup]) -> Path | None:
    """The newest verified-good backup of a list sorted newest first (unchecked ones are checked)."""
    for b in backups:
        known = recorded(b.path)
        if known is None:
            if is_encrypted(b.path) and not unlocked_any():
                continue                 # cannot be checked before someone signs in: left unnamed
            problem = check_file(b.path)
            path = record_check(b.path, problem)
            known = problem is None
        else:
            path = b.path
        if known:
            return path
    return None


def _buckets(created: dt.datetime) -> dict[str, tuple[int, ...]]:
    local = created.astimezone(dt.UTC)
    iso = local.isocalendar()
    return {"day": (local.year, local.month, local.day), "week": (iso.year, iso.week),
            "month": (local.year, local.month)}


def to_keep(backups: Sequence[_Backup], *, keep: int) -> set[Path]:
    """The backups rotation keeps (list sorted newest first): see the module docstring."""
    kept = {b.path for b in backups[:keep]}
    for kind, count in LADDER.items():
        seen: list[tuple[int, ...]] = []
        for b in backups:
            bucket = _buckets(b.created)[kind]
            if bucket in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(bucket)
            if recorded(b.path) is not False:
                kept.add(b.path)
    good = next((b.path for b in backups if recorded(b.path)), None)
    if good is not None:
        kept.add(good)
    return kept


def database_state(path: Path) -> tuple[str, str]:
    """("missing" | "damaged" | "newer" | "ok" | "locked", detail) for the clinic database at `path`.

    "locked": encrypted, and nobody has signed in yet, so whether it is whole cannot be known.
    """
    if not path.exists():
        return "missing", ""
    with path.open("rb") as fh:
        header = fh.read(16)
    if len(header) < 16:
        return "damaged", "not a SQLite file"
    try:
        conn = open_file(path, timeout=10)
    except LockedError as exc:
        return ("damaged" if unlocked_any() else "locked"), str(exc)
    except sqlite3.Error as exc:
        return "damaged", str(exc)
    try:
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except MemoryError:
            return "damaged", UNDECRYPTABLE
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                raise StorageError(f"无法读取数据库 {path}：{exc}") from exc
            return "damaged", str(exc)
        if version > LATEST_VERSION:
            return "newer", f"schema {version}"
        problem = quick_check(conn)
        return ("damaged", problem) if problem else ("ok", "")
    finally:
        conn.close()


def is_corruption(exc: sqlite3.Error) -> bool:
    """An error that means the file is damaged, not that it cannot be reached (read-only, locked)."""
    text = str(exc).lower()
    return not isinstance(exc, sqlite3.OperationalError) or "malformed" in text or "not a database" in text


def move_aside(path: Path, state: str) -> Path:
    """Rename an unusable database (with its -wal/-shm) to `<name>.<state>-<time>`; never delete."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.{state}-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.{state}-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.replace(aside.with_name(aside.name + suffix))
    path.replace(aside)
    return aside


def _origin(conn: sqlite3.Connection) -> tuple[str, set[str]]:
    """A database's clinic code and every instance id of its lineage."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'division_code'").fetchone()
    ids = {str(r[0]) for r in conn.execute("SELECT instance_id FROM instance_history")}
    return (str(row[0]) if row else ""), ids


def _origin_of(path: Path, *, read_only: bool) -> tuple[str, set[str]] | None:
    try:
        conn = open_file(path, read_only=True, immutable=read_only, timeout=10)
        try:
            return _origin(conn)
        finally:
            conn.close()
    except (sqlite3.Error, LockedError):
        return None


def foreign_backup(db_path: Path, backup_path: Path) -> str | None:
    """Why `backup_path` looks like another clinic's data (None if it is ours or we cannot tell)."""
    if not db_path.exists():
        return None
    ours = _origin_of(db_path, read_only=False)
    theirs = _origin_of(backup_path, read_only=True)
    if ours is None or theirs is None:
        return None
    if ours[0] and theirs[0] and ours[0] != theirs[0]:
        return f"备份的区划代码是 {theirs[0]}，本卫生室是 {ours[0]}"
    if ours[1] and theirs[1] and not ours[1] & theirs[1]:
        return "备份与本卫生室的数据库不是同一来源（实例编号没有交集）"
    return None
