"""The key file beside an encrypted clinic database: the secret wrapped once per user.

`cunyi.sqlite3.keys` is JSON, written atomically and readable by its owner only. It holds what
signing in needs before the database can be read: the clinic's name, who may sign in (user id
and name, each with the secret sealed under their password), and the count of wrong passwords,
which cannot go into a database nobody has unlocked yet. It holds nothing secret in clear.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import StorageError
from app.core.keys import Wrap, key_id, unwrap, wrap

FORMAT = "cunyi-keys"
VERSION = 1


def keyring_path(database: Path | str) -> Path:
    """Where the key file of `database` lives: beside it, named after it."""
    p = Path(database)
    return p.with_name(p.name + ".keys")


@dataclass
class Entry:
    """One user who can unlock the database, with their wrong-password count."""

    username: str
    wrap: Wrap
    failures: int = 0
    last_failed_at: str | None = None


@dataclass
class Keyring:
    """The content of a key file."""

    key_id: str
    clinic_name: str = ""
    division_name: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)     # by user id
    unknown_tries: int = 0          # sign-ins with a user name nobody has, since the last sign-in

    def by_name(self, username: str) -> tuple[str, Entry] | None:
        for uid, entry in self.entries.items():
            if entry.username == username:
                return uid, entry
        return None

    def usernames(self) -> list[str]:
        return sorted(e.username for e in self.entries.values())

    def unlock(self, username: str, password: str) -> bytes | None:
        """The secret, if `password` is `username`'s (and it belongs to this key file)."""
        found = self.by_name(username)
        if found is None:
            return None
        secret = unwrap(found[1].wrap, password)
        if secret is None or key_id(secret) != self.key_id:
            return None
        return secret

    def set_user(self, secret: bytes, user_id: str, username: str, password: str) -> None:
        """Let `user_id` unlock with `password` (a new user, or a new password)."""
        self.entries[user_id] = Entry(username=username, wrap=wrap(secret, password, user_id))

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "version": VERSION, "key_id": self.key_id,
            "clinic_name": self.clinic_name, "division_name": self.division_name,
            "unknown_tries": self.unknown_tries,
            "users": [{"username": e.username, "failures": e.failures,
                       "last_failed_at": e.last_failed_at, **e.wrap.as_dict()}
                      for e in self.entries.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Keyring:
        if data.get("format") != FORMAT or int(data.get("version", 0)) > VERSION:
            raise ValueError("not a key file of this version")
        ring = cls(key_id=str(data["key_id"]), clinic_name=str(data.get("clinic_name", "")),
                   division_name=str(data.get("division_name", "")),
                   unknown_tries=int(data.get("unknown_tries", 0)))
        for u in data.get("users", []):
            w = Wrap.from_dict(u)
            ring.entries[w.user_id] = Entry(username=str(u["username"]), wrap=w,
                                            failures=int(u.get("failures", 0)),
                                            last_failed_at=u.get("last_failed_at"))
        return ring


def new_keyring(secret: bytes, *, clinic_name: str = "", division_name: str = "") -> Keyring:
    return Keyring(key_id=key_id(secret), clinic_name=clinic_name, division_name=division_name)


def load(database: Path | str) -> Keyring | None:
    """The key file of `database`; None when there is none (a plain or a brand-new database)."""
    path = keyring_path(database)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"无法读取密钥文件 {path}：{exc.strerror}") from exc
    try:
        return Keyring.from_dict(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        raise StorageError(f"密钥文件 {path.name} 已损坏；可用恢复密钥重新设置密码"
                           "（cunyi keys recover）") from exc


def save(database: Path | str, ring: Keyring) -> Path:
    """Write the key file atomically (a crash leaves the old one or the new one), owner-only."""
    path = keyring_path(database)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = json.dumps(ring.as_dict(), ensure_ascii=False, indent=1).encode("utf-8")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageError(f"无法写入密钥文件 {path}：{exc.strerror}") from exc
    return path


_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def _lock(fd: int) -> None:
    """Wait for the exclusive lock on `fd` (another process may be saving the key file)."""
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)      # retries for about 10 s, then OSError
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX)


@contextlib.contextmanager
def editing(database: Path | str,
            new: Callable[[], Keyring] | None = None) -> Iterator[Keyring | None]:
    """Read, change and save the key file with no other process doing so in between.

    Two programs on the PC (the app adding a user, a script counting a wrong password) would
    otherwise each save what they read, and one of them would drop the other's change.
    With no key file, `new` makes one (None: the caller gets None). Saved when changed, unless
    an error left the block.
    """
    path = keyring_path(database)
    try:
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        if exc.errno not in _READ_ONLY:
            raise StorageError(f"无法写入密钥文件 {path}：{exc.strerror}") from exc
        # A folder nobody may write (a write-protected stick, a read-only share): the key file
        # can still be read to sign in; nothing can be counted or saved there.
        yield load(database)
        return
    try:
        _lock(fd)
        ring = load(database)
        before = ring.as_dict() if ring is not None else None
        if ring is None and new is not None:
            ring = new()
        yield ring
        if ring is not None and ring.as_dict() != before:   # unchanged: nothing written
            save(database, ring)
    finally:
        os.close(fd)                  # closing releases the lock


def now_text(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")
