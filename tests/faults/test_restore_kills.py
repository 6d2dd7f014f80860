"""`cunyi restore BACKUP --yes` killed (SIGKILL) at random moments, 20 times, on a small clinic:
whatever state the file is left in, it opens and takes writes, no (instance, counter) pair is
ever written for two different changes, and no 档案号 or contract number is issued twice across
the whole history of the file, the numbers issued after the backup was made included.

Each kill is aimed at one phase in turn (while the restored copy is being built, while the
safety copy is made, at any moment); where it landed is read from what it left behind.
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from app.core.households import Household
from app.storage.engine import open_file
from app.storage.keyring import keyring_path
from app.storage.workspace import Workspace
from tests.cli_users import unlocked
from tests.conftest import make_id
from tests.faults.cli import USER, init, run
from tests.faults.procs import VILLAGE, finish, has_traceback, kill_when, start

KILLS = 20
Content = tuple[str, str, str, str, str]


class History:
    """Everything the file has held, state after state: outbox pairs and the numbers issued."""

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, int], Content] = {}
        self.records: dict[str, str] = {}        # 档案号 -> person id
        self.contracts: dict[str, str] = {}      # contract number -> contract id
        self.states = 0

    def look(self, db: Path) -> str:
        """Read the file as it is now (it must open whole); its instance id back."""
        with contextlib.closing(open_file(unlocked(db, USER), read_only=True)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            for r in conn.execute("SELECT version_instance, version_counter, table_name, row_id, op,"
                                  " fields, created_at FROM outbox"):
                pair, content = (str(r[0]), int(r[1])), (str(r[2]), str(r[3]), str(r[4]), str(r[5]), str(r[6]))
                assert self.pairs.setdefault(pair, content) == content, \
                    f"{pair} written for two changes: {self.pairs[pair]} and {content}"
            for number, pid in conn.execute("SELECT record_no, id FROM people WHERE record_no != ''"):
                assert self.records.setdefault(number, pid) == pid, f"档案号 {number} issued twice"
            for number, cid in conn.execute("SELECT contract_no, id FROM contracts"):
                assert self.contracts.setdefault(number, cid) == cid, f"contract number {number} issued twice"
            instance = str(conn.execute("SELECT instance_id FROM local_instance").fetchone()[0])
        self.states += 1
        return instance


def _ok(home: Path, *args: str) -> str:
    r = run(home, *args)
    assert r.code == 0, r.err
    return r.out


def _person_and_contract(home: Path, household_id: str, n: int) -> None:
    """With the command line: a new head of household (a 档案号), then its contract (a number)."""
    _ok(home, "person", "add", household_id, "--name", f"户主{n}", "--id-no",
        make_id(seq=f"{2 * n + 1:03d}"), "--relation", "户主")
    _ok(home, "sign", household_id, "--team", "一队", "--package", "JC")


def _households(db: Path, count: int) -> list[str]:
    """Empty households, one for each round (made before the backup, so every state has them)."""
    ws, _ = Workspace.sign_in(db, *USER)
    try:
        with ws.transaction():
            return [ws.households.add(Household(None, VILLAGE, household_no=f"K{n:03d}"))[0]
                    for n in range(count)]
    finally:
        ws.close()


def _newer(folder: Path, since: float, *, suffix: str = "", prefix: str = "") -> bool:
    return folder.exists() and any(
        p.name.endswith(suffix) and p.name.startswith(prefix) and p.stat().st_mtime >= since
        for p in folder.iterdir())


@pytest.mark.slow
def test_killed_restores_never_reuse_a_pair_or_reissue_a_number(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init(home)
    db = home / "cunyi.sqlite3"
    backups = home / "backups"
    _ok(home, "teams", "--add", "一队", "--leader", "王医生")
    rounds = _households(db, KILLS + 4)
    _person_and_contract(home, rounds[0], 0)
    _ok(home, "backup")
    [made] = sorted(backups.glob("cunyi-*.sqlite3"))
    stick = tmp_path / "stick"
    stick.mkdir()
    source = Path(shutil.copyfile(made, stick / made.name))
    shutil.copyfile(keyring_path(made), keyring_path(source))
    # Issued after the backup: the restored file must never hand these out again.
    _person_and_contract(home, rounds[1], 1)
    _person_and_contract(home, rounds[2], 2)
    history = History()
    history.look(source)
    instance = history.look(db)
    issued_before = (set(history.records), set(history.contracts))

    rng = random.Random(20)
    phases: Counter[str] = Counter()
    for i in range(KILLS + 1):                      # the last restore is left to finish
        started = time.time() - 0.01
        proc = start(home, "restore", str(source), "--yes", user=USER)
        killed = False
        if i < KILLS:
            aim = i % 3
            if aim == 0:      # while the restored copy is being built
                ready, delay = (lambda s=started: _newer(home, s, suffix=".restoring")), rng.uniform(0, 0.08)
            elif aim == 1:    # while the safety copy of the live file is made
                ready, delay = (lambda s=started: _newer(backups, s, prefix="cunyi-")), rng.uniform(0, 0.02)
            else:             # at any moment
                ready, delay = (lambda: True), rng.uniform(0.2, 2.2)
            killed = kill_when(proc, ready, delay)
        code, out, err = finish(proc)
        assert not has_traceback(err), err
        assert (killed and code == -9) or (code == 0 and "恢复成功" in out), err
        now = history.look(db)
        if not killed:
            phase = "finished before the kill" if i < KILLS else "left to finish"
        elif now != instance:
            phase = "after the rename"
        elif _newer(home, started, suffix=".restoring"):
            phase = "building the restored copy"
        elif _newer(backups, started, prefix="cunyi-"):
            phase = "making the safety copy"
        else:
            phase = "signing in and checking"
        phases[phase] += 1
        instance = now
        _person_and_contract(home, rounds[3 + i], 3 + i)
        assert history.look(db) == instance
    # the numbers issued before the restores stayed issued once, and the last state has them
    # all as floors or rows
    assert issued_before[0] <= set(history.records) and issued_before[1] <= set(history.contracts)
    listed = json.loads(_ok(home, "sql", "SELECT count(*) AS n FROM people", "--json"))
    assert listed[0]["n"] >= 2
    assert phases["after the rename"] + phases["finished before the kill"] + phases["left to finish"] >= 2
    print(f"restore kills: {dict(phases)}; {len(history.pairs)} pairs, {len(history.records)} 档案号,"
          f" {len(history.contracts)} contract numbers in {history.states} states")


_HOLDER = """
import sys, time
from app.storage import db, engine
engine.remember(bytes.fromhex(sys.argv[2]))
conn = db.connect(sys.argv[1])
conn.execute("INSERT INTO settings (key, value) VALUES ('written_next_to_the_restore', '1')")
print("committed", flush=True)
time.sleep(60)
"""


def test_a_restore_dying_before_its_rename_keeps_the_live_files_committed_wal(
        tmp_path: Path, db_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program (here a process killed afterwards) committed a write that is still only in
    the live file's -wal; the restore dies just before renaming its copy over the file. The -wal
    was folded into the file first, so the write is there after both have died."""
    import os
    import signal
    import subprocess
    import sys

    from app.storage import backup

    made = backup.make_backup(workspace, tmp_path / "backups")
    secret = workspace.secret
    assert secret is not None
    workspace.close()
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db_path), secret.hex()],
                              cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "committed"
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.stat().st_size > 0
        real = os.replace

        def dies_at_the_rename(src: object, dst: object) -> None:
            if Path(str(dst)) == db_path:
                raise KeyboardInterrupt("killed just before the rename")
            real(src, dst)      # type: ignore[arg-type]

        monkeypatch.setattr(backup.os, "replace", dies_at_the_rename)
        with pytest.raises(KeyboardInterrupt):
            backup.restore_backup(db_path, made, safety_folder=tmp_path / "safety")
        monkeypatch.setattr(backup.os, "replace", real)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with contextlib.closing(open_file(db_path, read_only=True)) as conn:
        assert conn.execute("SELECT value FROM settings WHERE key = 'written_next_to_the_restore'"
                            ).fetchone() == ("1",)


def test_a_number_issued_while_the_restore_builds_its_copy_is_never_issued_again(
        tmp_path: Path, db_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The floors are read again from the live file just before the rename: a number another
    program issued after the safety copy was read is carried into the restored file too."""
    from app.core.people import Person
    from app.storage import backup, numbers

    made = backup.make_backup(workspace, tmp_path / "backups")
    with workspace.transaction():
        hid, _ = workspace.households.add(Household(None, VILLAGE, household_no="W001"))
        pid, _ = workspace.people.add(Person(None, hid, "写入者", id_no=make_id(seq="001"), relation="户主"))
    issued = str(workspace.conn.execute("SELECT record_no FROM people WHERE id = ?", (pid,)).fetchone()[0])
    workspace.close()
    real, calls = numbers.issued, []

    def blind_at_first(conn):           # the first read missed it: written just after it
        calls.append(conn)
        return {} if len(calls) == 1 else real(conn)

    monkeypatch.setattr(numbers, "issued", blind_at_first)
    backup.restore_backup(db_path, made, safety_folder=tmp_path / "safety")
    monkeypatch.setattr(numbers, "issued", real)
    assert len(calls) == 2
    with Workspace.open(db_path) as ws:
        assert ws.conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
        with ws.transaction():
            hid, _ = ws.households.add(Household(None, VILLAGE, household_no="W002"))
            pid, _ = ws.people.add(Person(None, hid, "后来者", id_no=make_id(seq="003"), relation="户主"))
        again = str(ws.conn.execute("SELECT record_no FROM people WHERE id = ?", (pid,)).fetchone()[0])
    assert again > issued
