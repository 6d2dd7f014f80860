"""Signing in to an encrypted clinic database, keeping its key file in step, converting plain files.

The key file (app.storage.keyring) is read before the database: the password unseals the clinic
secret, and only then is the database opened. Wrong passwords are counted in the key file, since
the database cannot be written before it is unlocked; the next sign-in writes them to the audit log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core import sign_in
from app.core.errors import AuthError, SignInWaitError, StorageError
from app.core.keys import dummy_unwrap, key_id, new_secret, recovery_key
from app.core.users import User
from app.storage import engine, keyring
from app.storage.engine import create_private, sqlite3
from app.storage.outputs import io_failure

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


def wait_message(wait: sign_in.Wait) -> str:
    if wait.locked:
        minutes = max(1, round(wait.seconds / 60))
        return (f"密码错误次数过多，账号已锁定；请约{minutes}分钟后再试，"
                "或请管理员在 设置 › 用户与角色 中解除锁定")
    return f"密码错误次数较多，请等{max(1, round(wait.seconds))}秒后再试"


@dataclass(frozen=True)
class Unsealed:
    """What a right password gives: the secret, whose it is, and the wrong tries before it."""

    secret: bytes
    user_id: str
    wrong_tries: int = 0
    unknown_tries: int = 0


def unseal(database: Path, username: str, password: str, now: dt.datetime) -> Unsealed:
    """The clinic secret for `username`, with their user id and the wrong tries since last time.

    Wrong passwords are counted in the key file and make the next tries wait (SignInWaitError).
    """
    with keyring.editing(database) as ring:
        if ring is None:
            raise StorageError(f"{database.name} 旁边没有密钥文件")
        outcome = _try(ring, username, password, now)
    if isinstance(outcome, AuthError):
        raise outcome
    return outcome


def _try(ring: keyring.Keyring, username: str, password: str,
         now: dt.datetime) -> Unsealed | AuthError:
    """One sign-in against the key file: the secret, or the error to raise once it is saved."""
    found = ring.by_name(username.strip())
    if found is None:
        dummy_unwrap(password)           # as slow as a real check; what was typed is never kept
        ring.unknown_tries += 1
        return AuthError("用户名或密码不对")
    uid, entry = found
    last = dt.datetime.fromisoformat(entry.last_failed_at) if entry.last_failed_at else None
    wait = sign_in.wait_before_try(entry.failures, last, now)
    if wait.seconds > 0:
        return SignInWaitError(wait_message(wait), seconds=wait.seconds, locked=wait.locked)
    secret = ring.unlock(entry.username, password)
    if secret is None:
        entry.failures += 1
        entry.last_failed_at = keyring.now_text(now)
        after = sign_in.wait_before_try(entry.failures, now, now)
        if after.seconds > 0:
            return SignInWaitError("用户名或密码不对；" + wait_message(after),
                                   seconds=after.seconds, locked=after.locked)
        return AuthError("用户名或密码不对")
    unsealed = Unsealed(secret, uid, entry.failures, ring.unknown_tries)
    entry.failures, entry.last_failed_at, ring.unknown_tries = 0, None, 0
    return unsealed


def record_sign_in(ws: Workspace, unsealed: Unsealed) -> User:
    """After the key opened the database: the user must be there and active; audit the sign-in."""
    from app.storage.users import user_from_row

    user_id = unsealed.user_id
    row = ws.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        raise AuthError("该用户不在这个数据库中（可能是从旧备份恢复的），请联系管理员")
    if not row["active"]:
        raise AuthError("该用户已停用，请联系管理员")
    wrong, unknown = unsealed.wrong_tries, unsealed.unknown_tries
    ws.user = row["username"]
    try:
        with ws.transaction():
            if wrong:
                ws.audit("sign_in_failed", table="users", row_id=user_id,
                         detail=f"{row['username']} ×{wrong}（登录前的错误密码）")
            if unknown:
                ws.audit("sign_in_unknown_user", detail=f"×{unknown}")
            ws.audit("sign_in")
    except sqlite3.OperationalError as exc:
        # A database in a read-only place can still be read by whoever knows the password, and
        # one whose audit log was dropped (reported on open) can still be signed in to.
        if not (io_failure(exc) or "audit_log" in str(exc)):
            raise
    return user_from_row(row)


# --- keeping the key file in step with the users ---------------------------------------------


def user_added(ws: Workspace, user_id: str, username: str, password: str) -> None:
    """A new user can unlock the database with their password."""
    secret = ws.secret
    if secret is None:
        return
    with keyring.editing(ws.path, lambda: keyring.new_keyring(
            secret, clinic_name=ws.settings.get("clinic_name"),
            division_name=ws.settings.get("division_name"))) as ring:
        assert ring is not None
        ring.set_user(secret, user_id, username, password)


def user_changed(ws: Workspace, user_id: str, username: str, *, password: str | None,
                 active: bool | None) -> None:
    """A new password re-seals the secret for the user; a disabled user can no longer unlock."""
    secret = ws.secret
    if secret is None or (password is None and active is not False):
        return
    with keyring.editing(ws.path, lambda: keyring.new_keyring(secret)) as ring:
        assert ring is not None
        if active is False:
            ring.entries.pop(user_id, None)
        elif password is not None:
            ring.set_user(secret, user_id, username, password)


def clinic_renamed(ws: Workspace, name: str) -> None:
    """The sign-in dialog shows the clinic's name from the key file: keep it current."""
    if ws.secret is None:
        return
    with keyring.editing(ws.path) as ring:
        if ring is not None:
            ring.clinic_name = name


def failures(ws: Workspace) -> dict[str, tuple[int, str | None]]:
    """Wrong-password counts kept in the key file, by user id."""
    ring = keyring.load(ws.path) if ws.secret is not None else None
    if ring is None:
        return {}
    return {uid: (e.failures, e.last_failed_at) for uid, e in ring.entries.items() if e.failures}


def clear_failures(ws: Workspace, user_id: str) -> None:
    if ws.secret is None:
        return
    with keyring.editing(ws.path) as ring:
        if ring is not None and user_id in ring.entries:
            ring.entries[user_id].failures = 0
            ring.entries[user_id].last_failed_at = None


# --- a plain database becomes an encrypted one ---------------------------------------------


def _export(plain: sqlite3.Connection, target: Path, secret: bytes) -> None:
    """Write an encrypted copy of the open plain database into the new file `target`."""
    create_private(target)
    version = int(plain.execute("PRAGMA user_version").fetchone()[0])
    key = engine.database_key(secret)
    plain.execute(f"ATTACH DATABASE ? AS enc KEY \"{key}\"", (str(target),))
    try:
        plain.execute("SELECT sqlcipher_export('enc')")
        plain.execute(f"PRAGMA enc.user_version = {version}")
    finally:
        plain.execute("DETACH DATABASE enc")


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}


def encrypt_file(path: Path, secret: bytes, *, journal_wal: bool) -> None:
    """Replace the plain SQLite file `path` by an encrypted copy under `secret`, checked first.

    The copy is written beside it and renamed over it only once it has every row; a crash
    leaves the plain file as it was (and a stray `.encrypting` file, removed next time).
    """
    tmp = path.with_name(path.name + ".encrypting")
    tmp.unlink(missing_ok=True)
    plain = sqlite3.connect(str(path), isolation_level=None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _counts(plain)
        _export(plain, tmp, secret)
    finally:
        plain.close()
    check = engine.open_file(tmp, secret=secret)
    try:
        problem = check.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok" or _counts(check) != before:
            raise StorageError(f"加密副本与原数据库不一致（{problem}），原文件未改动")
        if journal_wal:
            check.execute("PRAGMA journal_mode = WAL")
    finally:
        check.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def encrypt_database(ws: Workspace, password: str, user: User) -> tuple[Workspace, str]:
    """Encrypt a plain clinic database in place for the signed-in `user`; (reopened ws, recovery key).

    Other users can sign in again once an administrator (or the recovery key) sets their password.
    Plain backups in the backup folder are encrypted too, so no copy stays readable.
    """
    from app.storage.backup import list_backups
    from app.storage.workspace import Workspace

    path, secret = ws.path, new_secret()
    backup_dir = Path(ws.settings.get("backup_dir") or path.parent / "backups")
    ring = keyring.new_keyring(secret, clinic_name=ws.settings.get("clinic_name"),
                               division_name=ws.settings.get("division_name"))
    ring.set_user(secret, user.id, user.username, password)
    others = [u.username for u in ws.users.list() if u.active and u.id != user.id]
    ws.close()
    # The key file first: a crash after it leaves a plain file beside a key file, which the next
    # sign-in encrypts under that key (Workspace.sign_in); never an encrypted file without one.
    keyring.save(path, ring)
    try:
        encrypt_file(path, secret, journal_wal=True)
    except BaseException:
        keyring.keyring_path(path).unlink(missing_ok=True)
        raise
    engine.remember(secret)
    for info in list_backups(backup_dir):
        if not engine.is_encrypted(info.path):
            with contextlib.suppress(StorageError, sqlite3.Error, OSError):
                encrypt_file(info.path, secret, journal_wal=False)
    opened = Workspace.open(path)
    opened.user = user.username
    with opened.transaction():
        opened.audit("encrypt_database", detail=f"key {key_id(secret)}; 待重设密码：{'、'.join(others)}")
    return opened, recovery_key(secret)


# --- the recovery key ---------------------------------------------------------------------


def recover(database: Path, recovery_text: str, username: str, new_password: str) -> Workspace:
    """Open the database with the recovery key and give `username` a new password.

    For when every password is forgotten, or the key file is lost (a new one is written). The
    holder of the recovery key may open everything, so no role is asked; the audit log says so.
    """
    from app.core.keys import parse_recovery_key
    from app.core.users import check_password, hash_password
    from app.storage.workspace import Workspace

    check_password(new_password)
    secret = parse_recovery_key(recovery_text)
    ring = keyring.load(database)
    if ring is not None and ring.key_id != key_id(secret):
        raise AuthError("这个恢复密钥不属于本卫生室的数据库")
    engine.remember(secret)
    try:
        ws = Workspace.open(database)
    except engine.LockedError as exc:
        raise AuthError("这个恢复密钥打不开本卫生室的数据库") from exc
    try:
        row = ws.conn.execute("SELECT * FROM users WHERE username = ?", (username.strip(),)).fetchone()
        if row is None or not row["active"]:
            raise AuthError(f"数据库中没有可登录的用户 {username.strip()}")
        ring = ring or keyring.new_keyring(secret, clinic_name=ws.settings.get("clinic_name"),
                                           division_name=ws.settings.get("division_name"))
        ring.set_user(secret, row["id"], row["username"], new_password)
        ws.user = row["username"]
        with ws.transaction():
            ws.conn.execute("UPDATE users SET password_hash = ? WHERE id = ?",
                            (hash_password(new_password), row["id"]))
            ws.conn.execute("DELETE FROM sign_in_failures WHERE user_id = ?", (row["id"],))
            ws.audit("recover_password", table="users", row_id=row["id"],
                     detail=f"{row['username']}（用恢复密钥）")
            keyring.save(database, ring)
    except BaseException:
        ws.close()
        raise
    return ws
