"""A damaged database on start: a Chinese message naming the newest good backup, and a restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from app.storage.backup import make_backup
from app.storage.workspace import Workspace
from app.ui import i18n
from app.ui.dialogs import damaged_start
from tests.conftest import VILLAGE
from tests.faults.damage import damage, quick_check


def _damaged_home(paths) -> Path:  # type: ignore[no-untyped-def]
    with Workspace.create(paths.database, clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村") as ws:
        ws.users.add_first("doctor", "李医生", "village_doctor", "secret123")
        good = make_backup(ws, paths.backups)
    damage(paths.database, pages=6)
    return good


def test_a_damaged_database_names_the_good_backup_and_restores_it(qapp, paths, monkeypatch, tmp_path):
    good = _damaged_home(paths)
    had = bool(i18n._installed)
    i18n.install_translators(qapp, "zh_CN")
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        box.show()
        box.adjustSize()
        box.grab().save(str(tmp_path / "damaged.png"))
        assert box.width() <= 1366 and box.height() <= 728
        assert box.button(QMessageBox.StandardButton.Yes).text() == "恢复"
        return QMessageBox.StandardButton.Yes

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", answer)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    try:
        assert damaged_start.offer_restore(paths) is True
    finally:
        i18n.install_translators(qapp, "zh_CN" if had else "en")
    assert "已损坏" in shown[0] and str(good) in shown[0]
    [aside] = paths.home.glob("cunyi.sqlite3.damaged-*")
    assert str(aside) in told[0]
    assert quick_check(paths.database) == "ok"
    with Workspace.open(paths.database) as ws:
        assert [u.username for u in ws.users.list()] == ["doctor"]


def test_closing_the_message_changes_nothing(qapp, paths, monkeypatch):
    _damaged_home(paths)
    before = paths.database.read_bytes()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Close)
    assert damaged_start.offer_restore(paths) is False
    assert paths.database.read_bytes() == before
    assert list(paths.home.glob("cunyi.sqlite3.damaged-*")) == []


def test_a_healthy_database_opens_without_a_question(qapp, paths, monkeypatch):
    Workspace.create(paths.database, clinic_name="红旗村卫生室", division_code=VILLAGE,
                     division_name="红旗村").close()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: (_ for _ in ()).throw(AssertionError(box.text())))
    assert damaged_start.offer_restore(paths) is True
