"""报销结算: enter the worked example and watch it settle as you type, save it, a second stay's
year to date, 冲账, the list order, refused input and the printed form."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.core.claims import Claim
from app.core.households import Household
from app.core.people import Person
from app.storage.workspace import Workspace
from app.ui.dialogs.claim_dialog import ClaimDialog
from app.ui.models.claims import BELOW_TARGET
from app.ui.pages.claims import ClaimsPage
from app.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.conftest import VILLAGE, make_id
from tests.ui.conftest import type_text

LEFT = Qt.MouseButton.LeftButton
D = dt.date
TODAY = D(2025, 1, 15)
WORKED = "算例县"  # the county of the shipped worked-example pack (2024)


def _person(ws: Workspace, name: str = "马福贵", *, status: str = "poor", seq: str = "013",
            group: str = "一组") -> str:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group,
                                        poverty_status=status), since=D(2020, 1, 1))
    pid, _ = ws.people.add(Person(id=None, household_id=hid, name=name, id_no=make_id("19570312", seq),
                                  relation="户主"), today=TODAY)
    return str(pid)


def _stay(pid: str, **changes: object) -> Claim:
    c = Claim(person_id=pid, episode="住院", hospital="永靖县人民医院", level="二级", scope="县域内",
              admitted=D(2024, 3, 1), discharged=D(2024, 3, 10), total=Decimal("50000.00"),
              out_of_catalogue=Decimal("3000.00"))
    return replace(c, **changes)  # type: ignore[arg-type]


def _page(qtbot, ws: Workspace, runner, year: int = 2024) -> ClaimsPage:  # type: ignore[no-untyped-def]
    ws.settings.update(policy_county=WORKED)
    page = ClaimsPage(ws, runner, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.set_year(year)
    page.show()
    qtbot.waitUntil(lambda: not page.searching)
    return page


def _fill_stay(qtbot, dialog: ClaimDialog, *, admitted: str = "2024-03-01",  # type: ignore[no-untyped-def]
               discharged: str = "2024-03-10", total: str = "50000.00", outside: str = "3000.00") -> None:
    form = dialog.form
    type_text(qtbot, form.hospital, "永靖县人民医院")
    type_text(qtbot, form.admitted, admitted)
    type_text(qtbot, form.discharged, discharged)
    type_text(qtbot, form.total, total)
    type_text(qtbot, form.out_of_catalogue, outside)


def _settled(qtbot, dialog: ClaimDialog, self_pay: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not dialog.estimating and dialog.panel.value("self_pay") == self_pay)


def test_the_worked_example_settles_as_typed_and_is_saved_into_the_list(qtbot, window, workspace):  # type: ignore[no-untyped-def]
    workspace.settings.update(policy_county=WORKED)
    pid = _person(workspace)
    page = window.claims_page
    window.show()
    window.nav.setCurrentRow(window.stack.indexOf(page))
    qtbot.waitUntil(lambda: not page.searching)
    assert page.model.rowCount() == 0 and page.year.currentData() == dt.date.today().year

    qtbot.mouseClick(page.new_button, LEFT)
    dialog = page.dialog
    assert isinstance(dialog, ClaimDialog) and dialog.isVisible()
    type_text(qtbot, dialog.person_search, "马福贵")
    qtbot.waitUntil(lambda: dialog.person_results.count() == 1)
    dialog.person_results.setCurrentRow(0)
    assert dialog.person_id == pid
    _fill_stay(qtbot, dialog)
    _settled(qtbot, dialog, "4,983.00")
    panel = dialog.panel
    assert [panel.amount(x) for x in ("基本医保", "大病保险", "医疗救助")] == [
        "37,400.00", "2,990.00", "4,627.00"]
    assert (panel.value("reimbursed"), panel.value("ratio")) == ("45,017.00", "90.03%")
    assert "met" in panel.value("target") and "not" not in panel.value("target")
    assert WORKED in panel.pack_label.text() and panel.example_label.isVisible()
    assert "(47,000.00 − 起付线 250.00) × 80% = 37,400.00" in panel.explanation.toPlainText()
    assert "建档立卡" in dialog.person_label.text()

    # The slip's amounts beside the estimate: one typed wrong is flagged, then corrected.
    form = dialog.form
    assert list(form.slip_fields) == ["基本医保", "大病保险", "医疗救助"]
    for name, amount in (("基本医保", "37400.00"), ("大病保险", "2990.00"), ("医疗救助", "4620.00")):
        type_text(qtbot, form.slip_fields[name], amount)
    type_text(qtbot, form.settlement_no, "ZY2024-0311")
    qtbot.waitUntil(lambda: not dialog.estimating and panel.flagged() == ["医疗救助"])
    form.slip_fields["医疗救助"].setText("4627.00")
    type_text(qtbot, form.self_pay, "4983.00")
    qtbot.waitUntil(lambda: not dialog.estimating and panel.amount("个人自付") == "4,983.00"
                    and panel.flagged() == [])

    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 1)
    assert page.year.currentData() == 2024          # the list moved to the claim's year
    assert page.current_id() == str(dialog.new_id)
    line = page.current_line()
    assert line is not None and line.person_name == "马福贵" and line.from_slip
    assert [page.model.data(page.model.index(0, c)) for c in (0, 6, 7, 8, 9)] == [
        "马福贵", "50,000.00", "45,017.00", "4,983.00", "90.03%"]
    assert page.model.data(page.model.index(0, 11)) == "matches"
    assert page.panel.value("self_pay") == "4,983.00"
    stored = workspace.claims.claim(str(dialog.new_id))
    assert dict(stored.paid)["医疗救助"] == Decimal("4627.00") and stored.settlement_no == "ZY2024-0311"


def test_a_second_stay_uses_the_year_to_date_and_reversing_the_first_gives_it_back(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = _person(workspace)
    page = _page(qtbot, workspace, runner)
    first, _ = workspace.claims.add_claim(_stay(pid), today=TODAY)
    page.refresh()
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 1)

    dialog = page.new_claim(pid)
    qtbot.waitUntil(lambda: dialog.person_id == pid)
    _fill_stay(qtbot, dialog, admitted="2024-06-01", discharged="2024-06-05")
    # 大病保险's yearly deductible was taken by the first stay: 9,600 × 65%.
    _settled(qtbot, dialog, "4,008.00")
    assert [dialog.panel.amount(x) for x in ("大病保险", "医疗救助")] == ["6,240.00", "2,352.00"]
    assert "2 claims" in dialog.panel.ytd_label.text()
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 2)
    second = str(dialog.new_id)

    page.select_claim(str(first))
    qtbot.mouseClick(page.reverse_button, LEFT)
    reverse = page.reverse_dialog
    assert reverse is not None and reverse.isVisible() and not reverse.ok.isEnabled()
    type_text(qtbot, reverse.reason, "医院重新结算")
    assert reverse.ok.isEnabled()
    qtbot.mouseClick(reverse.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    qtbot.waitUntil(lambda: not reverse.isVisible())
    qtbot.waitUntil(lambda: not page.searching and page.model.ids() == [second])
    page.select_claim(second)
    assert page.panel.amount("大病保险") == "2,990.00"   # the deductible is back for this stay
    assert workspace.claims.person_year(pid, 2024).claims == 1

    page.show_reversed.setChecked(True)
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 3)
    checks = {page.model.data(page.model.index(r, 11)) for r in range(3)}
    assert {"reversed", "reversal entry"} <= checks


def test_claims_below_the_county_target_come_first_and_are_highlighted(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    poor = _person(workspace)
    # A 监测户 is someone the county's target is for; an ordinary resident (一般户) is not.
    monitored = _person(workspace, "王建国", status="monitored", seq="015", group="二组")
    general = _person(workspace, "李秀英", status="general", seq="024", group="三组")
    page = _page(qtbot, workspace, runner)
    workspace.claims.add_claim(_stay(poor, admitted=D(2024, 9, 1), discharged=D(2024, 9, 9)), today=TODAY)
    workspace.claims.add_claim(_stay(monitored), today=TODAY)
    # The lowest ratio of all, but nobody's target: listed by date, never 未达标.
    workspace.claims.add_claim(_stay(general, admitted=D(2024, 5, 1), discharged=D(2024, 5, 9),
                                     out_of_catalogue=Decimal("20000.00")), today=TODAY)
    page.refresh()
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 3)
    names = [line.person_name for line in page.model.lines()]
    assert names == ["王建国", "马福贵", "李秀英"]     # 王建国: older, but short of the 90% target
    assert page.model.lines()[2].ratio_actual < page.model.lines()[0].ratio_actual
    assert [page.model.data(page.model.index(r, 10)) for r in range(3)] == ["not met", "met", "n/a"]
    assert page.model.data(page.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) == BELOW_TARGET
    assert page.model.data(page.model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert page.model.data(page.model.index(2, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert page.model.data(page.model.index(2, 10), Qt.ItemDataRole.ForegroundRole) is None
    assert "普通人员不适用" in page.model.data(page.model.index(2, 10), Qt.ItemDataRole.ToolTipRole)
    assert "3 claims, 1 of the 2 with a county target below it" in page.summary.text()
    page.table.selectRow(2)
    qtbot.waitUntil(lambda: page.panel.value("target") == "n/a")
    panel = page.panel
    assert "普通人员不适用" in panel.values["target"].toolTip()
    assert ("County target: not applicable (县定目标只针对建档立卡、脱贫户、监测户，普通人员不适用)"
            in panel.explanation.toPlainText())
    # 医疗救助 is only for the poor: its line shows no deductible or ratio, not 分段.
    rescue = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == "医疗救助")
    assert [panel.table.item(rescue, c).text() for c in (2, 3, 4)] == ["—", "—", "0.00"]

    page.below_target.setChecked(True)
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 1)
    assert [x.person_name for x in page.model.lines()] == ["王建国"]
    page.below_target.setChecked(False)
    page.group.setCurrentIndex(page.group.findData("一组"))
    qtbot.waitUntil(lambda: not page.searching and [x.person_name for x in page.model.lines()] == ["马福贵"])
    page.group.setCurrentIndex(0)
    type_text(qtbot, page.search, "wjg")
    qtbot.waitUntil(lambda: not page.searching and [x.person_name for x in page.model.lines()] == ["王建国"])


def test_out_of_catalogue_above_the_total_is_refused_by_its_field_and_nothing_is_saved(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = _person(workspace)
    page = _page(qtbot, workspace, runner)
    dialog = page.new_claim(pid)
    qtbot.waitUntil(lambda: dialog.person_id == pid)
    _fill_stay(qtbot, dialog, total="1000", outside="3000")
    message = "目录外费用 3,000.00 超过医疗总费用 1,000.00"
    qtbot.waitUntil(lambda: not dialog.estimating and dialog.form.error_text("out_of_catalogue") == message)
    assert dialog.form.errors["out_of_catalogue"].isVisible()
    assert dialog.panel.value("self_pay") == "—"
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled() and not dialog.estimating)
    assert dialog.isVisible() and dialog.form.error_text("out_of_catalogue") == message
    assert workspace.claims.claims(include_reversed=True) == []

    # A slip needs the hospital's name; the message stands by that field.
    dialog.form.out_of_catalogue.setText("300")
    dialog.form.hospital.clear()
    _settled(qtbot, dialog, "402.00")
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: dialog.form.error_text("hospital") != "")
    assert "医疗机构" in dialog.form.error_text("hospital") and dialog.isVisible()
    assert workspace.claims.claims(include_reversed=True) == []


def test_an_estimate_writes_nothing_and_prints_marked_as_an_estimate(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = _person(workspace)
    page = _page(qtbot, workspace, runner)
    qtbot.mouseClick(page.estimate_button, LEFT)
    dialog = page.dialog
    assert dialog is not None and dialog.estimate_only and not dialog.form.slip_box.isVisible()
    type_text(qtbot, dialog.person_search, "mfg")
    qtbot.waitUntil(lambda: dialog.person_results.count() == 1)
    dialog.person_results.setCurrentRow(0)
    _fill_stay(qtbot, dialog, admitted="2024-12-20", discharged="2024-12-28")
    _settled(qtbot, dialog, "4,983.00")
    qtbot.waitUntil(lambda: dialog.print_button.isEnabled())
    qtbot.mouseClick(dialog.print_button, LEFT)
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.isVisible(), timeout=10_000)
    assert dialog.preview.page_count() == 1
    dialog.preview.close()
    assert workspace.claims.claims(include_reversed=True) == []
    assert workspace.claims.person_year(pid, 2024).claims == 0


def test_the_settlement_form_of_the_selected_claim_opens_in_the_preview(qtbot, workspace, runner, tmp_path):  # type: ignore[no-untyped-def]
    pid = _person(workspace)
    page = _page(qtbot, workspace, runner)
    page.print_dir = tmp_path / "print"
    workspace.claims.add_claim(_stay(pid, settlement_no="ZY2024-0311"), today=TODAY)
    page.refresh()
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 1)
    page.table.selectRow(0)
    assert page.print_button.isEnabled()
    qtbot.mouseClick(page.print_button, LEFT)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=10_000)
    assert isinstance(page.preview, PdfPreviewDialog) and page.preview.page_count() == 1
    assert "ZY2024-0311" in page.preview.windowTitle()
    assert len(list(page.print_dir.glob("*.pdf"))) == 1
    page.preview.close()


def test_the_demo_shows_not_met_only_for_claims_of_people_a_target_is_for(qtbot, runner, tmp_path):  # type: ignore[no-untyped-def]
    from app import demo

    demo.generate(tmp_path / "demo.sqlite3", size="village", seed=7, today=TODAY)
    ws = Workspace.open(tmp_path / "demo.sqlite3")
    try:
        page = ClaimsPage(ws, runner, today=TODAY)
        qtbot.addWidget(page)
        page.set_year(2024)
        page.refresh()
        qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() > 100, timeout=20_000)
        lines = page.model.lines()
        shown = [page.model.data(page.model.index(r, 10)) for r in range(len(lines))]
        for line, text in zip(lines, shown, strict=True):
            target_people = {c for t in line.settlement.pack.targets for c in t.categories}
            judged = bool(target_people & set(line.categories))
            assert (text in ("met", "not met")) == judged, (line.categories, text)
        ordinary = [r for r, x in enumerate(lines) if x.categories == ("普通",)]
        assert len(ordinary) > len(lines) // 2
        assert all(shown[r] == "n/a" for r in ordinary)
        assert all(page.model.data(page.model.index(r, 0), Qt.ItemDataRole.BackgroundRole) is None
                   for r in ordinary)
        below = shown.count("not met")
        judged_count = below + shown.count("met")
        assert 0 < below <= judged_count < len(lines) // 2
        assert shown[:below] == ["not met"] * below        # those below their target come first
        assert (f"{len(lines)} claims, {below} of the {judged_count} with a county target below it"
                in page.summary.text())
    finally:
        ws.close()


def test_overlapping_county_packs_show_one_line_above_the_claims(qtbot, workspace, runner, tmp_path):  # type: ignore[no-untyped-def]
    from tests.faults.test_policy_overlap import pack

    folder = workspace.claims.policy_dir()
    folder.mkdir(parents=True, exist_ok=True)
    pack(folder, "A.toml", "2024-01-01", "2024-06-30", county=WORKED)
    pack(folder, "B.toml", "2024-06-30", "2024-12-31", county=WORKED)
    workspace.claims.add_claim(_stay(_person(workspace)), today=TODAY)
    page = _page(qtbot, workspace, runner)
    qtbot.waitUntil(lambda: page.pack_note.isVisible())
    assert page.pack_note.text().startswith("A.toml 与 B.toml 的有效期在 2024-06-30 至 2024-06-30 重叠（1天）")
    assert page.model.rowCount() == 1
    page.grab().save(str(tmp_path / "claims-overlap.png"))
