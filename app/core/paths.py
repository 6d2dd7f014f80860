"""Where a clinic's data lives: CUNYI_HOME when set (tests, portable installs), else platform folders."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Cunyi"
DB_FILENAME = "cunyi.sqlite3"


@dataclass(frozen=True)
class Paths:
    home: Path
    logs: Path

    @property
    def database(self) -> Path:
        return self.home / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    @property
    def log_file(self) -> Path:
        return self.logs / "cunyi.log"


def resolve(home: str | os.PathLike[str] | None = None) -> Paths:
    """The folders for data and logs. An explicit `home` wins over CUNYI_HOME over the platform."""
    chosen = home or os.environ.get("CUNYI_HOME")
    if chosen:
        base = Path(chosen).expanduser().resolve()
        return Paths(home=base, logs=base / "logs")
    return Paths(
        home=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        logs=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
