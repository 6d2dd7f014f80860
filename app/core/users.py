"""Clinic users, their roles, and password hashing (argon2)."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.core.errors import ValidationError
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
