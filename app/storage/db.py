"""Opening a clinic database: pragmas, schema version check, claiming it for this PC, transactions."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import sqlite_utils

from app.core.errors import StorageError
from app.storage.engine import PLAIN_HEADER, LockedError, open_file, sqlite3, unlocked_any
from app.storage.keyring import keyring_path
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.outputs import io_failure

_savepoints = itertools.count(1)
DEVICE_SCHEMA = 13          # the migration that added `instance_device` (see app.storage.device)


def connect(path: Path | str, *, new_key: bytes | None = None) -> sqlite3.Connection:
    """A connection with the pragmas every clinic database is used with.

    An encrypted file opens with the clinic key this process has unlocked; a new file is made
    under `new_key` (plain when None) and readable by its owner only.
    """
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    else:
        conn = open_file(path, new_key=new_key, isolation_level=None, check_same_thread=False,
                         timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal" and str(path) != ":memory:":
        conn.close()
        raise StorageError(f"无法以WAL模式打开数据库：{path}")
    conn.execute("PRAGMA synchronous = NORMAL")
    # 128 MiB of page cache: on an encrypted file every page read again is decrypted again, and
    # the task list reads more pages than the default 8 MiB holds (×1.9 the plain time; ×1.1 so).
    conn.execute("PRAGMA cache_size = -131072")
    return conn


def connect_read_only(path: Path | str) -> sqlite3.Connection:
    """A second connection that cannot write (`cunyi sql`): opened read-only, queries only."""
    conn = open_file(path, read_only=True, isolation_level=None, check_same_thread=False,
                     timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = 1")
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def open_database(path: Path | str, *, create: bool = False, new_key: bytes | None = None,
                  claim: bool = True) -> sqlite_utils.Database:
    """Open (and if asked, create) a clinic database for writing, bringing its schema up to date.

    A file written by a newer version of Cunyi is refused and left untouched. Before anything is
    written, the file is claimed for this PC (`device.claim`): a copy made on another PC takes a
    new instance id, and apply mode left on by a crash is turned off. `claim=False` is for a
    caller that only reads the rows (`cunyi sql`) and writes no tracked row.
    """
    p = Path(path)
    if not create and not p.exists():
        raise StorageError(f"找不到数据库文件：{p}")
    if p.exists() and p.stat().st_size > 0:
        with p.open("rb") as fh:
            head = fh.read(16)
        if head != PLAIN_HEADER and (len(head) < 16 or not (keyring_path(p).exists() or unlocked_any())):
            raise StorageError(f"{p.name} 不是村医数据库文件（也不是SQLite文件；若是加密的数据库，"
                               f"它旁边的密钥文件 {keyring_path(p).name} 不见了）")
    elif p.exists() and not create:
        # An empty file is what a full disk or a cut-off copy leaves; never build a schema in it.
        raise StorageError(f"数据库文件 {p} 是空的（0 字节），可能是磁盘满或复制中断造成的；"
                           "请从备份恢复（cunyi restore 备份文件），文件未做任何改动")
    p.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = connect(p, new_key=new_key if create else None)
        version = schema_version(conn)
    except LockedError:
        raise
    except sqlite3.DatabaseError as exc:
        if why := io_failure(exc):
            raise StorageError(f"无法打开数据库 {p}：{why}（数据库所在的文件夹须可写入）") from exc
        raise StorageError(f"数据库文件已损坏或无法读取：{p.name}（{exc}）") from exc
    if version > LATEST_VERSION:
        conn.close()
        raise StorageError(
            f"数据库 {p.name} 来自更新版本的村医（数据结构版本 {version}，本程序支持到 "
            f"{LATEST_VERSION}）。请升级村医后再打开，文件未做任何改动。"
        )
    if claim:
        _claim(conn, before=version)
    migrate(conn)
    if claim and version < DEVICE_SCHEMA:
        _claim(conn, before=DEVICE_SCHEMA)
    return sqlite_utils.Database(cast(Any, conn))  # sqlite-utils types the stdlib connection


def _claim(conn: sqlite3.Connection, *, before: int) -> None:
    """Make the file this PC's before anything is written to it (app.storage.device), once its
    schema has the binding table: a copy from another PC takes a new instance id first."""
    if before < DEVICE_SCHEMA:
        return
    from app.storage import device

    try:
        device.claim(conn)
    except OSError as exc:
        conn.close()
        raise StorageError(f"无法在 {device.device_dir()} 保存本机的设备密钥：{io_failure(exc) or exc}"
                           "（该文件夹须可写入）") from exc
    except BaseException:
        conn.close()
        raise


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; nests as a savepoint."""
    if conn.in_transaction:
        name = f"sp_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
