"""Where an output file may go: never onto the clinic's database, its backups or its data folder.

A printed form, an export or an import report is written where the doctor points it. A slip of
the file dialog (or of `-o`) must not replace the database, a backup or a policy pack, so every
writer asks `refusal()` first. The rule works on paths already made absolute with symlinks
resolved (the storage layer does that); it does no I/O itself.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import PurePath

DATABASE_SIDECARS = ("-wal", "-shm", "-journal")
BACKUP_PATTERNS = ("cunyi-*",)          # backups, their -wal/-shm and unfinished .partial copies
POLICY_PATTERNS = ("*.toml",)


@dataclass(frozen=True)
class ProtectedPlaces:
    """The clinic's own files: absolute, symlink-free paths of the places no output may overwrite."""

    database: PurePath
    data_folders: tuple[PurePath, ...] = ()     # everything inside belongs to the clinic
    backup_folders: tuple[PurePath, ...] = ()   # backup files inside are protected
    policy_folders: tuple[PurePath, ...] = ()   # policy packs inside are protected


def _key(part: str) -> str:
    # Folded for comparison: on a case-insensitive disk CUNYI.SQLITE3 is the database.
    return part.casefold()


def _inside(target: PurePath, folder: PurePath) -> bool:
    """True when `target` is `folder` itself or anything below it."""
    t, f = target.parts, folder.parts
    return len(t) >= len(f) and all(_key(a) == _key(b) for a, b in zip(t, f, strict=False))


def _same(a: PurePath, b: PurePath) -> bool:
    return len(a.parts) == len(b.parts) and _inside(a, b)


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(_key(name), _key(p)) for p in patterns)


def is_database_file(target: PurePath, database: PurePath) -> bool:
    """The database itself or one of the files SQLite keeps beside it."""
    return any(_same(target, database.with_name(database.name + s)) for s in ("", *DATABASE_SIDECARS))


def refusal(target: PurePath, places: ProtectedPlaces, *, shown: str | None = None) -> str:
    """Why `target` must not be written, as one Chinese line; "" when it is free to use."""
    where = shown or str(target)
    if is_database_file(target, places.database):
        what = "本卫生室的数据库文件"
    elif any(_same(target.parent, f) and _matches(target.name, BACKUP_PATTERNS)
             for f in places.backup_folders):
        what = "数据库的备份"
    elif any(_same(target.parent, f) and _matches(target.name, POLICY_PATTERNS)
             for f in places.policy_folders):
        what = "县里下发的政策包"
    elif folder := next((f for f in places.data_folders if _inside(target, f)), None):
        what = f"村医的数据文件夹（{folder}）"
    else:
        return ""
    return f"不能写到 {where}：那是{what}，请另选一个文件夹保存"
