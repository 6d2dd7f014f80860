"""Helpers every `cunyi` command module shares: JSON output, opening the database, dates, files."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.errors import DatabaseDamagedError, StorageError, ValidationError
from app.core.paths import Paths

EXIT_ERROR = 1
EXIT_USAGE = 2

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


def open_workspace(paths: Paths, *, chain_warning: bool = True) -> Any:
    """Open the clinic database; what opening found wrong with the audit log goes to stderr."""
    from app.storage.workspace import Workspace

    if not paths.database.exists():
        raise StorageError(
            f"{paths.home} 下还没有数据库：先运行 `cunyi init` 或 `cunyi demo`（或用 --home 指定位置）"
        )
    ws = Workspace.open(paths.database)
    from app.storage.backup_policy import quick_check

    problem = quick_check(ws.conn)         # a damaged file is named, not half read
    if problem:
        try:
            folder = Path(ws.setting("backup_dir") or paths.backups)
        except sqlite3.Error:
            folder = paths.backups
        ws.close()
        from app.storage.backup import restore_hint

        raise DatabaseDamagedError(f"数据库 {paths.database} 已损坏（{problem}）。{restore_hint(folder)}")
    for line in ws.log_report.warnings(chain=chain_warning):
        print(line, file=sys.stderr)
    return ws


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD：{text}") from None


def today_of(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def write_atomically(out: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file next to `out` and rename it, so no half-written file is left."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationError(f"输出文件夹不存在：{folder}")
    tmp = folder / f".{out.name}.{os.getpid()}.tmp"
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
