"""A demo clinic (the village of `cunyi demo`), generated once per test run and copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.core.users import User
from app.storage.workspace import Workspace
from tests.dbfiles import copy_database

_MADE: dict[str, Path] = {}


def demo_workspace(tmp_path: Path, tmp_path_factory) -> tuple[Workspace, User]:  # type: ignore[no-untyped-def]
    """A copy of the demo village database, opened and signed in as the demo doctor."""
    from app import demo

    if "village" not in _MADE:
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        demo.generate(path, size="village", seed=7)
        _MADE["village"] = path
    made = _MADE["village"]
    target = tmp_path / "demo.sqlite3"
    copy_database(made, target)
    if (made.parent / "policies").is_dir():      # the demo county's pack lies next to the file
        shutil.copytree(made.parent / "policies", tmp_path / "policies", dirs_exist_ok=True)
    return Workspace.sign_in(target, *demo.DEMO_USER)


def demo_window(qtbot, ws: Workspace, user: User, runner, paths):  # type: ignore[no-untyped-def]
    """The main window on the demo clinic, with its first queries finished."""
    from app.ui.main_window import MainWindow

    w = MainWindow(ws, user, runner, paths)
    qtbot.addWidget(w, before_close_func=lambda _w: settle(qtbot, runner))
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not w.households.searching and not w.worktable.loading)
    runner.wait()
    return w


def settle(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    """Let queries that answers start (a list refills its filters, which asks again) finish."""
    for _ in range(4):
        runner.wait()
        qtbot.wait(30)

