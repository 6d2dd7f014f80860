"""Clinic users, their roles, and password hashing (argon2)."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.core.errors import AuthError, ConflictError, ValidationError
from app.core.limits import check_name

ROLES: dict[str, str] = {
    "village_doctor": "村医",
    "township_admin": "乡镇管理员",
    "county_admin": "县管理员",
}
# Roles that may change what the whole clinic depends on (its division code, for one).
ADMIN_ROLES = frozenset({"township_admin", "county_admin"})
MIN_PASSWORD_LENGTH = 6

_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: str
    active: bool = True

    @property
    def role_name(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES


def check_new_user(username: str, display_name: str, role: str, password: str) -> tuple[str, str]:
    """Validate a new user's fields; return the tidied user name and display name."""
    username = check_name(username, "用户名", field="username", limit=32)
    display_name = check_name(display_name, "姓名", field="display_name") or username
    if not username:
        raise ValidationError("用户名不能为空", field="username")
    if len(username) > 32 or " " in username:
        raise ValidationError("用户名不能有空格，最多32个字符", field="username")
    if role not in ROLES:
        raise ValidationError("请选择角色", field="role")
    check_password(password)
    return username, display_name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少{MIN_PASSWORD_LENGTH}位", field="password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# Higher outranks lower: nobody grants a role above their own or manages someone above them.
ROLE_RANK: dict[str, int] = {"village_doctor": 0, "township_admin": 1, "county_admin": 2}


def _may_manage(actor: User, target_role: str, *, clinic_has_admin: bool) -> bool:
    """Whether `actor` may manage an account with `target_role` (create, reset, disable, unlock).

    Administrators manage roles up to their own. A clinic with no active administrator (a village
    doctor working alone) lets its doctors manage doctors' accounts, so it is never stuck.
    """
    rank = ROLE_RANK.get(target_role, len(ROLE_RANK))
    if actor.is_admin:
        return rank <= ROLE_RANK[actor.role]
    return not clinic_has_admin and rank == ROLE_RANK["village_doctor"]


def check_may_add_user(actor: User, role: str, *, clinic_has_admin: bool) -> None:
    """Refuse creating a user the signed-in `actor` may not create."""
    if not _may_manage(actor, role, clinic_has_admin=clinic_has_admin):
        raise AuthError(f"{actor.role_name}不能新增{ROLES.get(role, role)}用户")


def check_may_change_user(actor: User, target: User, *, role: str | None = None,
                          active: bool | None = None, clinic_has_admin: bool = True) -> None:
    """Refuse a change to `target` that the signed-in `actor` may not make."""
    own = actor.id == target.id
    if active is False and own:
        raise AuthError("不能停用自己的账号")
    if own and role is None and active is None:
        return                                   # one's own password and name
    if not own and not _may_manage(actor, target.role, clinic_has_admin=clinic_has_admin):
        raise AuthError(f"{actor.role_name}不能更改{target.role_name}的账号")
    if role is not None and role != target.role and (
            not actor.is_admin or ROLE_RANK.get(role, 99) > ROLE_RANK[actor.role]):
        raise AuthError(f"{actor.role_name}不能把角色设为{ROLES.get(role, role)}")


def check_may_replace_database(actor: User, *, clinic_has_admin: bool) -> None:
    """Refuse restoring a backup over the clinic's data (or replacing it) to a non-administrator.

    As with accounts, a clinic with no active administrator leaves this to its doctors.
    """
    if actor.is_admin or not clinic_has_admin:
        return
    raise AuthError(f"{actor.role_name}不能恢复备份或替换数据库，请由乡镇或县管理员操作")


def check_keeps_an_admin(target: User, *, role: str | None, active: bool | None,
                         other_active_admins: int) -> None:
    """Refuse disabling or demoting the last active administrator."""
    if not (target.active and target.is_admin) or other_active_admins > 0:
        return
    if active is False or (role is not None and role not in ADMIN_ROLES):
        raise ConflictError("这是最后一个可用的管理员，不能停用或降为村医；请先让另一位用户成为管理员")


def allowed_actions(actor: User, target: User, *, clinic_has_admin: bool) -> dict[str, bool]:
    """What the settings page may offer `actor` for `target` (the Workspace checks again)."""
    own = actor.id == target.id
    manage = own or _may_manage(actor, target.role, clinic_has_admin=clinic_has_admin)
    return {
        "role": actor.is_admin and (own or _may_manage(actor, target.role,
                                                        clinic_has_admin=clinic_has_admin)),
        "password": manage,
        "active": not own and _may_manage(actor, target.role, clinic_has_admin=clinic_has_admin),
        "unlock": not own and _may_manage(actor, target.role, clinic_has_admin=clinic_has_admin),
    }


def addable_roles(actor: User, *, clinic_has_admin: bool) -> list[str]:
    """The roles of new users `actor` may create (none for a doctor in a clinic with an admin)."""
    return [r for r in ROLES if _may_manage(actor, r, clinic_has_admin=clinic_has_admin)]


def grantable_roles(actor: User) -> list[str]:
    """The roles `actor` may give (their own rank and below)."""
    top = ROLE_RANK.get(actor.role, 0) if actor.is_admin else 0
    return [r for r in ROLES if ROLE_RANK[r] <= top]


def check_may_confirm_station(actor: User) -> None:
    """Refuse recording the county's answer about the station (and renumbering) to a doctor."""
    if not actor.is_admin:
        raise AuthError(f"{actor.role_name}不能确认机位号，请由乡镇或县管理员按县里的答复操作")
