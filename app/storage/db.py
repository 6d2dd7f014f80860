"""Opening a clinic database: pragmas, schema version check, transactions."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from app.core.errors import StorageError
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.outputs import io_failure

_savepoints = itertools.count(1)


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection with the pragmas every clinic database is used with."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal" and str(path) != ":memory:":
        conn.close()
        raise StorageError(f"无法以WAL模式打开数据库：{path}")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def connect_read_only(path: Path | str) -> sqlite3.Connection:
    """A second connection that cannot write (`cunyi sql`): opened read-only, queries only."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                           isolation_level=None, check_same_thread=False, timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = 1")
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def open_database(path: Path | str, *, create: bool = False) -> sqlite_utils.Database:
    """Open (and if asked, create) a clinic database, bringing its schema up to date.

    A file written by a newer version of Cunyi is refused and left untouched.
    """
    p = Path(path)
    if not create and not p.exists():
        raise StorageError(f"找不到数据库文件：{p}")
    if p.exists() and p.stat().st_size > 0:
        with p.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise StorageError(f"{p.name} 不是村医数据库文件（也不是SQLite文件）")
    elif p.exists() and not create:
        # An empty file is what a full disk or a cut-off copy leaves; never build a schema in it.
        raise StorageError(f"数据库文件 {p} 是空的（0 字节），可能是磁盘满或复制中断造成的；"
                           "请从备份恢复（cunyi restore 备份文件），文件未做任何改动")
    p.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = connect(p)
        version = schema_version(conn)
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
    migrate(conn)
    return sqlite_utils.Database(conn)


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
