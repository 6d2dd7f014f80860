"""数据同步: enrol, sync without blocking the window, list the conflicts and resolve one."""

from __future__ import annotations

from pathlib import Path

from app.storage.workspace import Workspace
from app.ui.pages.sync import SyncPage
from app.ui.tasks import TaskRunner
from tests.unit.sync.memory_county import MemoryCounty


def _note(ws: Workspace, pid: str) -> dict:
    return {"id": 7, "server_seq": 99, "kind": "field", "table": "people", "row_id": pid,
            "other_row_id": None, "field": "phone", "partition": ws.settings.division_code,
            "kept": "13911111111", "lost": "13922222222",
            "kept_version": {"instance": "other-pc", "counter": 3},
            "lost_version": {"instance": ws.instance_id, "counter": 5},
            "kept_user": "王医生", "lost_user": "admin", "created_at": "2026-12-01T08:00:00Z"}


def test_enrol_sync_and_resolve_a_conflict_from_the_page(qtbot, workspace: Workspace,
                                                         runner: TaskRunner, tmp_path: Path) -> None:
    from app.core.households import Household
    from app.core.people import Person
    from tests.conftest import VILLAGE, make_id

    workspace.users.add_first("admin", "管理员", "township_admin", "Secret-pass-1")
    hid, _ = workspace.households.add(Household(None, VILLAGE))
    pid, _ = workspace.people.add(Person(None, hid, "张三", id_no=make_id(), relation="户主"))
    county = MemoryCounty()
    page = SyncPage(workspace, runner, county_factory=lambda url: county)
    qtbot.addWidget(page)
    page.resize(1366 - 180, 768 - 80)
    page.show()
    qtbot.waitUntil(lambda: page.status is not None)
    assert not page.status.enrolled and not page.sync_button.isEnabled()

    page.enrol_with("http://county.test:8470", county.issue_code(VILLAGE, 2))
    qtbot.waitUntil(lambda: page.status is not None and page.status.enrolled, timeout=10_000)
    assert page.status.station == 2 and page.status.unsynced > 0
    assert page.sync_button.isEnabled()

    page.sync_now()
    assert page.progress.isVisible()
    qtbot.waitUntil(lambda: not page.syncing and page.status is not None
                    and page.status.unsynced == 0, timeout=20_000)
    assert page.status.last_sync and not page.progress.isVisible()
    assert len(county.rows) >= 3

    with workspace.transaction():
        workspace.sync.put_conflict(_note(workspace, str(pid)))
    page.refresh()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 2).text() == "13922222222"      # this PC's value
    assert page.table.item(0, 3).text() == "13911111111"      # the other side's
    page.grab().save(str(tmp_path / "sync.png"))
    page.table.selectRow(0)
    page.keep_mine.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 0)
    assert workspace.people.get(str(pid)).phone == "13922222222"
    assert workspace.sync.unsent_resolutions() == [(7, "lost", workspace.user)]
