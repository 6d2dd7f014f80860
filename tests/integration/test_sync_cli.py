"""Tried as a new user would, from the command line: PostgreSQL and `cunyi-county serve` in their own
processes, two clinic PCs of one village and one of the next set up with `cunyi init`, enrolled
with codes from `cunyi-county enroll`, the same resident edited on both PCs of the village, and
`cunyi sync` on each. Every record is on the county server once, each PC holds only its scope,
and the value the county did not keep is in its conflicts table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import make_id
from tests.faults.cli import run
from tests.integration.test_county_cli import county
from tests.integration.test_http_sync import _free_port, _wait_for

VILLAGE, NEXT = "622923104201", "622923104202"
ADMIN = ("admin", "Secret-pass-1")


@pytest.fixture
def served(county_url: str) -> Iterator[str]:
    assert county("init", "--database", county_url).returncode == 0
    port = _free_port()
    exe = Path(sys.executable).with_name("cunyi-county")
    proc = subprocess.Popen([str(exe), "serve", "--database", county_url, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    url = f"http://127.0.0.1:{port}"
    _wait_for(url, proc)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _clinic(tmp_path: Path, pc: str, name: str, village: str) -> Path:
    home = tmp_path / pc
    r = run(home, "init", "--clinic", f"{name}卫生室", "--division", village, "--village-name", name,
            "--user", ADMIN[0], "--role", "township_admin", "--password", ADMIN[1], user=None)
    assert r.code == 0, r.err
    return home


def _json(home: Path, *args: str) -> dict:
    r = run(home, *args, "--json", user=ADMIN)
    assert r.code == 0, r.err + r.out
    return json.loads(r.out)


def test_two_pcs_of_a_village_and_one_of_the_next_sync_from_the_command_line(
        tmp_path: Path, county_url: str, served: str) -> None:
    a, b = _clinic(tmp_path, "a", "红旗村", VILLAGE), _clinic(tmp_path, "b", "红旗村", VILLAGE)
    c = _clinic(tmp_path, "c", "向阳村", NEXT)
    # Each PC adds a household with its head before it ever meets the county (numbers provisional).
    people = {}
    for n, (home, village) in enumerate(((a, VILLAGE), (b, VILLAGE), (c, NEXT))):
        h = _json(home, "household", "add", "--village", village, "--group", "一组")
        p = _json(home, "person", "add", h["id"], "--name", f"居民{n}", "--relation", "户主",
                  "--id-no", make_id("19600101", f"{n * 2 + 1:03d}"))
        people[home] = p
        r = run(home, "teams", "--add", f"团队{n}", "--leader", "王院长", user=ADMIN)
        assert r.code == 0, r.err
        r = run(home, "sign", h["id"], "--team", f"团队{n}", "--package", "JC", "--today", "2026-03-01",
                user=ADMIN)
        assert r.code == 0, r.err
    assert people[a]["record_no"] == people[b]["record_no"]          # both guessed station 1
    for home, village in ((a, VILLAGE), (b, VILLAGE), (c, NEXT)):
        code = json.loads(county("enroll", "--database", county_url, "--scope", village,
                                 "--json").stdout)["code"]
        done = _json(home, "enroll", "--server", served, "--code", code)
        assert done["scope"] == village and done["provisional"] == 0
    # The county gave stations 1 and 2 to the village's PCs: no 档案号 is issued twice any more.
    assert _json(a, "person", "show", people[a]["id"])["record_no"] != \
        _json(b, "person", "show", people[b]["id"])["record_no"]
    for home in (a, b, c, a):
        result = _json(home, "sync")
        assert result["refused"] == [] and result["unsynced"] == 0
    # The same resident edited on both PCs of the village.
    pid = people[a]["id"]
    _json(a, "person", "edit", pid, "--phone", "13911111111")
    _json(b, "person", "edit", pid, "--phone", "13922222222", "--note", "三组")
    assert _json(a, "sync")["conflicts"] == 0
    assert _json(b, "sync")["conflicts"] == 1
    _json(a, "sync")
    for home in (a, b):
        shown = _json(home, "person", "show", pid)
        assert (shown["phone"], shown["note"]) == ("13911111111", "三组")
        assert _json(home, "sync", "status")["unsynced"] == 0
    with psycopg.connect(county_url) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM people").fetchone() == (3, 3)
        numbers = [r[0] for r in conn.execute("SELECT contract_no FROM contracts ORDER BY 1")]
        assert numbers == [f"{VILLAGE}-1-2026-0001", f"{VILLAGE}-2-2026-0001", f"{NEXT}-1-2026-0001"]
        assert conn.execute("SELECT field, b_value FROM conflicts").fetchall() == [("phone", "13922222222")]
    # The doctor at b sees the conflict, keeps b's value, and both PCs and the county agree.
    [note] = _json(b, "conflicts")
    assert (note["table"], note["record"], note["field"], note["mine"], note["theirs"]) == (
        "people", pid, "phone", "13922222222", "13911111111")
    [same] = _json(a, "conflicts")
    assert (same["id"], same["mine"], same["theirs"]) == (note["id"], "13911111111", "13922222222")
    _json(b, "conflicts", "resolve", str(note["id"]), "--keep", "mine")
    _json(b, "sync")
    _json(a, "sync")
    for home in (a, b):
        assert _json(home, "person", "show", pid)["phone"] == "13922222222"
        assert _json(home, "conflicts") == []
        assert _json(home, "sync", "status")["unsynced"] == 0
    with psycopg.connect(county_url) as conn:
        assert conn.execute("SELECT resolution FROM conflicts").fetchall() == [("lost",)]
    # Each PC holds only its own village (and the rows above it).
    assert len(_json(c, "person", "show", people[c]["id"])) > 0
    r = run(c, "person", "show", pid, user=ADMIN)
    assert r.code != 0
    devices = json.loads(county("devices", "--database", county_url, "--json").stdout)
    assert sorted((d["scope"], d["station"]) for d in devices) == [(VILLAGE, 1), (VILLAGE, 2), (NEXT, 1)]
    assert all(d["last_sync"] for d in devices)
    # A revoked PC is refused in one line; an unreachable server too.
    victim = next(d["instance"] for d in devices if d["scope"] == NEXT)
    assert county("revoke", "--database", county_url, victim).returncode == 0
    r = run(c, "sync", user=ADMIN)
    assert r.code != 0 and "停用" in r.err and r.err.count("\n") == 1
    r = run(a, "sync", "--server", f"http://127.0.0.1:{_free_port()}", user=ADMIN)
    assert r.code != 0 and "无法连接县里的服务器" in r.err and r.err.count("\n") == 1
