"""A tampered audit log shows a small, clear Chinese warning when the app starts, not a crash."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.storage.engine import open_file
from app.storage.workspace import Workspace
from app.ui import application, i18n
from tests.conftest import VILLAGE


def _tampered(tmp_path: Path) -> Path:
    path = tmp_path / "cunyi.sqlite3"
    with Workspace.create(path, clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村") as ws:
        for i in range(4):
            ws.settings.update(phone=f"0734-{i}")
    conn = open_file(path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = 3")
    conn.commit()
    conn.close()
    return path


def test_start_warns_in_chinese_about_a_tampered_log(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.install_translators(app, "zh_CN")
    try:
        parent = QWidget()
        parent.resize(1000, 700)
        qtbot.addWidget(parent)
        parent.show()
        with Workspace.open(_tampered(tmp_path)) as ws:
            box = application.warn_about_tampering(parent, ws)
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert "审计日志有被篡改的迹象" in box.text()
        assert "第 3 条缺失" in box.informativeText() and "audit_log_no_delete" in box.informativeText()
        assert box.width() <= 1366 and box.height() <= 728
        box.grab().save(str(tmp_path / "tamper_warning.png"))
        if os.environ.get("CUNYI_SHOT"):
            box.grab().save(os.environ["CUNYI_SHOT"])
        box.close()
    finally:
        i18n.install_translators(app, i18n.SOURCE_LANGUAGE)


def test_an_intact_log_shows_nothing(qtbot, workspace):  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    assert application.warn_about_tampering(parent, workspace) is None
