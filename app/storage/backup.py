"""Backups with SQLite's online backup API: on start, daily, on demand; rotated; restorable.

A backup is a complete, consistent copy taken while the database is open. Restoring one gives
the database a new instance id, so the counters of the restored copy are never reused for
different changes (the county would otherwise take them for duplicates). The new id, the binding
to this PC and the replaced file's number floors are written into the copy before it is renamed
over the live file, whose committed -wal is folded in first and never deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import DatabaseDamagedError, StorageError
from app.storage import backup_policy as policy
from app.storage import device, numbers, record_numbers
from app.storage.db import DEVICE_SCHEMA, connect, schema_version
from app.storage.engine import KeyedConnection, open_file, sqlite3, unlocked_secrets
from app.storage.keyring import keyring_path
from app.storage.migrations import LATEST_VERSION
from app.storage.outputs import io_failure
from app.storage.owner import refuse_if_held

KEEP = 7                        # newest backups always kept; older ones by the ladder in backup_policy
DAILY = dt.timedelta(days=1)
_NAME = re.compile(r"^cunyi-(\d{8}-\d{6})-(\w+?)(?:\.ok|\.damaged)?\.sqlite3$")
SIDECARS = ("-wal", "-shm")
STALE_PARTIAL = dt.timedelta(hours=1)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    size_bytes: int
    reason: str
    verified: bool | None = None   # quick_check result recorded beside it (None: never checked)


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")


def _sidecars(path: Path) -> list[Path]:
    """The -wal and -shm files SQLite keeps beside a database file in WAL mode."""
    return [path.with_name(path.name + suffix) for suffix in SIDECARS]


def _new_path(folder: Path, reason: str) -> Path:
    """A verified backup's file name in `folder` that is not taken yet (see backup_policy)."""
    stamp = _stamp(dt.datetime.now(dt.UTC))
    path = folder / f"cunyi-{stamp}-{reason}.ok.sqlite3"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"cunyi-{stamp}-{reason}{n}.ok.sqlite3"
    return path


def _copy(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy a database into one self-contained file: rollback-journal mode, nothing beside it.

    The copy is encrypted under the source's key (a plain source gives a plain copy).
    The online backup copies the source's WAL flag too; a WAL-mode copy grows -wal and -shm
    files beside it whenever something opens it, so the copy is switched back to DELETE mode.
    """
    target = open_file(target_path, new_key=getattr(source, "secret", None))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    for extra in _sidecars(target_path):
        extra.unlink(missing_ok=True)


def keep_key_file(database: Path, backup: Path) -> None:
    """Put a copy of the database's key file beside its backup (`<backup>.keys`), if it has one.

    The backup then opens with the passwords of its day even after the key file has changed or
    is gone (a PC replaced, a database replaced by demo data); without it, the recovery key does.
    """
    source = keyring_path(database)
    if not source.exists():
        return
    target = keyring_path(backup)
    tmp = target.with_name(target.name + ".partial")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, source.read_bytes())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_failed(backup.parent, exc) from exc


def _write_failed(folder: Path, exc: BaseException) -> StorageError:
    why = io_failure(exc) or str(exc)
    return StorageError(f"无法在 {folder} 写入备份：{why}；数据库没有改动")


def _writable_folder(folder: Path | str) -> Path:
    """The backup folder, made if missing; a read-only place or a full disk as a StorageError."""
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_failed(out, exc) from exc
    return out


def _copy_whole(source: sqlite3.Connection, path: Path, *, verify: bool = False) -> None:
    """Copy into `path` through a .partial file: a failed or interrupted copy leaves no file behind.

    With `verify`, the copy must pass quick_check before it takes its name (a bad copy is dropped).
    """
    tmp = path.with_suffix(".partial")
    try:
        _copy(source, tmp)
        problem = policy.check_file(tmp) if verify else ""
        if problem:
            raise DatabaseDamagedError(f"备份副本没有通过检查（{problem}），已丢弃；现有备份未动")
        tmp.replace(path)
    except (OSError, sqlite3.Error) as exc:
        raise _write_failed(path.parent, exc) from exc
    finally:
        for p in (tmp, *_sidecars(tmp)):
            with contextlib.suppress(OSError):
                p.unlink(missing_ok=True)


def _settle(path: Path) -> None:
    """Fold a backup's stray -wal into it and leave it as one self-contained file (best effort).

    Backups made by older versions stayed in WAL mode, and reading them left -wal/-shm files
    behind. A write-protected file (a locked USB stick) is left as it is and read as immutable.
    """
    with path.open("rb") as fh:
        header = fh.read(20)
    in_wal = len(header) == 20 and header[18] == 2
    if not in_wal and not any(p.exists() for p in _sidecars(path)):
        return
    try:
        conn = open_file(path)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
    except (sqlite3.Error, StorageError):
        return
    for extra in _sidecars(path):
        extra.unlink(missing_ok=True)


def _read_only(path: Path) -> KeyedConnection:
    """Open a backup for reading without creating anything beside it."""
    _settle(path)
    return open_file(path, immutable=True)


def _owner(name: str) -> str:
    """The backup a -wal, -shm or .keys file belongs to by its name ("" for any other file)."""
    for suffix in (*SIDECARS, ".keys"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return ""


def _stale(path: Path) -> bool:
    """An unfinished copy nobody is still writing (another process may be backing up now)."""
    age = dt.datetime.now().timestamp() - path.stat().st_mtime
    return age > STALE_PARTIAL.total_seconds()


def _unfinished(name: str) -> bool:
    """An interrupted copy's file: `cunyi-….partial`, or the journal SQLite kept beside it."""
    return name.startswith("cunyi-") and any(
        name.endswith(".partial" + extra) for extra in ("", "-journal", *SIDECARS))


def tidy(folder: Path | str) -> list[Path]:
    """Leave only whole backup files in `folder`: settle WAL-mode ones, drop orphaned -wal/-shm."""
    base = Path(folder)
    removed: list[Path] = []
    if not base.is_dir():
        return removed
    for p in sorted(base.iterdir()):
        if _NAME.match(p.name):
            _settle(p)
        elif (owner := _owner(p.name)) and _NAME.match(owner):
            if not p.with_name(owner).exists():
                p.unlink(missing_ok=True)
                removed.append(p)
        elif _unfinished(p.name) and _stale(p):
            p.unlink(missing_ok=True)          # left by a backup that was interrupted
            removed.append(p)
    return removed


def restore_hint(folder: Path | str) -> str:
    """How to put a damaged database right: the newest good backup in `folder` and the command."""
    good = policy.newest_good(list_backups(folder))
    if good is None:
        return f"{folder} 中没有完好的备份"
    return f"最新的完好备份是 {good}，可用 cunyi restore \"{good}\" --yes 恢复"


def damaged_message(problem: str, folder: Path | str) -> str:
    """One line: the database is damaged, and the newest good backup to restore it from."""
    return f"数据库已损坏（{problem}），没有做备份；{restore_hint(folder)}"


def make_backup(ws: object, folder: Path | str, *, reason: str = "manual", keep: int = KEEP) -> Path:
    """Copy the open workspace's database into `folder` if it and the copy pass quick_check; rotate.

    A damaged database is refused (DatabaseDamagedError), so it never pushes good backups out.
    """
    conn: sqlite3.Connection = ws.conn  # type: ignore[attr-defined]
    out = _writable_folder(folder)
    problem = policy.quick_check(conn)
    if problem:
        raise DatabaseDamagedError(damaged_message(problem, out))
    path = _new_path(out, reason)
    _copy_whole(conn, path, verify=True)
    keep_key_file(ws.path, path)  # type: ignore[attr-defined]
    rotate(out, keep=keep)
    tidy(out)
    return path


def backup_info(path: Path | str) -> BackupInfo | None:
    """When and why a backup file was made, read from its name (None for another file)."""
    p = Path(path)
    m = _NAME.match(p.name)
    if not m or not p.is_file():
        return None
    created = dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
    reason = re.sub(r"\d+$", "", m.group(2))
    return BackupInfo(path=p, created=created, size_bytes=p.stat().st_size, reason=reason,
                      verified=policy.recorded(p))


def list_backups(folder: Path | str) -> list[BackupInfo]:
    """Backups in a folder, newest first."""
    base = Path(folder)
    if not base.is_dir():
        return []
    out = [info for p in base.iterdir() if (info := backup_info(p)) is not None]
    return sorted(out, key=lambda b: (b.created, b.path.name), reverse=True)


def rotate(folder: Path, *, keep: int = KEEP) -> list[Path]:
    """Remove backups outside the newest `keep` and the day/week/month ladder; never the newest good."""
    removed = []
    policy.newest_good(list_backups(folder))     # checks (and names) unchecked ones first
    backups = list_backups(folder)
    kept = policy.to_keep(backups, keep=keep)
    for info in backups:
        if info.path in kept:
            continue
        for p in (info.path, *_sidecars(info.path), keyring_path(info.path)):
            p.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def backup_if_due(ws: object, folder: Path | str, *, now: dt.datetime | None = None,
                  every: dt.timedelta = DAILY, reason: str = "daily") -> Path | None:
    """The start-up and daily backup: made when the newest backup is older than `every`.

    Also tidies the folder, so files left there by older versions go at the next start.
    """
    now = now or dt.datetime.now(dt.UTC)
    tidy(folder)
    backups = list_backups(folder)
    if backups and now - backups[0].created < every:
        return None
    return make_backup(ws, folder, reason=reason)


def check_backup(path: Path | str) -> int:
    """The schema version of a backup file; StorageError if it is not a usable Cunyi database."""
    p = Path(path)
    if not p.is_file():
        raise StorageError(f"找不到备份文件：{p}")
    with p.open("rb") as fh:
        if len(fh.read(16)) < 16:
            raise StorageError(f"{p.name} 不是数据库备份文件")
    try:
        conn = _read_only(p)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"备份文件无法读取：{p.name}（{exc}）") from exc
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


def _build_restored(target: Path, source_path: Path, issued: numbers.Floors | None = None,
                    answer: tuple[int, str, str] | None = None) -> None:
    """Copy the backup into a new file beside `target`, make it a new instance, rename it over.

    In the copy, in one transaction: a new instance id with its counter at 0, recorded in
    instance_history; the binding to this PC (app.storage.device), so the restored file is not
    taken for a copy from elsewhere; `issued` (the highest numbers the replaced file handed
    out), so the restored file goes on numbering after them; and `answer`, the station the county
    confirmed for the replaced file (it belongs to the installation). A backup from before
    encryption is encrypted under the clinic's key on the way. Only then is the live file's WAL
    folded into it (`_settle_live`, which refuses rather than drop committed writes), numbers
    issued since `issued` was read are carried too, and the copy is renamed over `target` and the
    folder synced. A kill at any moment leaves the old `target` whole (and a stray `.restoring`
    file, removed by the next restore) or the restored one, never a mix and never a lost -wal.
    """
    building = target.with_name(target.name + ".restoring")
    for p in (building, *_sidecars(building)):
        p.unlink(missing_ok=True)
    issued = dict(issued or {})
    source = _read_only(source_path)
    plain_source = source.secret is None
    dest = connect(building, new_key=source.secret)
    try:
        source.backup(dest)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        dest.execute("BEGIN IMMEDIATE")
        device.new_instance(dest, f"restored from {source_path.name}", at=now)
        if schema_version(dest) >= DEVICE_SCHEMA:
            device.bind(dest, at=now)
        if issued:
            numbers.carry(dest, issued)
        record_numbers.carry_confirmation(dest, answer)
        dest.execute("COMMIT")
        dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        source.close()
        dest.close()
    secret = clinic_secret(target)
    if plain_source and secret is not None:
        from app.storage.unlock import encrypt_file

        encrypt_file(building, secret, journal_wal=True)
    since = {k: v for k, v in _settle_live(target).items() if v > issued.get(k, 0)}
    if since:                             # written next to the restore: never issued again
        late = open_file(building)
        try:
            late.execute("BEGIN IMMEDIATE")
            numbers.carry(late, since)
            late.execute("COMMIT")
            late.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            late.close()
    with building.open("rb+") as fh:
        os.fsync(fh.fileno())
    target.with_name(target.name + "-shm").unlink(missing_ok=True)
    os.replace(building, target)
    device.sync_folder(target.parent)
    for p in (*_sidecars(building), target.with_name(target.name + "-wal")):
        if not p.exists() or p.stat().st_size == 0:       # empty: the live -wal, folded in
            p.unlink(missing_ok=True)


def _settle_live(target: Path) -> numbers.Floors:
    """Fold the live file's WAL into it and leave the -wal empty; the numbers it has issued.

    The -wal holds committed writes until a checkpoint copies them into the file; deleting it
    before the rename would lose them if the restore died in between. Whatever cannot be folded
    in (another program is writing) refuses the restore. A -wal without its file (left by a
    file moved aside or deleted) is moved aside too: it must never be read with the new file.
    """
    wal = target.with_name(target.name + "-wal")
    if not target.exists():
        if wal.exists() and wal.stat().st_size > 0:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            wal.replace(wal.with_name(f"{wal.name}.orphaned-{stamp}"))
        return {}
    try:
        conn = open_file(target, timeout=10)
    except (sqlite3.Error, StorageError) as exc:
        if not wal.exists() or wal.stat().st_size == 0:
            return {}                     # nothing to fold in (a damaged file moved aside)
        raise StorageError(f"无法把 {target.name} 的未写入部分（-wal）合并进数据库（{exc}），"
                           "恢复已取消，数据库没有改动") from exc
    try:
        busy = int(conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0])
        floors = numbers.issued(conn)
    except sqlite3.Error as exc:
        raise StorageError(f"无法读取 {target.name}（{exc}），恢复已取消，数据库没有改动") from exc
    finally:
        conn.close()
    if busy or (wal.exists() and wal.stat().st_size > 0):
        raise StorageError(f"{target.name} 正被另一个程序写入，恢复已取消，数据库没有改动；"
                           "请关闭其他村医程序后重试")
    return floors


def _take_key_file(target: Path, source_path: Path) -> None:
    """A backup under another key than the live key file's brings its own key file along."""
    from app.storage import keyring

    theirs = keyring_path(source_path)
    if not theirs.exists():
        return
    ours, ring = keyring.load(target), keyring.load(source_path)
    if ring is not None and (ours is None or ours.key_id != ring.key_id):
        keyring.save(target, ring)


def clinic_secret(database: Path) -> bytes | None:
    """The unlocked secret of the clinic whose key file sits beside `database` (None: plain)."""
    from app.core.keys import key_id
    from app.storage import keyring

    ring = keyring.load(database)
    if ring is None:
        return None
    return next((s for s in unlocked_secrets() if key_id(s) == ring.key_id), None)


def restore_backup(db_path: Path | str, backup_path: Path | str, *, safety_folder: Path | str) -> Path | None:
    """Replace the (closed) database with a backup; returns where the old data went (None if none).

    A usable database is first copied into `safety_folder`; a damaged one, or one from a newer
    version, is moved aside beside it (`cunyi.sqlite3.damaged-<time>`), never deleted; a missing
    one is simply restored. The restored database gets a new instance id and its counter starts
    again from zero under that id; the old id is kept in instance_history. It is bound to this PC
    and never hands out a 档案号 or contract number the replaced file had issued. See
    `_build_restored` for what a kill at any moment leaves.
    """
    target = Path(db_path)
    source_path = Path(backup_path)
    refuse_if_held(target, "恢复备份")          # another app has it open (this process may)
    check_backup(source_path)
    state, _detail = policy.database_state(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    safety: Path | None = None
    issued: numbers.Floors = {}
    answer: tuple[int, str, str] | None = None
    if state == "ok":
        safety_dir = _writable_folder(safety_folder)
        safety = _new_path(safety_dir, "before_restore")
        current = connect(target)
        try:
            _copy_whole(current, safety)
            issued = numbers.issued(current)
            answer = record_numbers.confirmation(current)
            current.execute("PRAGMA wal_checkpoint(TRUNCATE)")   # the -wal folded in, now
        finally:
            current.close()
        keep_key_file(target, safety)
    elif state != "missing":
        safety = policy.move_aside(target, state)
    _build_restored(target, source_path, issued, answer)
    _take_key_file(target, source_path)
    tidy(source_path.parent)
    if safety is not None:
        tidy(safety.parent)
    return safety
