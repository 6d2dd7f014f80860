"""`make run` (`cunyi gui --demo`) signs in as the demo user on the demo database, and only there."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app import demo
from app.core.paths import Paths
from app.storage.workspace import Workspace
from app.ui import application
from app.ui.dialogs.sign_in import SignInDialog
from app.ui.main_window import MainWindow
from tests.dbfiles import copy_database

VILLAGE = "622923104201"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "cunyi.sqlite3"
    demo.generate(path, size="village", seed=7)
    return path


def _home_with(tmp_path: Path, source: Path | None = None) -> Paths:
    paths = Paths(home=tmp_path / "home", logs=tmp_path / "logs")
    paths.home.mkdir(parents=True)
    if source is not None:
        copy_database(source, paths.database)
    return paths


pytestmark = pytest.mark.usefixtures("app_left_as_found")


def _run_gui_and_see(qtbot: Any, paths: Paths) -> dict[str, Any]:
    """Start the app as `cunyi gui --demo` does; report who got signed in or whether it asked."""
    seen: dict[str, Any] = {"asked": False, "user": None}

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, SignInDialog) and widget.isVisible():
                seen["asked"] = True
                widget.reject()
                return
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen["user"] = widget.user.username
                widget.close()
                return
        QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)
    seen["code"] = application.run_gui(paths, demo=True)
    return seen


def test_gui_demo_on_the_demo_database_signs_in_without_asking(qtbot, tmp_path, demo_file):
    seen = _run_gui_and_see(qtbot, _home_with(tmp_path, demo_file))
    assert seen == {"asked": False, "user": "demo", "code": 0}


def test_gui_demo_on_a_real_clinic_still_asks_for_the_password(qtbot, tmp_path):
    paths = _home_with(tmp_path)
    with Workspace.create(paths.database, clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村") as ws:
        ws.users.add_first(*demo.DEMO_USER[:1], "演示村医", "village_doctor", demo.DEMO_USER[1])
    seen = _run_gui_and_see(qtbot, paths)
    assert seen["asked"] and seen["user"] is None


def test_a_demo_database_whose_demo_password_was_changed_asks(qtbot, tmp_path, demo_file,
                                                             monkeypatch):
    paths = _home_with(tmp_path, demo_file)
    ws, user = Workspace.sign_in(paths.database, *demo.DEMO_USER)
    with ws:
        ws.users.update(user.id, password="another-secret")
        assert demo.is_demo_database(ws)
    asked: list[bool] = []
    monkeypatch.setattr(SignInDialog, "exec",
                        lambda self: asked.append(True) or QDialog.DialogCode.Rejected)
    assert application.sign_in(paths, "demo", demo=True) == (None, None)
    assert asked == [True]
