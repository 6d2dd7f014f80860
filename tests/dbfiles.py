"""Copying a clinic database as a user would: the file together with its key file."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.storage.keyring import keyring_path


def copy_database(source: Path, target: Path) -> Path:
    """Copy `source` and its key file (if any) to `target`; the target's folder is made."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    if keyring_path(source).exists():
        shutil.copyfile(keyring_path(source), keyring_path(target))
    return target


def stray_files(folder: Path) -> list[str]:
    """Files in a backup folder that are not a whole backup: -wal, -shm, partial copies, and a
    key file whose backup is gone (each backup's own `<backup>.keys` belongs with it)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".sqlite3")
                  and not (p.name.endswith(".sqlite3.keys") and p.with_name(p.name[:-5]).exists()))


def plain_copy(source: Path, target: Path) -> Path:
    """A plain SQLite copy of an encrypted database (what the version before encryption kept).

    The source's key must be unlocked in this process; the copy has no key file."""
    from app.storage import engine

    target.unlink(missing_ok=True)
    conn = engine.open_file(source)
    try:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
        conn.execute("SELECT sqlcipher_export('plain')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA plain.user_version = {version}")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    return target
