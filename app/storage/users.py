"""Users on disk: adding and changing them under the role rules, and signing in with a lockout.

Reached as `workspace.users` (`UsersRepo`). The acting user is whoever signed in on the
Workspace (`ws.user`).
Nobody signed in (`SYSTEM_USER`) may do nothing the role rules guard; the one exception is the
first user of a brand-new database (`add_first_user`: `cunyi init`, the first-run wizard, demo data).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from app.core import sign_in
from app.core.errors import (
    AuthError,
    ConflictError,
    NotFoundError,
    SignInWaitError,
    ValidationError,
)
from app.core.ids import uuid7
from app.core.users import (
    ADMIN_ROLES,
    ROLES,
    User,
    check_keeps_an_admin,
    check_may_add_user,
    check_may_change_user,
    check_may_replace_database,
    check_new_user,
    check_password,
    hash_password,
    verify_password,
)
from app.storage import unlock
from app.storage.changes import now_iso
from app.storage.engine import sqlite3
from app.storage.outputs import io_failure

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

SYSTEM_USER = "system"


def user_from_row(r: sqlite3.Row) -> User:
    return User(id=r["id"], username=r["username"], display_name=r["display_name"],
                role=r["role"], active=bool(r["active"]))


def acting_user(ws: Workspace) -> User:
    """The signed-in user the Workspace acts for; AuthError when nobody signed in."""
    if ws.user == SYSTEM_USER:
        raise AuthError("请先以用户身份登录")
    row = ws.conn.execute("SELECT * FROM users WHERE username = ?", (ws.user,)).fetchone()
    if row is None or not row["active"]:
        raise AuthError("当前用户已停用或不存在，请重新登录")
    return user_from_row(row)


def clinic_has_admin(conn: sqlite3.Connection) -> bool:
    marks = ", ".join("?" for _ in ADMIN_ROLES)
    return conn.execute(
        f"SELECT 1 FROM users WHERE active = 1 AND role IN ({marks}) LIMIT 1", sorted(ADMIN_ROLES)
    ).fetchone() is not None


def add_user(ws: Workspace, username: str, display_name: str, role: str, password: str) -> User:
    username, display_name = check_new_user(username, display_name, role, password)
    with ws.transaction():
        actor = acting_user(ws)
        check_may_add_user(actor, role, clinic_has_admin=clinic_has_admin(ws.conn))
        if ws.conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
            raise ConflictError(f"用户名 {username} 已存在", field="username")
        return _insert_user(ws, username, display_name, role, password)


def add_first_user(ws: Workspace, username: str, display_name: str, role: str,
                   password: str) -> User:
    """The first user of a brand-new database (it has no user to sign in as); signs them in."""
    username, display_name = check_new_user(username, display_name, role, password)
    with ws.transaction():
        if ws.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None:
            raise AuthError("数据库已有用户：新增用户须由已登录的用户（管理员）操作")
        ws.user = username
        try:
            return _insert_user(ws, username, display_name, role, password)
        except BaseException:
            ws.user = SYSTEM_USER
            raise


def _insert_user(ws: Workspace, username: str, display_name: str, role: str, password: str) -> User:
    uid = uuid7()
    ws.conn.execute(
        "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at)"
        " VALUES (?, ?, ?, ?, ?, 1, ?)",
        (uid, username, display_name, role, hash_password(password), now_iso()),
    )
    ws.audit("add_user", table="users", row_id=uid, detail=f"{username} {role}")
    unlock.user_added(ws, uid, username, password)    # last: a failure rolls the user back
    return User(id=uid, username=username, display_name=display_name, role=role)


def check_may_replace_data(ws: Workspace) -> User:
    """Refuse restoring a backup over, or replacing, the clinic's data unless the signed-in user may."""
    actor = acting_user(ws)
    check_may_replace_database(actor, clinic_has_admin=clinic_has_admin(ws.conn))
    return actor


def update_user(ws: Workspace, user_id: str, *, role: str | None = None, active: bool | None = None,
                password: str | None = None, display_name: str | None = None) -> None:
    fields: dict[str, Any] = {}
    if role is not None:
        if role not in ROLES:
            raise ValidationError("请选择角色", field="role")
        fields["role"] = role
    if active is not None:
        fields["active"] = int(active)
    if display_name is not None:
        fields["display_name"] = display_name.strip()
    if password is not None:
        check_password(password)
        fields["password_hash"] = hash_password(password)
    if not fields:
        return
    with ws.transaction():
        target = _user(ws, user_id)
        actor = acting_user(ws)
        check_may_change_user(actor, target, role=role, active=active,
                              clinic_has_admin=clinic_has_admin(ws.conn))
        others = ws.conn.execute(
            "SELECT count(*) FROM users WHERE active = 1 AND id != ? AND role IN (?, ?)",
            (user_id, *sorted(ADMIN_ROLES)),
        ).fetchone()[0]
        check_keeps_an_admin(target, role=role, active=active, other_active_admins=int(others))
        if active is False:
            left = ws.conn.execute("SELECT count(*) FROM users WHERE active = 1 AND id != ?",
                                   (user_id,)).fetchone()[0]
            if left == 0:
                raise ConflictError("不能停用最后一个可登录的用户")
        sets = ", ".join(f"{k} = ?" for k in fields)
        ws.conn.execute(f"UPDATE users SET {sets} WHERE id = ?", [*fields.values(), user_id])
        if password is not None:
            ws.conn.execute("DELETE FROM sign_in_failures WHERE user_id = ?", (user_id,))
        ws.audit("update_user", table="users", row_id=user_id, detail=", ".join(sorted(fields)))
        unlock.user_changed(ws, user_id, target.username, password=password, active=active)


def _user(ws: Workspace, user_id: str) -> User:
    """A user by id, or NotFoundError."""
    row = ws.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        raise NotFoundError("找不到该用户")
    return user_from_row(row)


def unlock_user(ws: Workspace, user_id: str) -> None:
    """Lift a sign-in lock (and the count of wrong passwords) for a user one may manage."""
    with ws.transaction():
        target = _user(ws, user_id)
        actor = acting_user(ws)
        if actor.id == target.id:
            raise AuthError("不能为自己解除登录锁定")
        check_may_change_user(actor, target, active=True,
                              clinic_has_admin=clinic_has_admin(ws.conn))
        ws.conn.execute("DELETE FROM sign_in_failures WHERE user_id = ?", (user_id,))
        ws.audit("unlock_user", table="users", row_id=user_id, detail=target.username)
        unlock.clear_failures(ws, user_id)


def locked_users(ws: Workspace, now: dt.datetime) -> set[str]:
    """Ids of users who cannot sign in now for too many wrong passwords."""
    counts: dict[str, tuple[int, str | None]] = {r["user_id"]: (int(r["failures"]), r["last_failed_at"])
              for r in ws.conn.execute("SELECT * FROM sign_in_failures")}
    counts.update(unlock.failures(ws))          # an encrypted database counts in its key file
    return {uid for uid, (failures, at) in counts.items()
            if at and sign_in.wait_before_try(failures, _parse(at), now).locked}


def _parse(at: str) -> dt.datetime:
    return dt.datetime.fromisoformat(at)


_wait_message = unlock.wait_message


def authenticate(ws: Workspace, username: str, password: str, now: dt.datetime) -> User:
    """Check a password; wrong ones count per user, and too many make the next tries wait."""
    name = username.strip()
    row = ws.conn.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchone()
    if row is None:
        # What was typed may be a password typed into the wrong box: never write it down.
        verify_password(_dummy_hash(), password)
        with ws.transaction():
            ws.audit("sign_in_unknown_user")
        raise AuthError("用户名或密码不对")
    failed = ws.conn.execute("SELECT * FROM sign_in_failures WHERE user_id = ?",
                             (row["id"],)).fetchone()
    failures = int(failed["failures"]) if failed else 0
    wait = sign_in.wait_before_try(failures, _parse(failed["last_failed_at"]) if failed else None,
                                   now)
    if wait.seconds > 0:
        raise SignInWaitError(_wait_message(wait), seconds=wait.seconds, locked=wait.locked)
    if not verify_password(row["password_hash"], password):
        failures += 1
        with ws.transaction():
            ws.conn.execute(
                "INSERT INTO sign_in_failures (user_id, failures, last_failed_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET failures = excluded.failures,"
                " last_failed_at = excluded.last_failed_at",
                (row["id"], failures, now.isoformat()),
            )
            ws.audit("sign_in_failed", table="users", row_id=row["id"],
                     detail=f"{row['username']} #{failures}")
            if failures == sign_in.LOCK_AFTER:
                ws.audit("sign_in_locked", table="users", row_id=row["id"], detail=row["username"])
        after = sign_in.wait_before_try(failures, now, now)
        if after.seconds > 0:
            raise SignInWaitError("用户名或密码不对；" + _wait_message(after),
                                  seconds=after.seconds, locked=after.locked)
        raise AuthError("用户名或密码不对")
    if not row["active"]:
        raise AuthError("该用户已停用，请联系管理员")
    ws.user = row["username"]
    try:
        with ws.transaction():
            if failed is not None:
                ws.conn.execute("DELETE FROM sign_in_failures WHERE user_id = ?", (row["id"],))
            ws.audit("sign_in")
    except sqlite3.OperationalError as exc:
        # A database in a read-only place can still be read by whoever knows the password, and
        # one whose audit log was dropped (reported on open) can still be signed in to.
        if not (io_failure(exc) or "audit_log" in str(exc)):
            raise
    return user_from_row(row)


@functools.cache
def _dummy_hash() -> str:
    """A made-up hash: checking it for an unknown name takes as long as a real check."""
    return hash_password("not-a-real-password")


class UsersRepo:
    """The clinic's users as the Workspace reaches them: `workspace.users`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def add(self, username: str, display_name: str, role: str, password: str) -> User:
        """Add a user; a signed-in user may add only roles they may manage (app.core.users)."""
        return add_user(self.ws, username, display_name, role, password)

    def add_first(self, username: str, display_name: str, role: str, password: str) -> User:
        """The first user of a brand-new database (no role rules: nobody exists yet); signs in as them."""
        return add_first_user(self.ws, username, display_name, role, password)

    def check_may_replace_data(self) -> User:
        """Refuse a restore or a replacement of this database unless the signed-in user may."""
        return check_may_replace_data(self.ws)

    def list(self) -> list[User]:
        return [user_from_row(r)
                for r in self.ws.conn.execute("SELECT * FROM users ORDER BY created_at, username")]

    def has_any(self) -> bool:
        return self.ws.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    @property
    def signer(self) -> str:
        """The signed-in user's name as signed on a form; empty when nobody signed in (CLI, scripts)."""
        row = self.ws.conn.execute("SELECT display_name FROM users WHERE username = ?",
                                   (self.ws.user,)).fetchone()
        return str(row[0]) if row is not None and self.ws.user != SYSTEM_USER else ""

    def acting(self) -> User:
        """The signed-in user whose role every user action is checked against (AuthError: nobody)."""
        return acting_user(self.ws)

    def has_admin(self) -> bool:
        return clinic_has_admin(self.ws.conn)

    def authenticate(self, username: str, password: str) -> User:
        """Sign in; too many wrong passwords make the next tries wait (`SignInWaitError`)."""
        return authenticate(self.ws, username, password, self.ws.clock())

    def locked(self) -> set[str]:
        """Ids of users locked out for too many wrong passwords."""
        return locked_users(self.ws, self.ws.clock())

    def unlock(self, user_id: str) -> None:
        """Lift a user's sign-in lock (a user the signed-in one may manage)."""
        unlock_user(self.ws, user_id)

    def update(self, user_id: str, *, role: str | None = None, active: bool | None = None,
               password: str | None = None, display_name: str | None = None) -> None:
        """Change a user under the role rules; the last active administrator is kept."""
        update_user(self.ws, user_id, role=role, active=active, password=password,
                    display_name=display_name)
