"""What a first user of the demo clinic noticed: the 工作台's counts, the title, the resident picker."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.dialogs.care_dialogs import PersonPicker
from tests.ui.demo import demo_window, demo_workspace

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def demo(qtbot, tmp_path, tmp_path_factory, runner, paths):  # type: ignore[no-untyped-def]
    ws, user = demo_workspace(tmp_path, tmp_path_factory)
    window = demo_window(qtbot, ws, user, runner, paths)
    yield window
    runner.wait()
    ws.close()


def count_in(text: str) -> int:
    return int(text.rsplit(" ", 1)[1])


def test_the_overdue_chip_counts_what_the_heading_counts(qtbot, demo) -> None:  # type: ignore[no-untyped-def]
    page = demo.worktable
    tasks = page.task_list
    assert tasks is not None
    late = tasks.overdue
    kinds = {line.kind for line in tasks.lines if line.overdue}
    assert late == sum(tasks.overdue_by_kind.values()) and len(kinds) > 1  # not only follow-ups
    assert count_in(page.chips["overdue"].text()) == late
    assert page.summary.text() == f"{tasks.total} tasks, {late} overdue"

    qtbot.mouseClick(page.chips["overdue"], LEFT)
    assert page.model.rowCount() == late
    assert all(line.overdue for line in page.model.lines())

    page.groups.selectRow(1)                        # one village group: both count that group
    group_late = sum(1 for line in page.model.lines() if line.overdue)
    assert count_in(page.chips["overdue"].text()) == group_late == page.model.rowCount()
    assert page.summary.text().endswith(f", {group_late} overdue")


def test_the_window_title_names_the_clinic(qtbot, demo) -> None:  # type: ignore[no-untyped-def]
    clinic = demo.ws.settings.get("clinic_name")
    qtbot.waitUntil(lambda: demo.clinic_label.text() == clinic)
    assert demo.windowTitle() == f"{clinic} — 村医"


def test_typing_in_the_resident_picker_replaces_the_name_it_starts_with(qtbot, demo) -> None:  # type: ignore[no-untyped-def]
    page = demo.show_page("followups")
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() > 0)
    page.table.selectRow(0)
    first = page.chosen()
    assert first is not None
    qtbot.mouseClick(page.general_button, LEFT)
    picker = page.dialog
    assert isinstance(picker, PersonPicker)
    qtbot.waitExposed(picker)
    assert picker.search.text() == first.name
    qtbot.waitUntil(lambda: picker.results.count() > 0)   # the chosen patient is offered at once

    qtbot.keyClicks(picker.search, "wang")
    assert picker.search.text() == "wang"                    # not the old name with "wang" after it
    qtbot.waitUntil(lambda: not picker._timer.isActive())
    picker.reject()

