"""The app syncs with a real county server in the background (`cunyi-county serve` on loopback,
PostgreSQL behind it), and a household moved to another village leaves its old clinic's scope
with a notice while that clinic's pending edits to it stay.

One server and one county database serve the whole module; each test uses villages of its own.
A sync is slowed down by a gate in the county the window is given (a test hook around the real
HTTP client), never by timing: while it waits, a save on the window's database worker finishes.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.core.households import Household
from app.core.people import Person
from app.server import db
from app.server.store import Store
from app.storage.workspace import Workspace
from app.sync import session
from app.sync.client import HttpCounty
from app.sync.enrol import enrol
from app.sync.identity import code_hash
from app.sync.protocol import Pull, PullReply
from app.ui.background_sync import BackgroundSync
from app.ui.tasks import TaskRunner
from tests.conftest import make_id
from tests.integration.test_http_sync import _free_port, _wait_for

TOWNSHIP = "622923105000"


@pytest.fixture(scope="module")
def county(pg_cluster: Any, county_template: str) -> Iterator[tuple[str, str]]:
    """(server URL, database URL) of one county server for the module."""
    name = "bg_sync_county"
    url = pg_cluster.create_database(name, template=county_template)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from app.cli.county import main; sys.exit(main())",
         "serve", "--database", url, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    server = f"http://127.0.0.1:{port}"
    _wait_for(server, proc)
    yield server, url
    proc.terminate()
    proc.wait(timeout=10)
    pg_cluster.drop_database(name)


def _code(county: tuple[str, str], scope: str) -> str:
    with db.connect(county[1], autocommit=True) as conn:
        return Store(conn).issue_code(scope)


def _clinic(tmp_path: Path, name: str, code: str, village_name: str) -> Workspace:
    return Workspace.create(tmp_path / f"{name}.sqlite3", clinic_name=f"{village_name}卫生室",
                            division_code=code, division_name=village_name)


def _household(ws: Workspace, village: str, name: str, seq: str) -> tuple[str, str]:
    hid, _ = ws.households.add(Household(None, village))
    pid, _ = ws.people.add(Person(None, hid, name, id_no=make_id("19700101", seq), relation="户主"))
    return str(hid), str(pid)


def _enrolled(ws: Workspace, county: tuple[str, str]) -> None:
    with HttpCounty(county[0]) as http:
        enrol(ws, http, _code(county, ws.settings.division_code), server_url=county[0])


def _sync(ws: Workspace, county: tuple[str, str]) -> session.Result:
    with HttpCounty(county[0]) as http:
        return session.sync(ws, http)


class GatedCounty(HttpCounty):
    """The real client, whose pull waits at a gate the test opens (the slow link of the test)."""

    def __init__(self, url: str, gate: threading.Event, waiting: threading.Event) -> None:
        super().__init__(url)
        self.gate, self.waiting = gate, waiting

    def pull(self, message: Pull) -> PullReply:
        self.waiting.set()
        assert self.gate.wait(30), "the test never opened the gate"
        return super().pull(message)


# --- background sync in the window ----------------------------------------------------------


def test_the_window_syncs_in_the_background_and_a_save_does_not_wait_for_it(
        qtbot, tmp_path: Path, county: tuple[str, str]) -> None:
    from app.core.paths import Paths
    from app.ui.main_window import MainWindow

    village = "622923104301"
    ours = _clinic(tmp_path, "ours", village, "东风村")
    other = _clinic(tmp_path, "other", village, "东风村")
    user = ours.users.add_first("doctor", "李医生", "village_doctor", "secret123")   # signed in
    _household(ours, village, "本机户主", "011")
    for ws in (ours, other):
        _enrolled(ws, county)
    _household(other, village, "另一台的户主", "013")
    assert not _sync(other, county).refused            # the county now holds a household we lack

    gate, waiting = threading.Event(), threading.Event()
    runner = TaskRunner()
    background = BackgroundSync(ours.path, ours.user, first=0.05,
                                county_factory=lambda url: GatedCounty(url, gate, waiting))
    window = MainWindow(ours, user, runner, Paths(home=tmp_path / "home", logs=tmp_path / "logs"),
                        background=background)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: waiting.is_set(), timeout=10_000)   # started by itself, now waiting
        assert background.running and window.sync_label.text() == "Syncing with the county…"
        window.show_page("sync")
        page = window.sync_page
        qtbot.waitUntil(lambda: page.status is not None)
        assert page.progress.isVisible() and not page.sync_button.isEnabled()
        assert not background.sync_now()                 # one sync at a time: the button waits too

        saved: list[object] = []
        runner.db(lambda: _household(ours, village, "同步时录入", "015"), on_done=saved.append)
        qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
        assert background.running                        # the save finished while the sync waits

        gate.set()
        qtbot.waitUntil(lambda: not background.running, timeout=20_000)
        result = background.state.last_result
        assert result is not None and result.pulled > 0 and not background.state.message
        # The households page was refreshed with what the sync brought in.
        households = window.households
        qtbot.waitUntil(lambda: households.model.rowCount() == 3, timeout=10_000)
        qtbot.waitUntil(lambda: window.sync_label.text().startswith("Last sync: 20"), timeout=10_000)
        assert window.unsynced_label.text() != ""
        assert background.state.next_at is not None and background.started
        assert QApplication.activeModalWidget() is None
    finally:
        gate.set()
        background.stop(timeout=20)
        runner.wait()
        window.close()
        ours.close()
        other.close()


def test_an_unreachable_county_is_said_quietly_with_the_next_try(
        qtbot, tmp_path: Path, county: tuple[str, str]) -> None:
    from app.ui.pages.sync import SyncPage

    village = "622923104302"
    ws = _clinic(tmp_path, "far", village, "红星村")
    _enrolled(ws, county)
    dead = f"http://127.0.0.1:{_free_port()}"            # nothing listens there
    runner = TaskRunner()
    background = BackgroundSync(ws.path, ws.user, retry=90,
                                county_factory=lambda _url: HttpCounty(dead, retries=0))
    page = SyncPage(ws, runner, service=background)
    qtbot.addWidget(page)
    page.show()
    try:
        qtbot.waitUntil(lambda: page.status is not None and page.sync_button.isEnabled())
        page.sync_now()
        qtbot.waitUntil(lambda: not background.running and background.state.unreachable, timeout=20_000)
        state = background.state
        assert state.next_at is not None and background.started     # it tries again by itself
        assert page.connection_label.text() == (
            f"County server cannot be reached; trying again at {state.next_at:%H:%M}")
        assert "无法连接县里的服务器" in page.result_label.text()       # the client's own words
        assert QApplication.activeModalWidget() is None
    finally:
        background.stop()
        runner.wait()
        ws.close()


# --- a household moved to another village -------------------------------------------------


def test_a_household_moved_to_another_village_leaves_with_a_notice_and_its_edits_stay(
        qtbot, tmp_path: Path, county: tuple[str, str]) -> None:
    from app.ui.pages.households import HouseholdsPage
    from app.ui.pages.sync import SyncPage

    old, new = TOWNSHIP[:9] + "201", TOWNSHIP[:9] + "202"
    a = _clinic(tmp_path, "a", old, "前进村")
    b = _clinic(tmp_path, "b", new, "胜利村")
    town = _clinic(tmp_path, "town", TOWNSHIP, "光明镇")
    for ws in (a, b, town):
        _enrolled(ws, county)
    hid, pid = _household(a, old, "王大山", "021")
    stays, _ = _household(a, old, "赵小河", "023")
    for ws in (a, b, town):
        assert not _sync(ws, county).refused
    # The township centre moves the household to the next village, and says so to the county.
    moved = dataclasses.replace(town.households.get(hid), village_code=new)
    town.households.update(moved)
    assert not _sync(town, county).refused
    # Meanwhile the old village's doctor corrected the head's phone number.
    head = a.people.get(pid)
    a.people.update(dataclasses.replace(head, phone="13900001111"))
    assert a.sync.unsynced() > 0

    result = _sync(a, county)
    assert len(result.refused) == 1 and "不在本机的范围" in result.refused[0]
    notices = a.sync.moved_out()
    assert [(m.household_id, m.village, m.village_name, m.head, m.pending) for m in notices] == [
        (hid, new, "胜利村", "王大山", 1)]
    assert a.sync.moved_out(stays) == []
    assert a.people.get(pid).phone == "13900001111"          # the edit is kept here…
    assert a.sync.pending_fields("people", pid) != []         # …and still waits in the outbox
    assert a.sync.conflicts() == []                           # a notice, not a conflict to resolve
    again = _sync(a, county)
    assert a.sync.moved_out()[0].pending == 1 and len(again.refused) == 1   # never dropped

    assert not _sync(b, county).refused                       # the new village has it now
    assert b.households.get(hid).village_code == new
    assert b.people.get(pid).name == "王大山"
    assert b.sync.moved_out() == [] and town.sync.moved_out() == []

    runner = TaskRunner()
    sync_page = SyncPage(a, runner)
    households = HouseholdsPage(a, runner)
    for w in (sync_page, households):
        qtbot.addWidget(w)
        w.show()
    try:
        qtbot.waitUntil(lambda: sync_page.status is not None)
        text = sync_page.moved_label.text()
        assert sync_page.moved_label.isVisible()
        assert "household of 王大山: this household has moved to 胜利村" in text
        assert "1 changes made here were not taken by the county" in text
        households.select_household(hid)
        qtbot.waitUntil(lambda: households.detail is not None and households.detail.household.id == hid)
        assert households.moved_label.isVisible()
        assert "胜利村" in households.moved_label.text()
        assert not households.edit_button.isEnabled()
        households.select_household(stays)
        qtbot.waitUntil(lambda: households.detail is not None and households.detail.household.id == stays)
        assert not households.moved_label.isVisible() and households.edit_button.isEnabled()
    finally:
        runner.wait()
        for ws in (a, b, town):
            ws.close()


# --- enrolling again ------------------------------------------------------------------------


def test_enroll_on_an_enrolled_pc_is_refused_in_one_line_unless_forced(
        tmp_path: Path, county: tuple[str, str]) -> None:
    from tests.faults.cli import run

    village, admin = "622923104303", ("admin", "Secret-pass-1")
    home = tmp_path / "pc"
    r = run(home, "init", "--clinic", "前锋村卫生室", "--division", village, "--village-name", "前锋村",
            "--user", admin[0], "--role", "township_admin", "--password", admin[1], user=None)
    assert r.code == 0, r.err
    r = run(home, "enroll", "--server", county[0], "--code", _code(county, village), user=admin)
    assert r.code == 0, r.err              # changes made before enrolling (init's) are no reason to stop
    r = run(home, "sync", "status", "--json", user=admin)
    unsynced = json.loads(r.out)["unsynced"]
    assert unsynced > 0

    code = _code(county, village)
    again = run(home, "enroll", "--server", county[0], "--code", code, user=admin)
    assert again.code != 0 and again.out == ""
    assert len(again.err.strip().splitlines()) == 1
    assert "本机已在县里注册" in again.err and f"还有 {unsynced} 条修改尚未同步" in again.err
    assert "--force" in again.err
    with db.connect(county[1], autocommit=True) as conn:   # the code was not spent
        assert conn.execute("SELECT used_by FROM enrolment_codes WHERE used_by IS NOT NULL"
                            " AND code_hash = %s", (code_hash(code),)).fetchone() is None
    synced = run(home, "sync", "--json", user=admin)
    assert synced.code == 0 and json.loads(synced.out)["moved_out"] == []
    # Past the question, the county itself knows this installation already (one instance is
    # enrolled once per county; `--force` is for a PC moving to another county's server).
    forced = run(home, "enroll", "--server", county[0], "--code", code, "--force", user=admin)
    assert forced.code != 0 and "已经注册过" in forced.err and "--force" not in forced.err


def test_enrolling_again_with_force_keeps_the_unsynced_changes(
        tmp_path: Path, county: tuple[str, str], pg_cluster: Any, county_template: str) -> None:
    from app.core.errors import ConflictError

    village = "622923104304"
    ws = _clinic(tmp_path, "again", village, "新华村")
    _household(ws, village, "孙一", "031")
    _enrolled(ws, county)
    assert not _sync(ws, county).refused and ws.sync.unsynced() == 0
    with ws.transaction():
        ws.sync.set_pull_cursor("777:42")             # where the first county's pulls had got to
    _household(ws, village, "孙二", "033")
    pending = ws.sync.unsynced()
    assert pending > 0
    url = pg_cluster.create_database("bg_second_county", template=county_template)
    try:
        with db.connect(url, autocommit=True) as conn:
            store = Store(conn)
            with pytest.raises(ConflictError):
                enrol(ws, store, store.issue_code(village), server_url="http://second.county")
            enrol(ws, store, store.issue_code(village), server_url="http://second.county", replace=True)
            me = ws.sync.identity()
            assert me is not None and me.server_url == "http://second.county"
            assert ws.sync.unsynced() == pending and ws.sync.pull_cursor() == ""
            result = session.sync(ws, store)
            assert result.pushed > 0 and not result.refused and ws.sync.unsynced() == 0
    finally:
        ws.close()
        pg_cluster.drop_database("bg_second_county")
