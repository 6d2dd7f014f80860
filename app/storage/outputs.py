"""Writing output files safely: refuse the clinic's own files, replace only when asked, never half.

Every file the program hands to the doctor (a PDF, an export, an import report, a copy of a
preview) goes through `write_output`: the path is checked against the clinic's protected places
(`app.core.outputs`), an existing file is replaced only with `force`, and the content is written
to a temporary name in the same folder and renamed over the target, so a full disk or a crash
leaves the old file (or nothing), never a broken one.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePath

from app.core.errors import ConflictError, StorageError, ValidationError
from app.core.outputs import DATABASE_SIDECARS, ProtectedPlaces, refusal
from app.storage.engine import sqlite3

TEMP_SUFFIX = ".tmp"


def _real(path: Path | str) -> Path:
    return Path(os.path.realpath(os.path.abspath(os.path.expanduser(str(path)))))


def places_for(database: Path | str, *, backup_dirs: Iterable[Path | str | None] = (),
               policy_dirs: Iterable[Path | str | None] = (),
               data_folders: Iterable[Path | str | None] = ()) -> ProtectedPlaces:
    """The protected places of a clinic: its database, the folder it lives in, and the extra folders."""
    db = _real(database)
    folders = [db.parent, *(_real(f) for f in data_folders if f)]
    return ProtectedPlaces(
        database=db,
        data_folders=tuple(dict.fromkeys(folders)),
        backup_folders=tuple(dict.fromkeys(_real(f) for f in backup_dirs if f)),
        policy_folders=tuple(dict.fromkeys(_real(f) for f in policy_dirs if f)),
    )


def _same_file(a: Path, b: PurePath) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _as_seen_from(path: Path, folders: Sequence[PurePath]) -> Path:
    """`path` rewritten under a protected folder it lies in by file identity (bind mounts, case)."""
    for ancestor in (path, *path.parents):
        for folder in folders:
            if _same_file(ancestor, folder):
                return Path(folder) / path.relative_to(ancestor)
    return path


def _candidates(out: Path, places: ProtectedPlaces) -> list[Path]:
    """Every name under which `out` could reach a protected file."""
    db = Path(places.database)
    folders = [*places.data_folders, *places.backup_folders, *places.policy_folders]
    found = [Path(os.path.abspath(os.path.normpath(out))), _real(out)]
    parent = _real(out.parent)
    found.append(_as_seen_from(parent, folders) / out.name)
    if out.exists():
        for name in (db.name, *(db.name + s for s in DATABASE_SIDECARS)):
            if _same_file(out, db.with_name(name)):     # a hard link to the database
                found.append(db.with_name(name))
    return found


def check_output(out: Path | str, places: ProtectedPlaces | None, *, force: bool = False) -> Path:
    """Refuse an output path that is the clinic's own, a folder, or (without `force`) an existing file."""
    p = Path(out).expanduser()
    if not p.name or p.name in (".", ".."):
        raise ValidationError(f"请给出输出文件的名字：{out}")
    if places is not None:
        for candidate in _candidates(p, places):
            if why := refusal(candidate, places, shown=str(out)):
                raise ValidationError(why)
    folder = p.parent
    if not folder.is_dir():
        raise ValidationError(f"输出文件夹不存在：{folder}")
    if p.is_dir():
        raise ValidationError(f"{out} 是一个文件夹，请给出要保存的文件名")
    if (p.exists() or p.is_symlink()) and not force:
        raise ConflictError(f"{out} 已存在，没有覆盖（确认要替换请加 --force）")
    return p


def io_failure(exc: BaseException) -> str:
    """A one-line Chinese reason for a full disk or a read-only place; "" for any other error."""
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return "磁盘已满"
        if exc.errno == errno.EROFS:
            return "位置只读"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "没有写入权限"
        return ""
    if isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        if "disk is full" in text or "disk full" in text:
            return "磁盘已满"
        if "readonly" in text or "read-only" in text:
            return "位置只读"
        if "unable to open" in text or "disk i/o error" in text:
            return "无法写入（只读、没有权限或磁盘已满）"
    return ""


def write_atomically(out: Path | str, write: Callable[[Path], object]) -> Path:
    """Write through a temporary file beside `out`, flush it to disk, then rename it over `out`.

    On any failure the temporary file is removed and `out` is left as it was; a full disk or a
    read-only place is reported as a StorageError in one line.
    """
    target = Path(out)
    tmp = target.with_name(f".{target.name}.{os.getpid()}{TEMP_SUFFIX}")
    try:
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        why = io_failure(exc)
        if not why:
            raise
        raise StorageError(f"无法写入 {out}：{why}，原有文件未改动") from exc
    finally:
        with contextlib.suppress(OSError):   # a read-only place never got the file at all
            tmp.unlink(missing_ok=True)
    return target


def write_output(out: Path | str, write: Callable[[Path], object], *,
                 places: ProtectedPlaces | None, force: bool = False) -> Path:
    """Check `out` (see `check_output`), then write it atomically."""
    return write_atomically(check_output(out, places, force=force), write)
