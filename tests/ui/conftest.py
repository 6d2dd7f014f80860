"""UI fixtures: a real clinic database, the database worker, and a main window on them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.paths import Paths
from app.core.users import User
from app.storage.workspace import Workspace
from app.ui.tasks import TaskRunner


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(home=tmp_path / "home", logs=tmp_path / "logs")


@pytest.fixture
def runner(qtbot: object) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.wait()


@pytest.fixture
def doctor(workspace: Workspace) -> User:
    """A signed-in village doctor."""
    workspace.users.add_first("doctor", "李医生", "village_doctor", "secret123")
    return workspace.users.authenticate("doctor", "secret123")


@pytest.fixture
def window(qtbot, workspace: Workspace, doctor: User, runner: TaskRunner, paths: Paths):  # type: ignore[no-untyped-def]
    """The main window on an empty clinic, with its first list query finished."""
    from app.ui.main_window import MainWindow

    w = MainWindow(workspace, doctor, runner, paths)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: not w.households.searching)
    yield w
    runner.wait()


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a line edit as a user would; Chinese arrives through the input method."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture(autouse=True)
def discard_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing an edited form asks 放弃修改？; tests that do not test that question discard, so
    that closing the windows after a test never waits for an answer (test_unsaved asks for real)."""
    from app.ui import unsaved

    monkeypatch.setattr(unsaved, "ask_discard", lambda _parent: True)
    monkeypatch.setattr(unsaved, "ask_save", lambda _parent: unsaved.Answer.DISCARD)


@pytest.fixture
def app_left_as_found():
    """run_gui installs the Chinese translators, a log file and an excepthook: undo them after."""
    import logging
    import sys

    from PySide6.QtWidgets import QApplication

    from app.ui import i18n

    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.install_translators(app, i18n.SOURCE_LANGUAGE)
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    sys.excepthook = hook
