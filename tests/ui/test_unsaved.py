"""取消 or leaving a page with edits asks first; an unedited form closes without a question."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.core.people import Person
from app.ui import unsaved
from app.ui.dialogs.followup_dialog import FollowUpDialog
from app.ui.dialogs.person_dialog import PersonDialog
from tests.ui.conftest import type_text
from tests.ui.demo import demo_window, demo_workspace

LEFT = Qt.MouseButton.LeftButton
REAL_ASK_DISCARD, REAL_ASK_SAVE = unsaved.ask_discard, unsaved.ask_save   # before conftest's stand-ins


@pytest.fixture(autouse=True)
def real_questions(discard_without_asking, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(unsaved, "ask_discard", REAL_ASK_DISCARD)
    monkeypatch.setattr(unsaved, "ask_save", REAL_ASK_SAVE)


def answer_next_question(button: str) -> list[str]:
    """Press `button` in the next question box that opens; the list receives the box's text."""
    asked: list[str] = []

    def answer(tries: int = 200) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if tries:
                QTimer.singleShot(10, lambda: answer(tries - 1))
            return
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, answer)
    return asked


def cancel(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), LEFT)


def test_cancelling_an_edited_resident_form_asks_and_keep_editing_keeps_the_edit(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    dialog = PersonDialog(workspace, runner, Person(id=None, household_id="h", name="张秀兰"))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.form.phone.setFocus()
    qtbot.keyClicks(dialog.form.phone, "13909301234")

    asked = answer_next_question("Keep editing")
    cancel(qtbot, dialog)
    assert asked and "not been saved" in asked[0]
    assert dialog.isVisible() and dialog.form.phone.text() == "13909301234"

    asked = answer_next_question("Discard changes")
    cancel(qtbot, dialog)
    assert asked and not dialog.isVisible()
    assert dialog.result() == PersonDialog.DialogCode.Rejected


def test_an_unedited_resident_form_closes_without_a_question(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    dialog = PersonDialog(workspace, runner, Person(id=None, household_id="h", name="张秀兰"))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.form.phone.setFocus()
    qtbot.keyClicks(dialog.form.phone, "1")
    qtbot.keyClick(dialog.form.phone, Qt.Key.Key_Backspace)     # typed and taken back: no edit
    asked = answer_next_question("Keep editing")
    cancel(qtbot, dialog)
    assert not dialog.isVisible() and asked == []


@pytest.fixture
def demo(qtbot, tmp_path, tmp_path_factory, runner, paths):  # type: ignore[no-untyped-def]
    ws, user = demo_workspace(tmp_path, tmp_path_factory)
    window = demo_window(qtbot, ws, user, runner, paths)
    yield window
    runner.wait()
    ws.close()


def a_patient(ws) -> str:  # type: ignore[no-untyped-def]
    return str(ws.conn.execute("SELECT person_id FROM diagnoses WHERE condition = '高血压' "
                               "AND NOT deleted LIMIT 1").fetchone()[0])


def test_cancelling_an_edited_follow_up_asks_and_an_unedited_one_just_closes(qtbot, demo, runner):  # type: ignore[no-untyped-def]
    pid = a_patient(demo.ws)
    dialog = FollowUpDialog(demo.ws, runner, pid, doctor="演示村医", parent=demo)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.form is not None)
    asked = answer_next_question("Keep editing")
    cancel(qtbot, dialog)
    assert asked == [] and not dialog.isVisible()

    dialog = FollowUpDialog(demo.ws, runner, pid, doctor="演示村医", parent=demo)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.form is not None)
    qtbot.wait(50)                                              # the suggestion has arrived
    dialog.form.sbp.setFocus()
    qtbot.keyClicks(dialog.form.sbp, "152")
    asked = answer_next_question("Keep editing")
    cancel(qtbot, dialog)
    assert asked and dialog.isVisible() and dialog.form.sbp.text() == "152"
    asked = answer_next_question("Discard changes")
    dialog.close()                                              # the window's close button
    assert asked and not dialog.isVisible()


def test_leaving_an_edited_resident_file_asks_to_save_discard_or_stay(qtbot, demo) -> None:  # type: ignore[no-untyped-def]
    w = demo
    pid = a_patient(w.ws)
    w.open_person(pid)
    page = w.person_page
    qtbot.waitUntil(lambda: page.file is not None)
    type_text(qtbot, page.form.phone, "13800001111")
    assert page.dirty

    asked = answer_next_question("Cancel")
    w.nav.setCurrentRow(w.page_names.index("households"))      # clicking 家庭档案 on the left
    assert asked and w.current_page_name() == "person"
    assert w.nav.currentRow() == w.page_names.index("person")
    assert page.form.phone.text().endswith("13800001111")

    asked = answer_next_question("Discard changes")
    w.nav.setCurrentRow(w.page_names.index("households"))
    assert asked and w.current_page_name() == "households"
    assert not page.dirty
    assert page.form.phone.text() == w.ws.people.get(pid).phone      # back to what is stored


def test_closing_a_typed_claim_asks_and_an_untouched_one_just_closes(qtbot, demo, runner) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.demo import settle

    page = demo.show_page("claims")
    dialog = page.new_claim(a_patient(demo.ws))
    qtbot.waitUntil(lambda: dialog.person_id is not None)
    settle(qtbot, runner)
    asked = answer_next_question("Keep editing")
    dialog.close()
    assert asked == [] and not dialog.isVisible()

    dialog = page.new_claim(a_patient(demo.ws))
    qtbot.waitUntil(lambda: dialog.person_id is not None)
    settle(qtbot, runner)
    dialog.form.total.setFocus()
    qtbot.keyClicks(dialog.form.total, "18650")
    asked = answer_next_question("Keep editing")
    dialog.close()
    assert asked and dialog.isVisible() and dialog.form.total.text() == "18650"
    asked = answer_next_question("Discard changes")
    dialog.reject()
    assert asked and not dialog.isVisible()
