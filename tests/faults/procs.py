"""Processes for the kill loops: start `cunyi` to be killed, a big roster, and a writer child.

Run as `python -m tests.faults.procs DB USER PASSWORD TAG SECONDS`, this module is a second
program writing to the clinic database: it signs in, adds a household with its head in one
transaction, and prints `TAG household_id person_id` (flushed) only after the commit, so every
line it printed is a write the database acknowledged.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

from app.core.identity import id_check_char
from tests.cli_users import sign_in_env

ROOT = Path(__file__).resolve().parents[2]
VILLAGE = "622923104201"                 # the village `cunyi init` in these tests makes


def cunyi_env(home: Path, user: tuple[str, str] | None) -> dict[str, str]:
    """The environment a `cunyi` process runs in: `home` as data folder, signed in as `user`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "CUNYI_USER", "CUNYI_PASSWORD")}
    env["CUNYI_HOME"] = str(home)
    env.update(sign_in_env(user))
    return env


def start(home: Path, *args: str, user: tuple[str, str] | None) -> subprocess.Popen[str]:
    """Start `cunyi ARGS…` (not waited for), its output kept in pipes."""
    return subprocess.Popen([sys.executable, "-m", "app", *args], cwd=ROOT, env=cunyi_env(home, user),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool], delay: float,
              limit: float = 30) -> bool:
    """SIGKILL `proc` `delay` seconds after `ready()` first holds; False if it finished first."""
    end = time.monotonic() + limit
    while not ready() and proc.poll() is None and time.monotonic() < end:
        time.sleep(0.005)
    time.sleep(delay)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    return killed


def finish(proc: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str, str]:
    """Wait for `proc`; its exit code (negative: the signal that ended it), stdout and stderr."""
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def has_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text


def resident_id(n: int, seq: str) -> str:
    """A valid 18-digit ID for resident number `n` (birth date from n), `seq` three digits."""
    birth = (dt.date(1940, 1, 1) + dt.timedelta(days=n)).strftime("%Y%m%d")
    body = "622923" + birth + seq
    return body + id_check_char(body)


ROSTER_HEADERS = ["户编号", "所在村", "姓名", "与户主关系", "证件号码", "性别"]
RELATIONS = ["户主", "配偶", "子", "女"]


def write_big_roster(path: Path, households: int, *, part: int = 0, size: int = 4) -> dict[str, set[str]]:
    """A plain county roster of `households` households of `size` people; 户编号 -> its ID numbers.

    Rosters of different `part`s hold different households and people.
    """
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(ROSTER_HEADERS)
    members: dict[str, set[str]] = {}
    for h in range(households):
        no = f"P{part:02d}H{h:04d}"
        for m in range(size):
            n = (part * households + h) * size + m
            id_no = resident_id(n, f"{m + 1:02d}{1 if m % 2 == 0 else 2}")
            sheet.append([no, "红旗村", f"居民{h}之{m}", RELATIONS[m % len(RELATIONS)], id_no,
                          "男" if m % 2 == 0 else "女"])
            members.setdefault(no, set()).add(id_no)
    book.save(path)
    return members


def _write_loop(db: Path, user: str, password: str, tag: str, seconds: float) -> int:
    """Add households with their heads for `seconds`; print each one once it is committed."""
    from app.core.households import Household
    from app.core.people import Person
    from app.storage.workspace import Workspace

    ws, _ = Workspace.sign_in(db, user, password)
    seq = {"a": "1", "b": "3", "c": "5"}.get(tag, "7")
    end = time.monotonic() + seconds
    n = 0
    try:
        while time.monotonic() < end:
            id_no = resident_id(n, f"{seq}{n % 100:02d}")
            with ws.transaction():
                hid, _ = ws.households.add(Household(None, VILLAGE, household_no=f"{tag}{n:05d}"))
                pid, _ = ws.people.add(Person(None, hid, f"写入{tag}{n}", id_no=id_no, relation="户主"))
            sys.stdout.write(f"{tag} {hid} {pid}\n")   # one write: a whole line or none
            sys.stdout.flush()
            n += 1
    finally:
        ws.close()
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    database, name, secret, label, duration = sys.argv[1:6]
    sys.exit(_write_loop(Path(database), name, secret, label, float(duration)))
