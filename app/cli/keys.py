"""`cunyi recover --user NAME`: a new password with the clinic's recovery key."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app.cli.common import AddCommand, new_password
from app.core.errors import StorageError, ValidationError
from app.core.paths import Paths

KEY_VARIABLE = "CUNYI_RECOVERY_KEY"
NEW_PASSWORD_VARIABLE = "CUNYI_NEW_PASSWORD"


def _recovery_key() -> str:
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if key:
        return key
    if not sys.stdin.isatty():
        raise ValidationError(f"请用环境变量 {KEY_VARIABLE} 给出恢复密钥，或在终端中运行以输入")
    return getpass.getpass("恢复密钥（28个字母和数字）：")


def cmd_recover(args: argparse.Namespace, paths: Paths) -> int:
    from app.storage.workspace import Workspace

    if not paths.database.exists():
        raise StorageError(f"{paths.home} 下没有数据库：先用 cunyi restore 放回备份，再设置密码")
    key = _recovery_key()
    password = os.environ.get(NEW_PASSWORD_VARIABLE) or new_password(args.user)
    with Workspace.recover(paths.database, key, args.user, password):
        pass
    print(f"已用恢复密钥为 {args.user} 设置新密码；现在可以用新密码登录")
    return 0


def register(add: AddCommand) -> None:
    p = add("recover", cmd_recover,
            "忘记所有密码或密钥文件丢失时：用恢复密钥为一个用户设置新密码"
            f"（恢复密钥可由 {KEY_VARIABLE}、新密码可由 {NEW_PASSWORD_VARIABLE} 给出）")
    p.add_argument("--user", required=True, help="要设置新密码的用户名")
