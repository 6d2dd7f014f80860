"""数据同步 → 冲突: a possible duplicate person shows both files side by side and is merged into
the file the doctor keeps, after which the conflict leaves the list."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from app.core import chains
from app.core.followups import FollowUp
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.workspace import Workspace
from app.ui.pages.sync import SyncPage
from app.ui.tasks import TaskRunner
from tests.conftest import VILLAGE, make_id

SHARED = make_id("19900909", "998")
TODAY = dt.date(2026, 3, 20)


def _twice(ws: Workspace) -> tuple[str, str]:
    """李小红 on file twice, the second file (in another household) with a visit; the county's
    conflict 41 names both."""
    ws.users.add_first("doctor", "李医生", "village_doctor", "Secret-pass-1")
    ws.user = "doctor"
    ids = []
    for n, head in ((1, "李大山"), (2, "王强")):
        hid, _ = ws.households.add(Household(None, VILLAGE, household_no=f"H00{n}", address=f"红旗村{n}组"))
        ws.people.add(Person(None, hid, head, relation="户主", id_no=make_id("19600101", f"0{n}1")))
        pid, _ = ws.people.add(Person(None, hid, "李小红", relation="女" if n == 1 else "儿媳",
                                      id_no=SHARED if n == 1 else ""))
        ids.append(str(pid))
    a, b = sorted(ids)
    with ws.transaction():
        ws.tracker.update("people", ids[1], {"id_no": SHARED})
        ws.sync.put_conflict({"id": 41, "server_seq": 9, "kind": chains.DUPLICATE_PERSON, "table": "people",
                              "row_id": a, "other_row_id": b, "field": None, "partition": VILLAGE,
                              "kept": None, "lost": None, "created_at": "2026-03-01T00:00:00Z"})
    ws.people.add_diagnosis(Diagnosis(None, ids[1], "高血压"))
    ws.care.add_followup(FollowUp(None, ids[1], "高血压", TODAY, sbp=130, dbp=80), today=TODAY)
    return ids[0], ids[1]


def test_a_possible_duplicate_is_merged_into_the_file_kept_from_the_conflicts_list(
        qtbot, workspace: Workspace, runner: TaskRunner, tmp_path: Path) -> None:
    kept, other = _twice(workspace)
    page = SyncPage(workspace, runner)
    qtbot.addWidget(page)
    page.resize(1366 - 180, 768 - 80)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert "62292310420100002" in page.table.item(0, 2).text() + page.table.item(0, 3).text()
    assert "1 visits" in page.table.item(0, 2).text() + page.table.item(0, 3).text()
    page.table.selectRow(0)
    assert page.merge_button.isEnabled() and not page.keep_mine.isEnabled()

    page.merge_button.click()
    qtbot.waitUntil(lambda: page.merge_dialog is not None and page.merge_dialog.isVisible())
    dialog = page.merge_dialog
    assert not dialog.merge_button.isEnabled()           # nothing happens before a file is chosen
    index = [s.id for s in dialog.sides].index(kept)
    dialog.choose(index)
    assert "visits 1" in dialog.summary.text() and "diagnoses 1" in dialog.summary.text()
    dialog.resize(dialog.sizeHint().expandedTo(dialog.size()))
    shot = Path(os.environ.get("CUNYI_SHOTS", tmp_path)) / "merge_dialog.png"
    dialog.grab().save(str(shot))
    assert dialog.width() <= 1366 and dialog.height() <= 768

    with qtbot.waitSignal(page.changed, timeout=10_000):
        dialog.merge_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 0)
    assert not dialog.isVisible()
    assert [f.person_id for f in workspace.care.followups(kept)] == [kept]
    assert workspace.conn.execute("SELECT merged_into FROM people WHERE id = ?", (other,)).fetchone()[0] == kept
    assert workspace.sync.unsent_resolutions() == [(41, "kept" if kept < other else "lost", "doctor")]
    assert "没有户主" not in page.result_label.text()       # she was no household's head
