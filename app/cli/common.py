"""Helpers every `cunyi` command module shares: JSON output, opening the database, dates, files."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.errors import StorageError
from app.core.outputs import ProtectedPlaces
from app.core.paths import Paths
from app.storage.outputs import check_output
from app.storage.outputs import (
    write_atomically as write_atomically,  # every command writes through it
)

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

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


def open_workspace(paths: Paths) -> Any:
    from app.storage.workspace import Workspace

    if not paths.database.exists():
        raise StorageError(
            f"{paths.home} 下还没有数据库：先运行 `cunyi init` 或 `cunyi demo`（或用 --home 指定位置）"
        )
    return Workspace.open(paths.database)


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD：{text}") from None


def today_of(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def clinic_places(paths: Paths, ws: Workspace) -> ProtectedPlaces:
    """The places no command may write an output to: the data folder, logs, backups, policy packs."""
    return ws.protected_places(data_folders=[paths.home, paths.logs])


def output_path(out: str, paths: Paths, ws: Workspace, *, force: bool) -> Path:
    """A checked output file: never the clinic's own files; an existing file only with --force."""
    return check_output(out, clinic_places(paths, ws), force=force)
