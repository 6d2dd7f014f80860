"""The app backs up on start (and checks hourly) into the folder chosen in settings."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.core.households import Household
from app.storage.backup import list_backups, make_backup
from app.storage.workspace import Workspace
from app.ui.application import schedule_backups
from tests.conftest import VILLAGE
from tests.dbfiles import stray_files


def test_start_up_backup_goes_to_the_settings_folder(qtbot, window, runner, paths, tmp_path):
    folder = tmp_path / "usb-backups"
    window.ws.settings.update(backup_dir=str(folder))
    timer = schedule_backups(window, runner, paths)
    qtbot.waitUntil(lambda: len(list_backups(folder)) == 1, timeout=10_000)
    assert timer.isActive() and timer.interval() == 3_600_000
    timer.timeout.emit()            # an hour later, nothing is due yet
    runner.wait()
    assert len(list_backups(folder)) == 1


def test_the_start_up_backup_shows_in_the_settings_list_without_a_restart(qtbot, window, runner,
                                                                         paths):
    window.show()
    page = window.settings_page
    qtbot.waitUntil(lambda: page.backup_folder.text() == str(paths.backups))
    runner.wait()
    schedule_backups(window, runner, paths)
    qtbot.waitUntil(lambda: page.backups_table.rowCount() == 1, timeout=10_000)
    assert page.backups_table.item(0, 2).text() in ("On start", "启动时")
    assert [b.reason for b in list_backups(paths.backups)] == ["start"]


def test_opening_the_settings_page_lists_backups_made_meanwhile(qtbot, window, runner, paths):
    window.show()
    page = window.settings_page
    qtbot.waitUntil(lambda: page.backup_folder.text() == str(paths.backups))
    runner.wait()
    qtbot.wait(50)
    assert page.backups_table.rowCount() == 0
    make_backup(window.ws, paths.backups)                     # e.g. `cunyi backup` from a script
    window.nav.setCurrentRow(window.stack.indexOf(page))
    qtbot.waitUntil(lambda: page.backups_table.rowCount() == 1, timeout=10_000)


@pytest.fixture
def home_window(qtbot, runner, paths):  # type: ignore[no-untyped-def]
    """The main window on a clinic database kept where `paths` says, as the app has it."""
    from app.ui.main_window import MainWindow

    ws = Workspace.create(paths.database, clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村")
    ws.users.add_first("doctor", "李医生", "village_doctor", "secret123")
    w = MainWindow(ws, ws.users.authenticate("doctor", "secret123"), runner, paths)
    qtbot.addWidget(w)
    yield w
    runner.wait()
    w.ws.close()


def test_a_restore_asks_first_and_then_says_what_it_restored(qtbot, home_window, runner, paths,
                                                             monkeypatch):
    window = home_window
    window.show()
    page = window.settings_page
    window.nav.setCurrentRow(window.stack.indexOf(page))
    page.backup_button.click()
    qtbot.waitUntil(lambda: page.backups_table.rowCount() == 1, timeout=10_000)
    runner.wait()
    backup = list_backups(paths.backups)[0]
    window.ws.households.add(Household(id=None, village_code=VILLAGE, address="后来加的"))
    asked: list[str] = []

    def answer(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    page.backups_table.selectRow(0)
    page.restore_button.click()
    assert asked and backup.created.astimezone().strftime("%Y-%m-%d %H:%M") in asked[0]
    qtbot.waitUntil(lambda: window.settings_page is not page, timeout=10_000)

    box = page.restore_message
    assert box is not None and box.isVisible() and box.parent() is window
    made = backup.created.astimezone().strftime("%Y-%m-%d %H:%M")
    safety = next(b for b in list_backups(paths.backups) if b.reason == "before_restore")
    assert made in box.text() and str(safety.path) in box.text()
    assert ("恢复成功" in box.text()) or ("Restore finished" in box.text())
    assert window.ws.households.ids() == []
    assert stray_files(paths.backups) == []
    qtbot.waitUntil(lambda: window.settings_page.backups_table.rowCount() == 2, timeout=10_000)


def test_restoring_another_clinics_backup_warns_in_the_question(qtbot, home_window, runner, paths,
                                                               monkeypatch, tmp_path):
    window = home_window
    window.show()
    page = window.settings_page
    window.nav.setCurrentRow(window.stack.indexOf(page))
    with Workspace.create(tmp_path / "other.sqlite3", clinic_name="青山村卫生室",
                          division_code="622923104202", division_name="青山村") as other:
        make_backup(other, paths.backups)
    page.refresh_backups()
    qtbot.waitUntil(lambda: page.backups_table.rowCount() == 1, timeout=10_000)
    asked: list[str] = []

    def answer(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    page.backups_table.selectRow(0)
    page.restore_button.click()
    assert asked and "622923104202" in asked[0]
    assert ("另一个卫生室" in asked[0]) or ("another clinic" in asked[0])
    assert window.ws.settings.get("clinic_name") == "红旗村卫生室"
