"""The desktop app holds its database from start to exit; a second app on the same file says so and quits."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.paths import Paths
from app.storage import owner
from app.storage.workspace import Workspace
from app.ui import application
from app.ui.dialogs.sign_in import SignInDialog

ROOT = Path(__file__).resolve().parents[2]
VILLAGE = "622923104201"
PROBE = "import sys\nfrom app.storage.owner import held_by_other\nprint(held_by_other(sys.argv[1]))\n"
HOLDER = ("import sys, time\nfrom app.storage import owner\nowner.hold(sys.argv[1])\n"
          "print('held', flush=True)\ntime.sleep(120)\n")


pytestmark = pytest.mark.usefixtures("app_left_as_found")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """A clinic with one user (so the app stops at the sign-in dialog)."""
    p = Paths(home=tmp_path / "home", logs=tmp_path / "logs")
    p.home.mkdir(parents=True)
    with Workspace.create(p.database, clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村") as ws:
        ws.users.add_first("doctor", "王医生", "village_doctor", "secret12")
    return p


def _seen_from_another_process(db: Path) -> str:
    """What another program (a `cunyi restore`) sees: who holds the database, or None."""
    out = subprocess.run([sys.executable, "-c", PROBE, str(db)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_app_holds_its_database_until_it_exits(qtbot: Any, paths: Paths) -> None:
    seen: dict[str, str] = {}

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, SignInDialog) and widget.isVisible():
                seen["while_open"] = _seen_from_another_process(paths.database)
                widget.reject()
                return
        QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)
    assert application.run_gui(paths) == 0
    assert re.fullmatch(rf"进程 {os.getpid()}，\d{{4}}-\d\d-\d\d \d\d:\d\d 起", seen["while_open"])
    assert _seen_from_another_process(paths.database) == "None"     # released at exit


def test_a_second_app_on_the_same_database_says_so_and_quits(qtbot: Any, paths: Paths) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(paths.database)], cwd=ROOT,
                              text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        seen: dict[str, Any] = {"sign_in": False}

        def look() -> None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, SignInDialog) and widget.isVisible():
                    seen["sign_in"] = True
                    widget.reject()
                    return
                if isinstance(widget, QMessageBox) and widget.isVisible():
                    seen["text"] = widget.text()
                    widget.close()
                    return
            QTimer.singleShot(50, look)

        QTimer.singleShot(50, look)
        assert application.run_gui(paths) == 1
        assert not seen["sign_in"]
        assert seen["text"].startswith(f"村医程序已经打开了这个数据库（进程 {holder.pid}，")
        assert "不能再打开第二个村医程序" in seen["text"]
        assert owner.held_by_other(paths.database) is not None     # the first app still has it
    finally:
        holder.kill()
        holder.communicate(timeout=10)
