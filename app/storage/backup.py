"""Backups with SQLite's online backup API: on start, daily, on demand; rotated; restorable.

A backup is a complete, consistent copy taken while the database is open. Restoring one gives
the database a new instance id, so the counters of the restored copy are never reused for
different changes (the county would otherwise take them for duplicates).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import StorageError
from app.core.ids import uuid7
from app.storage.db import connect, schema_version
from app.storage.migrations import LATEST_VERSION

KEEP = 14                       # backups kept in rotation
DAILY = dt.timedelta(days=1)
_NAME = re.compile(r"^cunyi-(\d{8}-\d{6})-(\w+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    size_bytes: int
    reason: str


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")


def _copy(source: sqlite3.Connection, target_path: Path) -> None:
    target = sqlite3.connect(str(target_path))
    try:
        source.backup(target)
    finally:
        target.close()


def make_backup(ws: object, folder: Path | str, *, reason: str = "manual", keep: int = KEEP) -> Path:
    """Copy the open workspace's database into `folder`, then drop the oldest beyond `keep`."""
    conn: sqlite3.Connection = ws.conn  # type: ignore[attr-defined]
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    path = out / f"cunyi-{_stamp(now)}-{reason}.sqlite3"
    n = 1
    while path.exists():
        n += 1
        path = out / f"cunyi-{_stamp(now)}-{reason}{n}.sqlite3"
    tmp = path.with_suffix(".partial")
    _copy(conn, tmp)
    tmp.replace(path)
    rotate(out, keep=keep)
    return path


def list_backups(folder: Path | str) -> list[BackupInfo]:
    """Backups in a folder, newest first."""
    out = []
    base = Path(folder)
    if not base.is_dir():
        return []
    for p in base.iterdir():
        m = _NAME.match(p.name)
        if not m:
            continue
        created = dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
        reason = re.sub(r"\d+$", "", m.group(2))
        out.append(BackupInfo(path=p, created=created, size_bytes=p.stat().st_size, reason=reason))
    return sorted(out, key=lambda b: (b.created, b.path.name), reverse=True)


def rotate(folder: Path, *, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest `keep` automatic backups; manual and safety copies count too."""
    removed = []
    for info in list_backups(folder)[keep:]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def backup_if_due(ws: object, folder: Path | str, *, now: dt.datetime | None = None,
                  every: dt.timedelta = DAILY) -> Path | None:
    """The start-up and daily backup: made when the newest backup is older than `every`."""
    now = now or dt.datetime.now(dt.UTC)
    backups = list_backups(folder)
    if backups and now - backups[0].created < every:
        return None
    return make_backup(ws, folder, reason="daily")


def check_backup(path: Path | str) -> int:
    """The schema version of a backup file; StorageError if it is not a usable Cunyi database."""
    p = Path(path)
    if not p.is_file():
        raise StorageError(f"找不到备份文件：{p}")
    with p.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise StorageError(f"{p.name} 不是数据库备份文件")
    conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    try:
        version = schema_version(conn)
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        has_instance = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'local_instance'"
        ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"备份文件已损坏：{p.name}（{exc}）") from exc
    finally:
        conn.close()
    if ok != "ok" or not has_instance:
        raise StorageError(f"备份文件已损坏或不是村医数据库：{p.name}")
    if version > LATEST_VERSION:
        raise StorageError(f"备份 {p.name} 来自更新版本的村医，请先升级")
    return version


def restore_backup(db_path: Path | str, backup_path: Path | str, *, safety_folder: Path | str) -> Path:
    """Replace the (closed) database with a backup; returns the safety copy made first.

    The restored database gets a new instance id and its counter starts again from zero under
    that id; the old id is kept in instance_history.
    """
    target = Path(db_path)
    check_backup(backup_path)
    safety_dir = Path(safety_folder)
    safety_dir.mkdir(parents=True, exist_ok=True)
    safety = safety_dir / f"cunyi-{_stamp(dt.datetime.now(dt.UTC))}-before_restore.sqlite3"
    if target.exists():
        current = connect(target)
        try:
            _copy(current, safety)
        finally:
            current.close()
    source = sqlite3.connect(f"file:{Path(backup_path)}?mode=ro", uri=True)
    dest = connect(target)
    try:
        source.backup(dest)
        new_id = uuid7()
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        dest.execute("BEGIN IMMEDIATE")
        dest.execute("UPDATE local_instance SET instance_id = ?, counter = 0", (new_id,))
        dest.execute(
            "INSERT INTO instance_history (instance_id, started_at, reason) VALUES (?, ?, ?)",
            (new_id, now, f"restored from {Path(backup_path).name}"),
        )
        dest.execute("COMMIT")
    finally:
        source.close()
        dest.close()
    return safety
