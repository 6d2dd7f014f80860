"""This PC's device key, and the binding of a database's instance to the PC that writes it.

A database's instance id names the counter its tracked writes are stamped with, so two files
writing under one instance id would hand the county the same (instance, counter) pair for
different changes. A copy of the file on a second PC would do exactly that. So each PC keeps a
random device id in a key file in the user's own folder, outside the database and its data
folder (`device.key` in CUNYI_DEVICE_DIR when set, else in `Cunyi-device` in the platform's
local user config folder), made on first use and readable by the user only. The database records which device its instance is bound to
(`instance_device`, schema 13, local and not synced), and every open for writing (`claim`,
called by `db.open_database` before migrations run) compares:

- not bound yet: bind it to this device;
- bound to this device: nothing is written;
- bound to another device: the file is a copy. In one transaction it takes a new instance id
  with its counter at 0 (as a restore does), records it in `instance_history` ("copied from
  another PC"), is bound to this device and the audit log says so; only then is anything else
  written. The original, on its own PC, keeps its id.

Read-only opens (`connect_read_only`, backup checks, `cunyi sql`) never claim. A restored copy is
bound to this PC inside the copy, before it replaces the live file (app.storage.backup).

The same open also turns apply mode off (`local_instance.applying = 0`): it is set and cleared
inside sync's own transaction, so a 1 found on opening was left by a crash and must not let the
guard triggers accept foreign stamps.

A copy of the whole user folder (a cloned disk, a roaming profile) carries the device key along
and is taken for the same PC.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import uuid
from pathlib import Path

import platformdirs

from app.core.ids import uuid7
from app.core.paths import APP_NAME
from app.storage.engine import sqlite3

ENV = "CUNYI_DEVICE_DIR"
KEY_FILE = "device.key"
DEVICE_FOLDER = f"{APP_NAME}-device"
COPIED = "copied from another PC"
SYSTEM = "system"                 # the audit log's name for writes nobody signed in made

KEPT = "kept"                     # bound to this device already (or nothing to bind yet)
BOUND = "bound"                   # bound to this device now, for the first time
RENEWED = "renewed"               # a copy: a new instance id, bound to this device

_KEY = re.compile(r"^[0-9a-f]{32}$")
_known: dict[Path, str] = {}      # key file -> device id, read once per process


def device_dir() -> Path:
    """The folder of the device key: CUNYI_DEVICE_DIR, else `Cunyi-device` in the user's local
    (not roaming) config folder. It is a folder of its own because on Windows and macOS the
    config folder is the data folder (`%LOCALAPPDATA%\\Cunyi`), and copying that folder to a new
    PC, database and all, must not carry the key along."""
    chosen = os.environ.get(ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_config_dir(DEVICE_FOLDER, appauthor=False, roaming=False))


def key_path() -> Path:
    return device_dir() / KEY_FILE


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except FileNotFoundError:
        return None
    return text if _KEY.match(text) else None


def _create(path: Path) -> str:
    """Write a new key beside `path` and give it the name, unless another process was first.

    The key is written whole to a private temporary file first, so the name never holds half a
    key; it takes the name by a hard link (which never replaces an existing file), or where
    links are not available by os.replace when the name is still free.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        try:
            os.write(fd, (uuid.uuid4().hex + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        broken = path.exists() and _read(path) is None
        if broken:                        # empty or garbled (a crash of an older copy): replaced
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass                      # another process made it first: its key counts
            except OSError:
                if not path.exists():
                    os.replace(tmp, path)
        sync_folder(path.parent)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    key = _read(path)
    if key is None:
        raise OSError(f"无法写入本机的设备密钥 {path}")
    return key


def sync_folder(folder: Path) -> None:
    """fsync a directory so a rename in it survives a power cut (a no-op where not supported)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def device_id() -> str:
    """This PC's device id (32 hex digits), from its key file, made on first use."""
    path = key_path()
    known = _known.get(path)
    if known is not None:
        return known
    key = _read(path) or _create(path)
    _known[path] = key
    return key


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _has_binding_table(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'instance_device'").fetchone() is not None


def new_instance(conn: sqlite3.Connection, reason: str, *, at: str | None = None) -> str:
    """Give the file a new instance id, its counter at 0, recorded in instance_history.

    Call inside a transaction. The rows and outbox entries stamped by the old id keep it; the
    next tracked write is stamped (new id, 1), a pair no earlier file has used.
    """
    new_id = uuid7()
    conn.execute("UPDATE local_instance SET instance_id = ?, counter = 0", (new_id,))
    conn.execute("INSERT INTO instance_history (instance_id, started_at, reason) VALUES (?, ?, ?)",
                 (new_id, at or _now(), reason))
    return new_id


def bind(conn: sqlite3.Connection, device: str | None = None, *, at: str | None = None) -> None:
    """Bind the file's current instance to `device` (this PC's by default); inside a transaction."""
    conn.execute(
        "INSERT INTO instance_device (only_row, instance_id, device_id, bound_at)"
        " SELECT 1, instance_id, ?, ? FROM local_instance WHERE true"
        " ON CONFLICT (only_row) DO UPDATE SET instance_id = excluded.instance_id,"
        " device_id = excluded.device_id, bound_at = excluded.bound_at",
        (device or device_id(), at or _now()))


_STATE_SQL = (
    "SELECT l.instance_id, l.applying, d.instance_id, d.device_id"
    " FROM local_instance l LEFT JOIN instance_device d ON d.only_row = 1")


def claim(conn: sqlite3.Connection, device: str | None = None) -> str:
    """Make the file this PC's to write before anything else is written (see the module docs).

    KEPT when the file is this PC's already (one read, nothing written) or has no instance or
    no binding table yet (a new file; one from before schema 13, bound once migrated), BOUND
    when it was bound now, RENEWED when it was a copy and took a new instance id.
    """
    from app.storage import audit
    from app.storage.db import transaction

    if not _has_binding_table(conn):
        return KEPT
    me = device or device_id()
    row = conn.execute(_STATE_SQL).fetchone()
    if row is None or (row[3] == me and row[2] == row[0] and not row[1]):
        return KEPT
    with transaction(conn):
        row = conn.execute(_STATE_SQL).fetchone()   # again, under the write lock
        instance, applying, bound_instance, bound_device = row
        at = _now()
        outcome = KEPT
        if applying:
            conn.execute("UPDATE local_instance SET applying = 0")
            audit.append(conn, at=at, username=SYSTEM, action="apply_mode_off", table=None,
                         row_id=None, detail="打开数据库时发现同步应用模式未关闭（上次同步中断），已关闭")
        if bound_device is None:
            bind(conn, me, at=at)
            outcome = BOUND
        elif bound_device != me:
            new_id = new_instance(conn, COPIED, at=at)
            bind(conn, me, at=at)
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                            " AND name = 'station_confirmation'").fetchone():
                # The county confirmed the station for the PC this file came from, not for this one.
                conn.execute("DELETE FROM station_confirmation")
            audit.append(conn, at=at, username=SYSTEM, action="copied_from_another_pc",
                         table="local_instance", row_id=new_id,
                         detail=f"数据库文件来自另一台电脑（设备 {bound_device[:8]}），"
                                f"实例 {instance} 改为 {new_id}")
            outcome = RENEWED
        elif bound_instance != instance:
            bind(conn, me, at=at)          # the instance changed here (restored): same PC
    return outcome
