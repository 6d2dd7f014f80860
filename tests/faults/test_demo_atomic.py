"""`cunyi demo` killed at any moment leaves no database or a whole one; --force never takes one in use."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from app import demo
from app.storage.backup import list_backups
from app.storage.engine import open_file
from app.storage.workspace import Workspace
from tests.cli_users import DEMO, unlocked
from tests.faults.damage import ROOT, cunyi, quick_check


def _start_demo(home: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["CUNYI_HOME"] = str(home)
    return subprocess.Popen([sys.executable, "-m", "app", "demo"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_demo_runs_leave_no_database_or_a_complete_one(tmp_path):
    rng = random.Random(10)
    deadline = time.monotonic() + 15
    home = tmp_path / "home"
    for _ in range(6):
        if time.monotonic() > deadline - 4:
            break
        proc = _start_demo(home)
        time.sleep(rng.uniform(0.4, 3.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        db = home / "cunyi.sqlite3"
        if not db.exists():
            continue
        assert quick_check(db) == "ok"
        conn = open_file(unlocked(db, DEMO))
        try:
            users = [r[0] for r in conn.execute("SELECT username FROM users")]
        finally:
            conn.close()
        assert users == [demo.DEMO_USER[0]]
        db.unlink()              # the next run starts afresh, beside whatever this one left


def test_force_refuses_while_the_database_is_open_and_backs_it_up_otherwise(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    db = home / "cunyi.sqlite3"
    demo.generate(db, size="village", seed=3)
    with Workspace.open(db) as ws:                # another process's view: an open connection
        ws.settings.get("clinic_name")
        r = cunyi(home, "demo", "--force", user=DEMO)
        assert r.returncode == 1 and "正被另一个" in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert ws.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 1
    assert list_backups(home / "backups") == []
    r = cunyi(home, "demo", "--force", user=DEMO)
    assert r.returncode == 0, r.stderr
    [saved] = list_backups(home / "backups")
    assert saved.reason == "before_demo" and saved.verified and str(saved.path) in r.stdout
