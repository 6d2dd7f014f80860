"""Helpers for the fault suite: run `cunyi` as a process, and damage a database like a bad disk."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from app.storage.engine import open_file, sqlite3
from tests.cli_users import INIT_USER, sign_in_env

ROOT = Path(__file__).resolve().parents[2]


def cunyi(home: Path, *args: str, timeout: float = 120,
          user: tuple[str, str] | None = INIT_USER) -> subprocess.CompletedProcess[str]:
    """Run the command line in its own process with `home` as the data folder, signed in as `user`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "CUNYI_USER", "CUNYI_PASSWORD")}
    env["CUNYI_HOME"] = str(home)
    env.update(sign_in_env(user))
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def damage(path: Path, *, pages: int = 20, seed: int = 1) -> None:
    """Overwrite `pages` pages in the middle of a closed database file with garbage."""
    page_size = 4096
    count = path.stat().st_size // page_size
    rng = random.Random(seed)
    first = max(2, count // 2 - pages // 2)
    with path.open("r+b") as fh:
        for n in range(first, min(count, first + pages)):
            fh.seek(n * page_size)
            fh.write(bytes(rng.randrange(256) for _ in range(page_size)))


def quick_check(path: Path) -> str:
    conn = open_file(path, read_only=True)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return str(exc)
    except MemoryError:                  # SQLCipher: a page that no longer decrypts
        return "undecryptable page"
    finally:
        conn.close()
