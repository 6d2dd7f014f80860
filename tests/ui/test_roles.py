"""The settings page offers a village doctor only what they may do; sign-in waits count down."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox

from app.core import sign_in
from app.core.paths import Paths
from app.storage.workspace import Workspace
from app.ui.dialogs.sign_in import SignInDialog
from app.ui.pages.settings import SettingsPage
from app.ui.tasks import TaskRunner

VILLAGE = "522323104201"


@pytest.fixture
def ws(paths: Paths) -> Iterator[Workspace]:
    w = Workspace.create(paths.database, clinic_name="东山村卫生室", division_code=VILLAGE,
                         division_name="东山村")
    w.users.add_first("admin", "县管理员", "county_admin", "secret1")
    w.users.authenticate("admin", "secret1")
    w.users.add("doc", "王医生", "village_doctor", "secret1")
    w.users.add("doc2", "李医生", "village_doctor", "secret1")
    yield w
    w.close()


def _page(qtbot, ws: Workspace, runner: TaskRunner, paths: Paths) -> SettingsPage:  # type: ignore[no-untyped-def]
    users = len(ws.users.list())
    page = SettingsPage(ws, runner, paths)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.users_table.rowCount() == users)
    return page


def _select(page: SettingsPage, username: str) -> None:
    row = next(r for r in range(page.users_table.rowCount())
               if page.users_table.item(r, 0).text() == username)
    page.users_table.selectRow(row)


def test_a_village_doctor_is_not_offered_admin_actions(qtbot, ws: Workspace, runner: TaskRunner,
                                                       paths: Paths) -> None:
    ws.users.authenticate("doc", "secret1")
    page = _page(qtbot, ws, runner, paths)
    assert not page.add_user_button.isEnabled()
    for name in ("admin", "doc2"):
        _select(page, name)
        assert not page.role_button.isEnabled()
        assert not page.password_button.isEnabled()
        assert not page.active_button.isEnabled()
    _select(page, "doc")                                   # themselves: only their password
    assert page.password_button.isEnabled()
    assert not page.role_button.isEnabled() and not page.active_button.isEnabled()
    assert "管理员" in page.users_hint.text() or "administrator" in page.users_hint.text()
    page.grab().save(str(paths.home / "settings-users-doctor.png"))


def test_an_admin_is_offered_the_roles_up_to_their_own(qtbot, ws: Workspace, runner: TaskRunner,
                                                      paths: Paths) -> None:
    township = ws.users.add("town", "乡镇管理员", "township_admin", "secret1")
    ws.users.authenticate("town", "secret1")
    page = _page(qtbot, ws, runner, paths)
    assert page.add_user_button.isEnabled()
    page.open_add_user()
    assert page.user_dialog is not None
    roles = [page.user_dialog.role.itemData(i) for i in range(page.user_dialog.role.count())]
    assert roles == ["village_doctor", "township_admin"]
    page.user_dialog.reject()
    _select(page, "admin")
    assert not page.active_button.isEnabled() and not page.password_button.isEnabled()
    _select(page, "town")
    assert not page.active_button.isEnabled()            # never oneself
    assert township.role == "township_admin"


def test_disabling_asks_first_and_no_keeps_the_user(qtbot, ws: Workspace, runner: TaskRunner,
                                                   paths: Paths, monkeypatch) -> None:
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(parent: object, title: str, text: str, *args: object) -> object:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    page = _page(qtbot, ws, runner, paths)
    _select(page, "doc2")
    page.active_button.click()
    runner.wait()
    assert asked and "李医生" in asked[0]
    assert all(u.active for u in ws.users.list())
    answer[0] = QMessageBox.StandardButton.Yes
    page.active_button.click()
    qtbot.waitUntil(lambda: not next(u for u in ws.users.list() if u.username == "doc2").active)


def test_an_admin_sees_and_lifts_a_lock(qtbot, ws: Workspace, runner: TaskRunner,
                                       paths: Paths) -> None:
    doc = next(u for u in ws.users.list() if u.username == "doc")
    with ws.transaction():
        ws.conn.execute("INSERT INTO sign_in_failures VALUES (?, ?, ?)",
                        (doc.id, sign_in.LOCK_AFTER, ws.clock().isoformat()))
    page = _page(qtbot, ws, runner, paths)
    _select(page, "doc")
    assert page.unlock_button.isVisibleTo(page) and page.unlock_button.isEnabled()
    status = page.users_table.item(page.users_table.currentRow(), 3).text()
    assert "锁定" in status or "Locked" in status
    page.unlock_button.click()
    qtbot.waitUntil(lambda: ws.users.locked() == set())
    assert ws.users.authenticate("doc", "secret1").username == "doc"


def test_the_sign_in_dialog_counts_a_wait_down_without_blocking(qtbot, ws: Workspace) -> None:
    dialog = SignInDialog(ws, username="doc")
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(sign_in.FREE_TRIES):
        dialog.password.setText("wrong-pass")
        dialog.try_sign_in()
    assert not dialog.ok_button.isEnabled()
    assert "1" in dialog.ok_button.text() and dialog.error.text()
    assert dialog.isVisible() and dialog.user is None
    dialog.grab().save(str(ws.path.parent / "sign-in-wait.png"))
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=3000)
    dialog.password.setText("secret1")
    dialog.try_sign_in()
    assert dialog.user is not None and dialog.user.username == "doc"


def test_a_village_doctor_cannot_restore_a_backup(qtbot, ws: Workspace, runner: TaskRunner,
                                                  paths: Paths, monkeypatch) -> None:
    from app.storage.backup import make_backup

    backup = make_backup(ws, paths.backups)
    ws.settings.update(clinic_name="改过的名字")
    ws.users.authenticate("doc", "secret1")
    shown: list[str] = []
    monkeypatch.setattr("app.ui.pages.settings.show_error", lambda parent, exc: shown.append(str(exc)))
    page = _page(qtbot, ws, runner, paths)
    page.restore(backup)
    qtbot.waitUntil(lambda: bool(shown))
    runner.wait()
    assert "村医不能恢复备份" in shown[0]
    assert ws.settings.get("clinic_name") == "改过的名字"          # still open, nothing replaced
