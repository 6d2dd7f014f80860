"""The wheel scrolls a form; a dropdown under the pointer changes only when it has the focus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from app.core.people import Person
from app.ui.dialogs.person_dialog import PersonDialog
from app.ui.wheel_guard import WheelGuard, install_wheel_guard


@pytest.fixture
def guard(qapp: QApplication) -> Iterator[WheelGuard]:
    """The guard as make_application() installs it, removed again after the test."""
    g = install_wheel_guard(qapp)
    yield g
    qapp.removeEventFilter(g)
    g.setParent(None)


def turn_wheel(qtbot, widget: QWidget, notches: int) -> None:  # type: ignore[no-untyped-def]
    """Turn the wheel with the pointer over `widget`, as the window system delivers it."""
    window = widget.window()
    pos = widget.mapTo(window, widget.rect().center())
    for _ in range(abs(notches)):
        QTest.wheelEvent(window.windowHandle(), pos, QPoint(0, -120 if notches > 0 else 120))
        QApplication.processEvents()


def test_scrolling_the_resident_form_over_the_disability_grade_leaves_it_alone(
        qtbot, guard, workspace, runner):  # type: ignore[no-untyped-def]
    dialog = PersonDialog(workspace, runner, Person(id=None, household_id="h", name="张秀兰"))
    qtbot.addWidget(dialog)
    dialog.resize(900, 420)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.form.name.setFocus()
    grade = dialog.form.disability_grade
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None and scroll.verticalScrollBar().maximum() > 0
    scroll.ensureWidgetVisible(grade)
    before_code, before_scroll = grade.code(), scroll.verticalScrollBar().value()
    notches = 2 if before_scroll < scroll.verticalScrollBar().maximum() else -2

    turn_wheel(qtbot, grade, notches)

    assert grade.code() == before_code
    assert not grade.hasFocus()
    assert scroll.verticalScrollBar().value() != before_scroll   # the form scrolled instead

    scroll.ensureWidgetVisible(grade)
    grade.setFocus()
    index = grade.currentIndex()
    turn_wheel(qtbot, grade, 1 if index + 1 < grade.count() else -1)
    assert grade.currentIndex() != index                          # a focused box still takes it


def test_the_station_number_of_the_first_run_wizard_ignores_an_unfocused_wheel(
        qtbot, guard, paths):  # type: ignore[no-untyped-def]
    from app.ui.dialogs.first_run import FirstRunWizard

    wizard = FirstRunWizard(paths)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    page = wizard.clinic_page
    page.clinic_name.setFocus()
    page.station.setValue(3)
    turn_wheel(qtbot, page.station, -2)
    assert page.station.value() == 3
    page.station.setFocus()
    turn_wheel(qtbot, page.station, -1)
    assert page.station.value() == 4
