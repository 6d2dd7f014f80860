"""A restore over an enrolled PC says how many changes have not reached the county and that the
restored data must enrol again; the window's background sync stops for the restore and does not
sync the restored file before it has enrolled."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.core.households import Household
from app.storage.backup import list_backups, make_backup
from app.storage.syncing import Identity
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE


def _enrolled(ws: Workspace) -> None:
    """An enrolment as `cunyi enroll` keeps it (no county needed: nothing is sent here)."""
    with ws.transaction():
        ws.sync.set_identity(Identity(ws.instance_id, "http://county.test:8470", VILLAGE, 1, b"k" * 32,
                                      b"p" * 32, b"cert", b"c" * 32, "2026-03-01T08:00:00Z"))


def test_a_restore_over_an_enrolled_pc_names_its_unsynced_changes(qtbot, runner, paths, monkeypatch):
    from app.ui.main_window import MainWindow

    ws = Workspace.create(paths.database, clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村")
    user = ws.users.add_first("admin", "管理员", "township_admin", "Secret-pass-1")
    _enrolled(ws)
    make_backup(ws, paths.backups)
    ws.households.add(Household(id=None, village_code=VILLAGE, address="备份后加的"))
    pending = ws.sync.unsynced()
    assert pending > 0
    window = MainWindow(ws, user, runner, paths)
    qtbot.addWidget(window)
    window.show()
    try:
        page = window.show_page("settings")
        qtbot.waitUntil(lambda: page.backups_table.rowCount() == 1, timeout=10_000)
        qtbot.waitUntil(lambda: window.background.started)        # enrolled: syncs are scheduled
        asked: list[str] = []
        answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

        def answer(parent, title, text, *args):  # type: ignore[no-untyped-def]
            asked.append(text)
            return answers[len(asked) - 1]

        monkeypatch.setattr(QMessageBox, "question", answer)
        page.backups_table.selectRow(0)
        page.restore_button.click()
        assert f"enrolled with the county and {pending} changes have not reached" in asked[0] \
            or f"{pending} 条修改" in asked[0]
        assert window.ws.households.ids() != []                   # "No" restored nothing

        page.restore_button.click()
        qtbot.waitUntil(lambda: window.settings_page is not page, timeout=10_000)
        assert window.ws.households.ids() == []
        assert list_backups(paths.backups)[0].path.exists()
        assert "enrol it with the county again" in asked[0] or "重新注册" in asked[0]
        # The restored file is a new installation (app.storage.backup): it must enrol again, so
        # nothing is synced from it until it has; the 数据同步 page says so.
        assert window.ws.sync.identity() is None and window.ws.sync.enrolled_elsewhere()
        qtbot.waitUntil(lambda: window.sync_label.text() == "", timeout=10_000)
        assert not window.background.started
        sync_page = window.show_page("sync")
        assert sync_page is window.sync_page and sync_page.ws is window.ws
        qtbot.waitUntil(lambda: sync_page.status is not None and sync_page.status.copied, timeout=10_000)
    finally:
        window.background.stop()
        runner.wait()
        window.ws.close()
