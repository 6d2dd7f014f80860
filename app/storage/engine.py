"""The SQLite engine every clinic database is opened with: SQLCipher's build of SQLite.

`sqlcipher3` is a DB-API module shaped like the standard `sqlite3`, with its own connection,
row and exception classes. Every module that touches a clinic database imports `sqlite3` from
here, so a connection, a Row and an `except sqlite3.Error` always come from the same engine.

Clinic files are encrypted. Signing in unlocks the clinic's key for this process (`remember`);
`open_file` then opens any of the clinic's files (the database, a backup, a bundle) with it,
and a plain file as it is. Each connection knows its key, so a copy is made under the same one.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from sqlcipher3 import dbapi2 as sqlite3

from app.core.errors import StorageError
from app.core.keys import database_key

__all__ = ["KeyedConnection", "LockedError", "is_encrypted", "open_file", "remember", "sqlite3"]

PLAIN_HEADER = b"SQLite format 3\x00"
_secrets: list[bytes] = []     # clinic secrets unlocked in this process, the newest first
_REMEMBERED = 16


class LockedError(StorageError):
    """An encrypted clinic file and no key of this process opens it: sign in first."""


class KeyedConnection(sqlite3.Connection):
    """A connection that remembers the clinic secret it was opened with (None: a plain file)."""

    secret: bytes | None = None


def remember(secret: bytes) -> None:
    """Keep the clinic secret for the files this process opens next."""
    if secret in _secrets:
        _secrets.remove(secret)
    _secrets.insert(0, secret)
    del _secrets[_REMEMBERED:]


def forget_all() -> None:
    """Drop every unlocked secret (tests; a sign-out)."""
    _secrets.clear()


def unlocked_any() -> bool:
    """Whether this process has unlocked any clinic's key (someone signed in)."""
    return bool(_secrets)


def unlocked_secrets() -> list[bytes]:
    """The clinic secrets unlocked in this process, the newest first."""
    return list(_secrets)


def is_encrypted(path: Path) -> bool:
    """A file with content that is not plain SQLite (an encrypted file, or not a database at all)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        return False
    return len(head) > 0 and head != PLAIN_HEADER


def create_private(path: Path) -> None:
    """Make an empty file readable by its owner only, so SQLite's -wal and -shm follow (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _raw(path: Path, *, read_only: bool, immutable: bool, kwargs: dict[str, Any]) -> KeyedConnection:
    if read_only or immutable:
        query = "mode=ro" + ("&immutable=1" if immutable else "")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True,
                               factory=KeyedConnection, **kwargs)
    else:
        conn = sqlite3.connect(str(path), factory=KeyedConnection, **kwargs)
    conn.execute("PRAGMA cipher_log_level = NONE")    # a wrong key is an answer, not a log line
    return cast(KeyedConnection, conn)


def _key(conn: KeyedConnection, secret: bytes) -> None:
    conn.execute(f'PRAGMA key = "{database_key(secret)}"')
    conn.secret = secret


def _keyed(raw: Callable[[], KeyedConnection], secret: bytes) -> KeyedConnection | None:
    conn = raw()
    _key(conn, secret)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        conn.close()
        return None
    return conn


def open_file(path: Path | str, *, secret: bytes | None = None, new_key: bytes | None = None,
              read_only: bool = False, immutable: bool = False, **kwargs: Any) -> KeyedConnection:
    """Open a clinic file: a plain one as it is, an encrypted one with `secret` or an unlocked one.

    A missing or empty file is made under the secret `new_key` (None: a plain file), readable by
    its owner only. An encrypted file no key opens raises LockedError; nothing is written to it.
    """
    p = Path(path)
    raw = functools.partial(_raw, p, read_only=read_only, immutable=immutable, kwargs=kwargs)
    if not p.exists() or p.stat().st_size == 0:
        if not read_only and not p.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
            create_private(p)
        conn = raw()
        if new_key is not None:
            _key(conn, new_key)
        return conn
    if not is_encrypted(p):
        return raw()
    candidates = [secret] if secret is not None else list(_secrets)
    for candidate in candidates:
        keyed = _keyed(raw, candidate)
        if keyed is not None:
            return keyed
    if candidates:
        raise LockedError(f"无法用本卫生室的密钥打开 {p.name}：文件已损坏，或属于另一个卫生室")
    raise LockedError(f"{p.name} 已加密，需用本卫生室用户的密码登录（或恢复密钥）后才能打开")
