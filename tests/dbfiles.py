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
