"""`cunyi users`: list the clinic's users, add one, lift a sign-in lock (under the role rules)."""

from __future__ import annotations

import argparse

from app.cli.common import AddCommand, Command, new_password, open_workspace, print_json
from app.core.errors import NotFoundError, ValidationError
from app.core.paths import Paths
from app.core.users import ROLES


def cmd_users_list(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        users, locked = ws.users.list(), ws.users.locked()
    rows = [{"username": u.username, "display_name": u.display_name, "role": u.role,
             "role_name": u.role_name, "active": u.active, "locked": u.id in locked} for u in users]
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        state = "" if r["active"] else "（已停用）"
        lock = "（登录已锁定）" if r["locked"] else ""
        print(f"{r['username']}  {r['display_name']}  {r['role_name']}{state}{lock}")
    return 0


def cmd_users_add(args: argparse.Namespace, paths: Paths) -> int:
    password = args.password or new_password(args.username)
    with open_workspace(paths) as ws:
        user = ws.users.add(args.username, args.display_name or args.username, args.role, password)
    print(f"已新增用户：{user.username}（{user.role_name}）")
    return 0


def cmd_users_unlock(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        user = next((u for u in ws.users.list() if u.username == args.username), None)
        if user is None:
            raise NotFoundError(f"没有用户 {args.username}")
        ws.users.unlock(user.id)
    print(f"已解除 {args.username} 的登录锁定")
    return 0


def _usage(args: argparse.Namespace, paths: Paths) -> int:
    raise ValidationError("请写明动作：cunyi users list|add|unlock（见 cunyi users --help）")


def register(add: AddCommand) -> None:
    """Add `cunyi users` and its actions to the parser."""
    p = add("users", _usage, "用户：列出、新增（按角色规则：村医不能新增管理员）、解除登录锁定")
    subs = p.add_subparsers(dest="action", metavar="ACTION")

    def action(name: str, fn: Command, help: str) -> argparse.ArgumentParser:
        a = subs.add_parser(name, help=help, description=help)
        a.set_defaults(func=fn)
        return a

    a = action("list", cmd_users_list, "列出用户、角色，以及谁已停用或登录被锁定")
    a.add_argument("--json", action="store_true", help="以JSON输出")
    a = action("add", cmd_users_add, "新增用户（只能新增自己可以管理的角色）")
    a.add_argument("username", help="用户名")
    a.add_argument("--role", required=True, choices=list(ROLES), help="角色")
    a.add_argument("--display-name", help="姓名（默认同用户名）")
    a.add_argument("--password", help="新用户的密码（不给出时在终端中输入）")
    a = action("unlock", cmd_users_unlock, "解除一个用户的登录锁定（须能管理该用户）")
    a.add_argument("username", help="用户名")
