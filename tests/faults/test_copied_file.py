"""A clinic's database file copied to a second PC, written there with the real command line: the
copy takes a new instance id before its first write, so the two files never stamp one
(instance, counter) pair on different changes. Reading the copy (`cunyi sql`) renews nothing.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from app.storage import device
from app.storage.engine import open_file
from tests.cli_users import INIT_USER, unlocked
from tests.conftest import make_id
from tests.dbfiles import copy_database
from tests.faults.damage import cunyi
from tests.faults.procs import VILLAGE, has_traceback

Pairs = dict[tuple[str, int], tuple[str, str, str, str]]


def _ok(home: Path, *args: str) -> str:
    r = cunyi(home, *args)
    assert r.returncode == 0 and not has_traceback(r.stderr), r.stderr
    return r.stdout


def _household_with_head(home: Path, n: int) -> None:
    """`household add`, then `person add` its head."""
    household = json.loads(_ok(home, "household", "add", "--village", VILLAGE, "--json"))
    _ok(home, "person", "add", household["id"], "--name", f"居民{n}",
        "--id-no", make_id(seq=f"{2 * n + 1:03d}"), "--relation", "户主")


def _look(db: Path) -> tuple[str, list[str], Pairs]:
    """The file's instance id, instance_history reasons and outbox pairs, read-only."""
    with contextlib.closing(open_file(unlocked(db, INIT_USER), read_only=True)) as conn:
        instance = str(conn.execute("SELECT instance_id FROM local_instance").fetchone()[0])
        reasons = [str(r[0]) for r in conn.execute("SELECT reason FROM instance_history ORDER BY rowid")]
        pairs = {(str(r[0]), int(r[1])): (str(r[2]), str(r[3]), str(r[4]), str(r[5])) for r in conn.execute(
            "SELECT version_instance, version_counter, table_name, row_id, op, fields FROM outbox")}
    return instance, reasons, pairs


def test_a_copy_written_on_a_second_pc_never_reuses_a_pair_of_the_original(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first_pc = tmp_path / "pc1" / "home"
    second_pc = tmp_path / "pc2" / "home"
    first_device, second_device = str(tmp_path / "pc1" / "device"), str(tmp_path / "pc2" / "device")
    monkeypatch.setenv(device.ENV, first_device)
    _ok(first_pc, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE, "--village-name", "红旗村",
        "--user", INIT_USER[0], "--password", INIT_USER[1])
    _household_with_head(first_pc, 1)
    original = first_pc / "cunyi.sqlite3"
    instance, _, at_copy = _look(original)
    copy = copy_database(original, second_pc / "cunyi.sqlite3")     # carried over on a stick

    monkeypatch.setenv(device.ENV, second_device)
    read = json.loads(_ok(second_pc, "sql", "SELECT instance_id FROM local_instance", "--json"))
    assert read == [{"instance_id": instance}]
    assert _look(copy)[0] == instance                    # only read: not renewed
    _household_with_head(second_pc, 2)
    renewed, reasons, theirs = _look(copy)
    assert renewed != instance and reasons == ["created", device.COPIED]

    monkeypatch.setenv(device.ENV, first_device)
    _household_with_head(first_pc, 3)
    still, reasons_here, mine = _look(original)
    assert still == instance and reasons_here == ["created"]

    shared = mine.keys() & theirs.keys()
    assert shared == at_copy.keys()                      # only the rows written before the copy
    assert all(mine[p] == theirs[p] == at_copy[p] for p in shared)
    assert {i for i, _ in theirs.keys() - shared} == {renewed}
    assert {i for i, _ in mine.keys() - shared} == {instance}
    assert len(theirs) - len(shared) >= 2 and len(mine) - len(shared) >= 2
