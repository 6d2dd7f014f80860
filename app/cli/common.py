"""Helpers every `cunyi` command module shares: JSON output, signing in, opening the database, dates, files."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import errno
import getpass
import json
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.errors import AuthError, DatabaseDamagedError, StorageError, ValidationError
from app.core.limits import check_date
from app.core.outputs import ProtectedPlaces
from app.core.paths import Paths
from app.storage.engine import sqlite3
from app.storage.outputs import check_output
from app.storage.outputs import (
    write_atomically as write_atomically,  # every command writes through it
)

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70          # EX_SOFTWARE: a fault in the program, written to the log

# The signatures of the `add` and `form` helpers build_parser hands to command modules.
Command = Callable[[argparse.Namespace, Paths], int]
AddCommand = Callable[[str, Command, str], argparse.ArgumentParser]


def print_json(data: Any) -> None:
    def default(o: Any) -> Any:
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        if isinstance(o, dt.date | dt.datetime):
            return o.isoformat()
        if isinstance(o, Path):
            return str(o)
        if isinstance(o, set):
            return sorted(o)
        raise TypeError(type(o).__name__)

    print(json.dumps(data, ensure_ascii=False, indent=2, default=default))


USER_VARIABLE = "CUNYI_USER"
PASSWORD_VARIABLE = "CUNYI_PASSWORD"


def credentials() -> tuple[str, str]:
    """Who signs in: CUNYI_USER/CUNYI_PASSWORD (scripts), else asked on the terminal."""
    username = os.environ.get(USER_VARIABLE, "").strip()
    password = os.environ.get(PASSWORD_VARIABLE, "")
    if username and password:
        return username, password
    if not sys.stdin.isatty():
        raise AuthError(f"需要登录：请设置环境变量 {USER_VARIABLE} 和 {PASSWORD_VARIABLE}，"
                        "或在终端中运行以输入用户名和密码")
    try:
        if not username:
            username = input("用户名：").strip()
        if not password:
            password = getpass.getpass("密码：")
    except EOFError:
        username = password = ""
    if not username or not password:
        raise AuthError("没有输入用户名或密码，未登录")
    return username, password


def sign_in(path: Path, username: str, password: str, *,
            check: Callable[[Workspace], None] | None = None, claim: bool = True) -> Workspace:
    """Unlock and open the database at `path` as `username` (the audit log names them after).

    `check` looks at the opened file before anything is written for the sign-in. A database
    from before encryption is encrypted now, and its recovery key is printed this once.
    """
    from app.storage.workspace import Workspace

    ws, _ = Workspace.sign_in(path, username, password, check=check, claim=claim)
    if ws.recovery_key_to_show:
        print(f"数据库已加密。恢复密钥（只显示这一次，请抄下保存在安全的地方）：{ws.recovery_key_to_show}",
              file=sys.stderr)
        ws.recovery_key_to_show = ""
    return ws


def open_workspace(paths: Paths, *, chain_warning: bool = True, claim: bool = True) -> Workspace:
    """Sign in and open the clinic database; what opening found wrong with the audit log goes to stderr.

    `claim=False` (only for commands that make no tracked write) leaves a file copied from
    another PC under its instance id (see app.storage.device)."""
    if not paths.database.exists():
        raise StorageError(
            f"{paths.home} 下还没有数据库：先运行 `cunyi init` 或 `cunyi demo`（或用 --home 指定位置）"
        )
    username, password = credentials()
    ws = sign_in(paths.database, username, password, check=lambda opened: _refuse_damaged(opened, paths),
                 claim=claim)
    for line in ws.log_report.warnings(chain=chain_warning):
        print(line, file=sys.stderr)
    return ws


def _refuse_damaged(ws: Workspace, paths: Paths) -> None:
    """A damaged file is named (with the way to restore it), not half read."""
    from app.storage.backup_policy import quick_check

    problem = quick_check(ws.conn)
    if not problem:
        return
    try:
        folder = Path(ws.settings.get("backup_dir") or paths.backups)
    except (sqlite3.Error, MemoryError):    # MemoryError: SQLCipher on a page it cannot decrypt
        folder = paths.backups
    from app.storage.backup import restore_hint

    raise DatabaseDamagedError(f"数据库 {paths.database} 已损坏（{problem}）。{restore_hint(folder)}")


def parse_date(text: str) -> dt.date:
    try:
        return check_date(dt.date.fromisoformat(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD：{text}") from None
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high` (a year, a count of days or rows)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"应为整数：{text[:40]}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"应在 {low} 到 {high} 之间：{text[:40]}")
        return value

    parse.__name__ = "int"
    return parse


YEAR = whole_number(1900, 2199)


def today_of(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def is_locked(exc: BaseException) -> bool:
    """Whether SQLite gave up waiting for another process's lock (after the busy timeout)."""
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


_ERRNO_WORDS = {
    errno.ENOENT: "文件或文件夹不存在", errno.EISDIR: "这是一个文件夹，不是文件", errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "已有同名的文件", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘已满", errno.EROFS: "位置是只读的", errno.ENAMETOOLONG: "文件名太长",
    errno.EINVAL: "文件名不能用于这个位置",
}


def file_problem(exc: OSError) -> str:
    """An OSError as one Chinese line: which file, and what the system said about it."""
    words = _ERRNO_WORDS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    where = exc.filename if exc.filename is not None else ""
    return f"无法读写 {where}：{words}" if where else f"无法读写文件：{words}"


def _append_log(paths: Paths, entry: str) -> Path | None:
    for log in (paths.log_file, Path(tempfile.gettempdir()) / "cunyi-crash.log"):
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as f:
                f.write(entry)
            return log
        except OSError:
            continue
    return None


def log_unraisable(paths: Paths, unraisable: Any) -> None:
    """An exception Python could not raise (a generator closed at exit): to the log, not the screen."""
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    trace = "".join(traceback.format_exception(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))
    _append_log(paths, f"{stamp} UNRAISABLE {unraisable.err_msg or ''} {unraisable.object!r}\n{trace}\n")


def report_crash(paths: Paths, argv: Sequence[str] | None) -> int:
    """Write the current exception's traceback to the log file and tell the user in one line."""
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    entry = f"{stamp} CRASH cunyi {' '.join(argv if argv is not None else sys.argv[1:])}\n{traceback.format_exc()}\n"
    log = _append_log(paths, entry)
    if log is None:
        print("错误：程序内部出错，且无法写入日志", file=sys.stderr)
        return EXIT_INTERNAL
    print(f"错误：程序内部出错，详情已写入日志 {log}，请把它交给维护人员", file=sys.stderr)
    return EXIT_INTERNAL


def clinic_places(paths: Paths, ws: Workspace) -> ProtectedPlaces:
    """The places no command may write an output to: the data folder, logs, backups, policy packs."""
    return ws.settings.protected_places(data_folders=[paths.home, paths.logs])


def output_path(out: str, paths: Paths, ws: Workspace, *, force: bool) -> Path:
    """A checked output file: never the clinic's own files; an existing file only with --force."""
    return check_output(out, clinic_places(paths, ws), force=force)


def sign_in_to_replace(paths: Paths, backup: Path | None = None) -> Path | None:
    """Sign in as a user who may replace the clinic's data (restore a backup, demo --force).

    The live database is asked when it can be used; when it is damaged, newer or missing, the
    backup being restored is (a copy of it, so the backup itself is not written to). Replacing an
    unusable database with demo data checks nobody (nobody can sign in against it; it is moved
    aside, never deleted). Returns the live database's backup folder, when it could be read.
    """
    from app.storage.backup_policy import database_state

    username, password = credentials()       # before the file is opened at all
    state, _detail = database_state(paths.database)
    if state == "locked":                    # encrypted: unseal the key (nothing is written yet)
        _unseal(paths.database, username, password)
        state, _detail = database_state(paths.database)
    if state == "ok":
        with sign_in(paths.database, username, password,
                     check=lambda opened: _refuse_damaged(opened, paths)) as ws:
            ws.users.check_may_replace_data()
            folder = Path(ws.settings.get("backup_dir") or paths.backups)
        if backup is not None:
            _unlock_backup(backup, username, password)
        return folder
    if backup is None:
        return None
    _sign_in_to_backup(paths, backup, username, password)
    return None


def _unseal(database: Path, username: str, password: str) -> None:
    """Unlock the clinic key for this process from the key file, without opening the database."""
    import datetime as dt

    from app.storage import engine
    from app.storage.unlock import unseal

    engine.remember(unseal(database, username, password, dt.datetime.now(dt.UTC)).secret)


def _unlock_backup(backup: Path, username: str, password: str) -> None:
    """A backup under another key (another clinic's, or from before its key file was replaced)
    opens with its own key file beside it, if the same user and password are in it."""

    from app.storage import engine
    from app.storage.keyring import keyring_path

    if not engine.is_encrypted(backup) or not keyring_path(backup).exists():
        return
    try:
        engine.open_file(backup, immutable=True).close()
        return                               # this clinic's key opens it
    except engine.LockedError:
        pass
    with contextlib.suppress(AuthError):    # else it stays locked: check_backup says so in one line
        _unseal(backup, username, password)


def _sign_in_to_backup(paths: Paths, backup: Path, username: str, password: str) -> None:
    """Sign in against a copy of `backup`, with its own key file (else the live one's)."""
    from app.storage import engine
    from app.storage.keyring import keyring_path
    from app.storage.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="cunyi-sign-in-") as tmp:
        copy = Path(tmp) / "backup.sqlite3"
        shutil.copyfile(backup, copy)
        keys = next((k for k in (keyring_path(backup), keyring_path(paths.database)) if k.exists()),
                    None)
        if engine.is_encrypted(copy):
            if keys is None:
                raise AuthError("这个备份已加密，旁边没有密钥文件：请先用 cunyi recover 和恢复密钥设置密码")
            shutil.copyfile(keys, keyring_path(copy))
            with sign_in(copy, username, password) as ws:
                ws.users.check_may_replace_data()
            return
        ws = Workspace.open(copy)          # a backup from before encryption: its own users
        try:
            ws.users.authenticate(username, password)
            ws.users.check_may_replace_data()
        finally:
            ws.close()


def new_password(username: str) -> str:
    """A new user's password, typed twice on the terminal (scripts give it with --password)."""
    if not sys.stdin.isatty():
        raise ValidationError("请用 --password 给出新用户的密码，或在终端中运行以输入")
    first = getpass.getpass(f"{username} 的密码：")
    if getpass.getpass("再输入一次：") != first:
        raise ValidationError("两次输入的密码不一致")
    return first
