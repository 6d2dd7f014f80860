"""签约: sign a household in the dialog, find it on the page, filter, renew, dissolve, print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from app.core.contracts import ServiceDelivery, Team, TeamMember
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.printing.samples import sample_agreement, sample_card
from app.storage.workspace import Workspace
from app.ui.dialogs.dissolve_dialog import DissolveDialog, RenewDialog
from app.ui.dialogs.sign_dialog import SignDialog
from app.ui.pages import contracts as contracts_page
from app.ui.pages.contracts import ContractsPage
from app.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.conftest import VILLAGE, make_id
from tests.ui.conftest import type_text

LEFT = Qt.MouseButton.LeftButton
TODAY = dt.date(2024, 12, 20)


def _ok(buttons: QDialogButtonBox):  # type: ignore[no-untyped-def]
    return buttons.button(QDialogButtonBox.StandardButton.Ok)


def _visible(parent, cls):  # type: ignore[no-untyped-def]
    found = [d for d in parent.findChildren(cls) if d.isVisible()]
    assert len(found) == 1
    return found[0]


def _team(ws: Workspace) -> str:
    tid, _ = ws.contracts.add_team(Team(id=None, name="红旗村家庭医生团队", township_code="", members=[
        TeamMember("团队长", "马建国", "13909301234"), TeamMember("乡村医生", "何永福")]))
    return str(tid)


def _household(ws: Workspace, head: str, seq: str, *, poor: bool = False, group: str = "一组",
               spouse: str = "") -> str:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group,
                                        poverty_status="poor" if poor else "general"))
    ws.people.add(Person(id=None, household_id=hid, name=head, id_no=make_id("19600101", seq),
                         relation="户主"))
    if spouse:
        ws.people.add(Person(id=None, household_id=hid, name=spouse,
                             id_no=make_id("19620202", str(int(seq) + 1).zfill(3)), relation="配偶"))
    return hid


def _page(qtbot, ws: Workspace, runner) -> ContractsPage:  # type: ignore[no-untyped-def]
    page = ContractsPage(ws, runner, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.refresh()
    qtbot.waitUntil(lambda: not page.searching)
    return page


def _heads(page: ContractsPage) -> list[str]:
    return sorted(line.head_name for line in page.model.lines())


def _close_message(qtbot, dialog: SignDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.done_box is not None and dialog.done_box.isVisible())
    close = next(b for b in dialog.done_box.buttons() if b is not dialog.print_button)
    qtbot.mouseClick(close, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_signing_a_poor_household_shows_no_personal_fee_and_lists_it(
        qtbot, window, workspace, runner):  # type: ignore[no-untyped-def]
    _team(workspace)
    hid = _household(workspace, "马福贵", "013", poor=True, spouse="马桂英")
    for m in workspace.households.members(hid):  # both hypertensive: the 高血压包 fits both
        workspace.people.add_diagnosis(Diagnosis(None, m.id, "高血压", dt.date(2020, 1, 1)))
    window.households.select_household(hid)
    qtbot.waitUntil(lambda: window.households.detail is not None)
    qtbot.mouseClick(window.households.sign_button, LEFT)
    dialog = _visible(window.households, SignDialog)
    qtbot.waitUntil(lambda: dialog.loaded)
    assert len(dialog.chosen_members()) == 2
    assert all({"JC", "GXY"} <= set(codes) for codes in dialog.grid.choice().values())
    for pid in dialog.chosen_members():  # both are over 65 today: the 老年人包 is ticked too
        dialog.grid.set_ticked(pid, "LNR", False)
    assert dialog.fee_labels["个人"].text() == "0.00"
    assert dialog.fee_labels["财政补助"].text() == "60.00"  # (10 + 20 personal) × 2 people
    assert dialog.fee_labels["total"].text() == "180.00"
    assert dialog.poor_note.isVisible()
    qtbot.mouseClick(_ok(dialog.buttons), LEFT)
    _close_message(qtbot, dialog)

    page = window.contracts_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.searching)
    assert page.model.data(page.model.index(0, 0)) == "马福贵"
    assert page.model.data(page.model.index(0, 3)) == "红旗村家庭医生团队"
    assert page.model.data(page.model.index(0, 4)) == "基础包、高血压包"
    assert page.model.data(page.model.index(0, 6)) == "履约中"
    assert "1" in page.summary.text()


def test_a_general_household_pays_its_personal_share_and_a_team_can_be_made_inline(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    hid = _household(workspace, "王建国", "015")  # born 1960-01-01: 65 on the signing day below
    dialog = SignDialog(workspace, runner, hid, today=dt.date(2025, 1, 2))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    assert dialog.team_form.isVisible() and not _ok(dialog.buttons).isEnabled()
    type_text(qtbot, dialog.team_name, "城关镇一队")
    type_text(qtbot, dialog.leader_name, "马建国")
    qtbot.mouseClick(dialog.add_team_button, LEFT)
    qtbot.waitUntil(lambda: dialog.team.count() == 1)
    pid = dialog.chosen_members()[0]
    assert dialog.grid.is_ticked(pid, "LNR")  # the 老年人包 fits from 65 and is ticked
    assert dialog.fee_labels["个人"].text() == "20.00"
    assert not dialog.poor_note.isVisible()
    assert _ok(dialog.buttons).isEnabled()
    qtbot.mouseClick(_ok(dialog.buttons), LEFT)
    qtbot.waitUntil(lambda: dialog.new_id is not None)
    assert workspace.contracts.get(str(dialog.new_id)).package_codes == ["JC", "LNR"]


def test_expiring_and_unserved_filters_for_a_fixed_day(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    tid = _team(workspace)
    soon = _household(workspace, "张三", "021")
    later = _household(workspace, "李四", "023", group="二组")
    workspace.contracts.sign(soon, tid, ["JC"], dt.date(2024, 1, 10))
    cid, _ = workspace.contracts.sign(later, tid, ["JC"], dt.date(2024, 6, 1))
    person = workspace.households.members(later)[0]
    workspace.contracts.record_service(ServiceDelivery(id=None, contract_id=str(cid), person_id=str(person.id),
                                             service="年度健康体检", delivered_on=dt.date(2024, 7, 1)),
                             today=TODAY)
    page = _page(qtbot, workspace, runner)
    assert _heads(page) == ["张三", "李四"]

    page.expiring.setChecked(True)
    qtbot.waitUntil(lambda: not page.searching)
    assert _heads(page) == ["张三"]
    assert page.model.data(page.model.index(0, 7)) == "20"

    page.expiring.setChecked(False)
    page.unserved.setChecked(True)
    qtbot.waitUntil(lambda: not page.searching)
    assert _heads(page) == ["张三"]

    page.unserved.setChecked(False)
    qtbot.waitUntil(lambda: not page.searching)
    page.group.setCurrentIndex(page.group.findData("二组"))
    qtbot.waitUntil(lambda: not page.searching)
    assert _heads(page) == ["李四"]
    page.group.setCurrentIndex(0)
    type_text(qtbot, page.search, "zs")
    qtbot.waitUntil(lambda: not page.searching and _heads(page) == ["张三"])


def test_renew_and_dissolve_through_their_dialogs(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    tid = _team(workspace)
    a = _household(workspace, "张三", "031")
    b = _household(workspace, "李四", "033")
    workspace.contracts.sign(a, tid, ["JC"], dt.date(2024, 1, 10))
    workspace.contracts.sign(b, tid, ["JC"], dt.date(2024, 6, 1))
    page = _page(qtbot, workspace, runner)

    page.table.selectRow(next(i for i, ln in enumerate(page.model.lines()) if ln.head_name == "张三"))
    qtbot.mouseClick(page.renew_button, LEFT)
    renew = _visible(page, RenewDialog)
    qtbot.mouseClick(_ok(renew.buttons), LEFT)
    qtbot.waitUntil(lambda: not renew.isVisible())
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 3)
    statuses = sorted(ln.status for ln in page.model.lines() if ln.head_name == "张三")
    assert statuses == ["renewed", "signed"]
    renewed = next(ln for ln in page.model.lines() if ln.head_name == "张三" and ln.status == "signed")
    assert renewed.contract.start == dt.date(2025, 1, 10)

    page.table.selectRow(next(i for i, ln in enumerate(page.model.lines()) if ln.head_name == "李四"))
    qtbot.mouseClick(page.dissolve_button, LEFT)
    dissolve = _visible(page, DissolveDialog)
    dissolve.reason.set_code("其他")
    assert not _ok(dissolve.buttons).isEnabled()  # 其他 needs a note
    dissolve.note.setPlainText("户主要求")
    assert _ok(dissolve.buttons).isEnabled()
    qtbot.mouseClick(_ok(dissolve.buttons), LEFT)
    qtbot.waitUntil(lambda: not dissolve.isVisible())
    qtbot.waitUntil(lambda: not page.searching and any(
        ln.status == "dissolved" for ln in page.model.lines()))
    gone = next(ln for ln in page.model.lines() if ln.head_name == "李四")
    assert gone.contract.dissolution_reason == "其他" and gone.contract.dissolved_on == TODAY


@pytest.fixture
def sample_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    """Print the sample documents in place of the real contract data."""
    monkeypatch.setattr(contracts_page, "agreement_item", lambda ws, cid: sample_agreement())
    monkeypatch.setattr(contracts_page, "card_items", lambda ws, hid, today: sample_card())
    monkeypatch.setattr(contracts_page, "batch_items", lambda ws, ids: [sample_agreement()] * 200)


def _signed_page(qtbot, workspace, runner, tmp_path: Path) -> ContractsPage:  # type: ignore[no-untyped-def]
    tid = _team(workspace)
    workspace.contracts.sign(_household(workspace, "张三", "041"), tid, ["JC"], dt.date(2024, 6, 1))
    page = _page(qtbot, workspace, runner)
    page.print_dir = tmp_path / "print"
    page.table.selectRow(0)
    return page


def test_printing_an_agreement_opens_the_preview_with_its_pages(
        qtbot, workspace, runner, tmp_path, sample_sources):  # type: ignore[no-untyped-def]
    page = _signed_page(qtbot, workspace, runner, tmp_path)
    qtbot.mouseClick(page.agreement_button, LEFT)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=10_000)
    preview = page.preview
    assert isinstance(preview, PdfPreviewDialog)
    assert preview.page_count() >= 2
    assert str(preview.page_count()) in preview.page_total.text()
    preview.close()
    qtbot.mouseClick(page.card_button, LEFT)
    qtbot.waitUntil(lambda: page.preview is not preview and page.preview is not None, timeout=10_000)
    assert page.preview.page_count() >= 1


def test_cancelling_a_batch_print_leaves_no_file(qtbot, workspace, runner, tmp_path, sample_sources):  # type: ignore[no-untyped-def]
    page = _signed_page(qtbot, workspace, runner, tmp_path)
    qtbot.mouseClick(page.batch_button, LEFT)
    qtbot.waitUntil(lambda: page.batch_progress is not None, timeout=10_000)
    qtbot.waitUntil(lambda: page.batch_progress.value() >= 1, timeout=10_000)
    cancel = page.batch_progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, LEFT)
    qtbot.waitUntil(lambda: not page.printing, timeout=20_000)
    assert page.preview is None
    assert list(page.print_dir.glob("*.pdf")) == []
    assert page.batch_button.isEnabled()


def test_printing_from_the_real_contract_data(qtbot, workspace, runner, tmp_path):  # type: ignore[no-untyped-def]
    """No sample data: the agreement and the card are built from the database and previewed."""
    page = _signed_page(qtbot, workspace, runner, tmp_path)
    qtbot.mouseClick(page.agreement_button, LEFT)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=10_000)
    first = page.preview
    assert first.page_count() >= 2 and first.page_count() % 2 == 0   # two identical copies
    first.close()
    qtbot.mouseClick(page.card_button, LEFT)
    qtbot.waitUntil(lambda: page.preview is not first and page.preview is not None, timeout=10_000)
    assert page.preview.page_count() == 1


def test_recording_a_service_through_the_dialog_updates_its_counts(qtbot, workspace, runner, tmp_path):  # type: ignore[no-untyped-def]
    page = _signed_page(qtbot, workspace, runner, tmp_path)
    assert page.model.rowCount() == 1
    qtbot.mouseClick(page.progress_button, LEFT)
    qtbot.waitUntil(lambda: page.progress_dialog is not None and page.progress_dialog.isVisible())
    dialog = page.progress_dialog
    dialog.service.setCurrentText("年度健康体检")
    dialog.day.setText("2024-12-01")
    qtbot.mouseClick(dialog.save_button, LEFT)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "年度健康体检")
    qtbot.waitUntil(lambda: dialog.table.item(row, 2).text() == "1")
    contract = workspace.contracts.list(today=TODAY)[0].contract
    assert [d.service for d in workspace.contracts.deliveries(str(contract.id))] == ["年度健康体检"]
    dialog.close()


def _family(ws: Workspace) -> tuple[str, str, str]:
    """A household of a hypertensive adult and a child who is 6 on TODAY."""
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                        poverty_status="general"))
    adult, _ = ws.people.add(Person(id=None, household_id=hid, name="王建军",
                                    id_no=make_id("19700101", "061"), relation="户主"))
    ws.people.add_diagnosis(Diagnosis(None, adult, "高血压", dt.date(2021, 6, 1)))
    child, _ = ws.people.add(Person(id=None, household_id=hid, name="王小宝",
                                    id_no=make_id("20180302", "072"), relation="子"))
    return hid, str(adult), str(child)


def test_the_dialog_ticks_for_each_member_only_what_fits_and_shows_why_not(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    _team(workspace)
    hid, adult, child = _family(workspace)
    dialog = SignDialog(workspace, runner, hid, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    grid = dialog.grid
    assert grid.choice() == {adult: ["JC", "GXY"], child: ["JC", "ET"]}
    assert grid.cell(child, "GXY").text() == "档案中没有高血压诊断"
    assert grid.cell(adult, "ET").text() == "54岁，本包限6岁及以下"
    assert grid.cell(adult, "GXY").text() == "高血压"
    assert not grid.is_ticked(adult, "LNR")
    assert dialog.fee_labels["total"].text() == "160.00"   # 30 + 60, and 30 + 40
    assert dialog.fee_labels["个人"].text() == "20.00"
    assert not dialog.override_note.isVisible()

    grid.set_ticked(child, "GXY", True)                      # the doctor overrides, visibly
    assert dialog.override_note.isVisible()
    assert "王小宝 高血压包（档案中没有高血压诊断）" in dialog.override_note.text()
    assert grid.cell(child, "GXY").text().endswith("档案中没有高血压诊断")
    assert grid.cell(child, "GXY").text() != "档案中没有高血压诊断"
    grid.set_ticked(child, "GXY", False)
    assert not dialog.override_note.isVisible()

    dialog.signed_on.setText("2025-03-02")                   # the child turns 7 that day
    dialog._date_changed()
    assert not grid.is_ticked(child, "ET") and grid.cell(child, "ET").text() == "7岁，本包限6岁及以下"
    dialog.signed_on.setText(TODAY.isoformat())
    dialog._date_changed()
    grid.set_ticked(child, "ET", True)
    assert grid.choice() == {adult: ["JC", "GXY"], child: ["JC", "ET"]}


def test_after_signing_the_dialog_says_so_and_offers_the_agreement(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    _team(workspace)
    hid, adult, child = _family(workspace)
    dialog = SignDialog(workspace, runner, hid, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    qtbot.mouseClick(_ok(dialog.buttons), LEFT)
    qtbot.waitUntil(lambda: dialog.done_box is not None and dialog.done_box.isVisible())
    assert "王建军" in dialog.done_box.text() and "2" in dialog.done_box.text()
    c = workspace.contracts.get(str(dialog.new_id))
    assert c.member_packages == {adult: ["JC", "GXY"], child: ["JC", "ET"]}
    qtbot.mouseClick(dialog.print_button, LEFT)
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.isVisible(), timeout=10_000)
    assert dialog.preview.page_count() >= 2
    assert not dialog.isVisible()
    dialog.preview.close()
