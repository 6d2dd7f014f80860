"""居民档案: the ID is checked as it is typed; edits and diagnoses are saved; errors keep the form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.core.households import Household
from app.core.people import Person
from app.ui.dialogs.person_dialog import PersonForm
from tests.conftest import VILLAGE, make_id
from tests.ui.conftest import type_text


def _person(ws, name: str, id_no: str) -> str:  # type: ignore[no-untyped-def]
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组"))
    pid, _ = ws.people.add(Person(id=None, household_id=hid, name=name, id_no=id_no, relation="户主"))
    return pid


def test_id_typed_with_a_different_sex_and_birth_date_is_flagged(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = PersonForm()
    qtbot.addWidget(form)
    form.load(Person(id=None, household_id=None, name=""))
    form.sex.set_code("1")
    type_text(qtbot, form.birth_date, "1970-01-01")
    type_text(qtbot, form.id_no, make_id("19650312", "002"))  # a woman born 1965-03-12
    assert form.id_status.text().startswith("✓")
    assert "身份证号显示为女" in form.sex_status.text()
    assert "1965-03-12" in form.birth_status.text()
    assert len(form.conflicts()) == 2

    form.sex.set_code("2")
    form.birth_date.clear()
    type_text(qtbot, form.birth_date, "1965-03-12")
    assert form.sex_status.text() == "" and form.birth_status.text() == ""
    assert form.conflicts() == []


def test_id_with_a_wrong_check_digit_shows_the_reason(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = PersonForm()
    qtbot.addWidget(form)
    good = make_id("19650312", "001")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    type_text(qtbot, form.id_no, wrong)
    assert "校验位" in form.id_status.text()
    assert form.sex.code() == ""  # nothing is filled from an ID that is not valid


def test_edit_saved_from_the_page_after_confirming_the_conflict(qtbot, window, workspace, monkeypatch):  # type: ignore[no-untyped-def]
    pid = _person(workspace, "赵秀兰", make_id("19580101", "002"))
    asked: list[str] = []

    def answer(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    page = window.person_page
    type_text(qtbot, page.search, "zxl")
    qtbot.waitUntil(lambda: page.results.count() == 1)
    page.results.setCurrentRow(0)
    qtbot.waitUntil(lambda: page.file is not None)
    page.form.sex.set_code("1")
    page.form.edited.emit()
    type_text(qtbot, page.form.allergies, "青霉素")
    assert page.save_button.isEnabled()
    page.save()
    qtbot.waitUntil(lambda: not page.dirty and page.file is not None and page.file.person.sex == "1")
    assert asked and "身份证号显示为女" in asked[0]
    window.runner.wait()
    assert workspace.people.get(pid).allergies == "青霉素"


def test_a_duplicate_id_is_refused_and_the_form_keeps_what_was_typed(qtbot, window, workspace, monkeypatch):  # type: ignore[no-untyped-def]
    _person(workspace, "孙立军", make_id("19600606", "011"))
    pid = _person(workspace, "周海燕", make_id("19750909", "022"))
    shown: list[BaseException] = []
    monkeypatch.setattr("app.ui.pages.person.show_error", lambda parent, exc: shown.append(exc))
    page = window.person_page
    window.open_person(pid)
    qtbot.waitUntil(lambda: page.file is not None)
    page.form.id_no.clear()
    type_text(qtbot, page.form.id_no, make_id("19600606", "011"))
    type_text(qtbot, page.form.past_history, "胆囊炎")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    page.save()
    qtbot.waitUntil(lambda: bool(shown))
    assert "已登记在 孙立军" in str(shown[0])
    assert page.form.past_history.text() == "胆囊炎"
    assert page.form.id_no.text() == make_id("19600606", "011")


def test_diagnoses_are_added_and_removed(qtbot, window, workspace):  # type: ignore[no-untyped-def]
    pid = _person(workspace, "钱国富", make_id("19550505", "031"))
    page = window.person_page
    window.open_person(pid)
    qtbot.waitUntil(lambda: page.file is not None)
    page.condition.set_code("高血压")
    type_text(qtbot, page.confirmed_on, "2019-04-01")
    type_text(qtbot, page.hospital, "县人民医院")
    page.add_diagnosis()
    qtbot.waitUntil(lambda: page.diagnoses.rowCount() == 1)
    assert page.diagnoses.item(0, 0).text() == "高血压"
    assert workspace.people.diagnoses(pid)[0].confirmed_on == dt.date(2019, 4, 1)
    page.diagnoses.selectRow(0)
    page.remove_diagnosis()
    qtbot.waitUntil(lambda: page.diagnoses.rowCount() == 0)
    window.runner.wait()
    assert workspace.people.diagnoses(pid) == []


def test_last_six_digits_of_an_id_typed_in_the_search_box_show_that_person(qtbot, window, workspace):  # type: ignore[no-untyped-def]
    wanted = make_id("19580101", "002")
    pid = _person(workspace, "赵秀兰", wanted)
    _person(workspace, "孙立军", make_id("19600606", "011"))
    page = window.person_page
    type_text(qtbot, page.search, wanted[-6:])
    qtbot.waitUntil(lambda: page.results.count() == 1)
    item = page.results.item(0)
    assert item.data(Qt.ItemDataRole.UserRole) == pid and item.text().startswith("赵秀兰")


def test_a_provisional_number_is_marked_and_explained_and_a_former_one_finds_the_person(  # type: ignore[no-untyped-def]
        qtbot, window, workspace):
    from app.core.identity import PROVISIONAL_HINT, PROVISIONAL_MARK
    from app.storage.users import SYSTEM_USER
    from app.ui.models.members import MemberTableModel

    pid = _person(workspace, "赵秀兰", make_id("19580101", "002"))
    page = window.person_page
    type_text(qtbot, page.search, "zxl")
    qtbot.waitUntil(lambda: page.results.count() == 1)
    page.results.setCurrentRow(0)
    qtbot.waitUntil(lambda: page.file is not None)
    assert page.title.text() == f"赵秀兰 {VILLAGE}00001{PROVISIONAL_MARK}"
    assert page.title.toolTip() == PROVISIONAL_HINT
    members = MemberTableModel()
    members.set_people(workspace.households.members(str(workspace.people.get(pid).household_id)))
    cell = members.index(0, 5)
    assert members.data(cell) == f"{VILLAGE}00001{PROVISIONAL_MARK}"
    assert members.data(cell, Qt.ItemDataRole.ToolTipRole) == PROVISIONAL_HINT

    window.runner.wait()
    doctor, workspace.user = workspace.user, SYSTEM_USER    # the county's answer, as enrolment enters it
    workspace.record_numbers.confirm(2, by="county")     # renumbered: the old number still finds her
    workspace.user = doctor
    page.search.clear()
    type_text(qtbot, page.search, f"{VILLAGE}00001")
    qtbot.waitUntil(lambda: page.results.count() == 1)
    assert page.results.item(0).data(Qt.ItemDataRole.UserRole) == pid
    members.set_people(workspace.households.members(str(workspace.people.get(pid).household_id)))
    assert members.data(cell) == f"{VILLAGE}10001"
    assert members.data(cell, Qt.ItemDataRole.ToolTipRole) is None
