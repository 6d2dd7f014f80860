"""Importing a messy county poor-household list into a real clinic database, and exporting it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from app.core.errors import ImportFileError
from app.core.identity import id_check_char
from app.storage.importer import export_workbook, import_workbook, preview
from app.storage.workspace import Workspace

TODAY = dt.date(2024, 6, 1)
HEADERS = [
    "序号", "户编号（必填）", "所在村", "组别", " 姓  名 ", "与户主的关系", "公民身份号码", "性别",
    "出生年月", "民族", "人编号", "户类型", "致贫原因", "脱贫年度", "帮扶责任人", "联系电话",
    "健康状况", "是否参加城乡居民基本医疗保险",
]


def make_id(birth: str, seq: str, region: str = "622923") -> str:
    body = region + birth + seq
    return body + id_check_char(body)


def id_ending_in_x(birth: str) -> str:
    for n in range(1000):
        number = make_id(birth, f"{n:03d}")
        if number.endswith("X") and int(number[16]) % 2 == 0:
            return number
    raise AssertionError("no ID with check character X")


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


HEAD1 = make_id("19650305", "011")
WIFE1 = id_ending_in_x("19670812")
SON1 = make_id("19900101", "031")
HEAD2_15 = "622923580214031"            # 1958-02-14, male, old 15-digit form
GIRL2 = make_id("20190305", "022")
HEAD3 = make_id("19700707", "051")
HEAD4 = make_id("19751111", "071")
STRANGER = make_id("19800101", "091")
LONELY = make_id("19820202", "082")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = Workspace.create(tmp_path / "c.sqlite3", clinic_name="红旗村卫生室",
                         division_code="622923104201", division_name="红旗村")
    yield w
    w.close()


def township_db(path: Path) -> Workspace:
    """The township centre of 红旗村 and 胜利村: a list of both villages can only be imported
    there, since a village PC writes its own village's households only."""
    w = Workspace.create(path, clinic_name="红旗乡卫生院", division_code="622923104000",
                         division_name="红旗乡")
    w.settings.add_division("622923104201", "红旗村")
    w.settings.add_division("622923104202", "胜利村")
    return w


@pytest.fixture
def township(tmp_path: Path) -> Workspace:
    w = township_db(tmp_path / "t.sqlite3")
    yield w
    w.close()


def row(no, hh, village, group, name, rel, id_no, sex="", birth=None, status=None, causes=None,
        year=None, helper=None, phone=None, health=None, insured=None, person_no=None):
    return [no, hh, village, group, name, rel, id_no, sex, birth, "汉族", person_no, status, causes,
            year, helper, phone, health, insured]


def messy_rows() -> list[list[object]]:
    lost_digits = int(make_id("20000101", "041")[:15] + "000")  # what Excel keeps of a long number
    return [
        # row 4-6: one household, 户编号/村/组/户类型 merged down its three rows
        row(1, "622923104201000001", "红旗村", "一组", "张建国", "户主", HEAD1, "男", "1965.3.5",
            "脱贫户", "因病、缺劳力", 2019, "李帮扶", "13800000001", "长期慢性病", "是", "P001"),
        row(2, None, None, None, "王秀英", " 妻 ", WIFE1.lower(), "女", None, None, None, None,
            None, None, "健康", "是"),
        row(3, None, None, None, " 张 小明 ", "长子", fullwidth(SON1), "男", "1990年1月1日"),
        # row 7-8: village given as its code, 户编号 in full-width digits, an old 15-digit ID,
        # and a birth date stored as an Excel serial number
        row(4, fullwidth("622923104202000002"), "622923104202", "二组", "刘福", "户主", HEAD2_15,
            "男", None, "监测户", "因灾", None, "何帮扶", "13900000002"),
        row(5, fullwidth("622923104202000002"), "622923104202", "二组", "刘丽", "孙女", GIRL2, "女",
            43529),
        # row 9-10: the member's ID was typed into a number cell and lost its last digits
        row(6, "622923104201000003", "红旗村 ", "三组", "陈国强", "户主", HEAD3, status="低保户"),
        row(7, "622923104201000003", "红旗村", "三组", "陈晨", "子", lost_digits),
        # row 11-12: the same person as row 4 turns up again in another household
        row(8, "622923104201000004", "红旗村", "一组", "赵大", "户主", HEAD4, status="贫困户"),
        row(9, "622923104201000004", "红旗村", "一组", "张建国", "父亲", HEAD1),
        # row 13: a village this clinic does not keep files for
        row(10, "622923104203000005", "幸福村", "一组", "孙某", "户主", STRANGER),
        # row 14: a member whose household has no head row and is not in the database
        row(11, "622923104201000006", "红旗村", "四组", "周梅", "配偶", LONELY),
    ]


def write_messy(path: Path, rows: list[list[object]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["某某县某某乡建档立卡贫困户花名册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(["填报单位：红旗村", None, None, None, "填报日期：2024年5月"])
    sheet.append(HEADERS)
    for r in rows if rows is not None else messy_rows():
        sheet.append(r)
    for col in (2, 3, 4, 12, 13, 14, 15, 16):
        sheet.merge_cells(start_row=4, start_column=col, end_row=6, end_column=col)
    sheet.append([])
    sheet.append(["填表人：王医生    审核人：李主任"])
    wb.save(path)
    return path


# This fixture's phone column holds the help person's phone.
HELPER_PHONE = {"帮扶责任人电话": "联系电话"}


def outbox_count(ws: Workspace) -> int:
    return int(ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def household_by_no(ws: Workspace, no: str) -> str:
    return str(ws.conn.execute(
        "SELECT id FROM households WHERE household_no = ?", (no,)).fetchone()[0])


def test_preview_finds_header_below_title_and_guesses_columns(tmp_path: Path) -> None:
    p = preview(write_messy(tmp_path / "list.xlsx"))
    assert p.header_row == 3
    assert p.missing == []
    assert p.mapping["姓名"] == "姓 名"
    assert p.mapping["证件号码"] == "公民身份号码"
    assert p.mapping["户编号"] == "户编号(必填)"
    # A bare phone column next to the help person could be either's: the resident's by default,
    # and reported so that the user can say otherwise.
    assert p.mapping["联系电话"] == "联系电话" and "帮扶责任人电话" not in p.mapping
    assert [(a.header, a.chosen) for a in p.ambiguous] == [("联系电话", "联系电话")]
    assert p.row_count == 12                          # 11 rows and the footer line
    assert p.sample[1]["户编号"] == "622923104201000001"  # merged cell filled down
    chosen = preview(tmp_path / "list.xlsx", mapping=HELPER_PHONE)
    assert chosen.mapping["帮扶责任人电话"] == "联系电话" and chosen.ambiguous == []


def test_messy_list_imports_good_rows_and_reports_bad_ones(township: Workspace, tmp_path: Path) -> None:
    ws = township
    progress: list[tuple[int, int]] = []
    report = import_workbook(ws, write_messy(tmp_path / "list.xlsx"), today=TODAY, mapping=HELPER_PHONE,
                             progress=lambda done, total: progress.append((done, total)))

    assert [p.row_number for p in report.problems] == [10, 12, 13]
    reasons = {p.row_number: p.reason for p in report.problems}
    assert "被存成了数字" in reasons[10]
    assert "第4行" in reasons[12] and "同一个人" in reasons[12]
    assert "幸福村" in reasons[13]
    assert report.problems[1].name == "张建国" and report.problems[1].id_no == HEAD1
    # The member of a household without a head row is kept, the household made, and it is said.
    assert any(w.row_number == 14 and "户主待定" in w.reason for w in report.warnings)
    assert [(s.row_number, "表尾" in s.reason) for s in report.skipped] == [(16, True)]
    assert report.rows_read == 12
    assert report.rows_imported + len(report.problems) + len(report.skipped) == report.rows_read
    assert (report.households_created, report.people_created) == (5, 8)
    assert any(w.row_number == 7 and "15位" in w.reason for w in report.warnings)
    assert progress[-1] == (11, 11)
    assert "新建 5 户" in report.summary()

    h1 = household_by_no(ws, "622923104201000001")
    members = {m.name: m for m in ws.households.members(h1)}
    assert set(members) == {"张建国", "王秀英", "张小明"}
    assert ws.households.get(h1).head_id == members["张建国"].id
    assert members["王秀英"].relation == "配偶"
    assert members["王秀英"].id_no == WIFE1
    assert members["张小明"].id_no == SON1 and members["张小明"].relation == "子"
    assert members["张建国"].birth_date == dt.date(1965, 3, 5)
    assert members["张建国"].person_no == "P001"
    assert members["张建国"].health_state == "长期慢性病"
    assert members["王秀英"].insurance_type == "城乡居民基本医疗保险"
    household = ws.households.get(h1)
    assert (household.poverty_status, household.exit_year) == ("exited", 2019)
    assert household.poverty_causes == ["因病", "缺劳力"]
    assert household.group_name == "一组"
    helper = ws.households.current_help_person(h1)
    assert helper is not None and (helper.name, helper.phone) == ("李帮扶", "13800000001")

    h2 = household_by_no(ws, "622923104202000002")
    assert ws.households.get(h2).village_code == "622923104202"
    girl = next(m for m in ws.households.members(h2) if m.name == "刘丽")
    assert girl.birth_date == dt.date(2019, 3, 5)
    head2 = next(m for m in ws.households.members(h2) if m.name == "刘福")
    assert head2.id_no == "62292319580214031" + id_check_char("62292319580214031")

    h3 = household_by_no(ws, "622923104201000003")
    assert [m.name for m in ws.households.members(h3)] == ["陈国强"]
    assert ws.households.get(h3).poverty_status == "dibao"
    assert ws.people.count() == 8


def test_report_workbook_lists_every_bad_row(township: Workspace, tmp_path: Path) -> None:
    ws = township
    report = import_workbook(ws, write_messy(tmp_path / "list.xlsx"), today=TODAY)
    out = tmp_path / "report.xlsx"
    report.write_xlsx(out)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("行号", "姓名", "证件号码", "问题")
    assert [r[0] for r in rows[2:]] == [10, 12, 13]
    assert rows[3][2] == HEAD1 and isinstance(rows[3][2], str)


def test_reimporting_the_same_file_changes_nothing(township: Workspace, tmp_path: Path) -> None:
    ws = township
    path = write_messy(tmp_path / "list.xlsx")
    import_workbook(ws, path, today=TODAY)
    before = outbox_count(ws)
    again = import_workbook(ws, path, today=TODAY)
    assert outbox_count(ws) == before
    assert (again.people_created, again.people_updated, again.people_unchanged) == (0, 0, 8)
    assert (again.households_created, again.households_updated) == (0, 0)
    assert ws.people.count() == 8


def test_updated_list_updates_people_in_place(township: Workspace, tmp_path: Path) -> None:
    ws = township
    import_workbook(ws, write_messy(tmp_path / "list.xlsx"), today=TODAY)
    rows = messy_rows()
    rows[1][16] = "患有大病"                      # 王秀英's health
    rows[5][11] = "脱贫户"                        # 陈国强's household left poverty
    rows[5][13] = 2023
    rows.insert(3, row(12, "622923104201000001", "红旗村", "一组", "张新", "孙子",
                       make_id("20200202", "015")))
    before = outbox_count(ws)
    report = import_workbook(ws, write_messy(tmp_path / "list2.xlsx", rows), today=TODAY)
    assert outbox_count(ws) > before
    assert report.people_created == 1 and report.people_updated == 1
    assert ws.people.count() == 9
    h1 = household_by_no(ws, "622923104201000001")
    wife = next(m for m in ws.households.members(h1) if m.name == "王秀英")
    assert wife.health_state == "患有大病"
    assert "张新" in {m.name for m in ws.households.members(h1)}
    h3 = ws.households.get(household_by_no(ws, "622923104201000003"))
    assert (h3.poverty_status, h3.exit_year) == ("exited", 2023)
    assert [e["status"] for e in ws.households.poverty_history(str(h3.id))] == ["dibao", "exited"]


def test_export_then_import_is_stable(township: Workspace, tmp_path: Path) -> None:
    ws = township
    import_workbook(ws, write_messy(tmp_path / "list.xlsx"), today=TODAY)
    exported = tmp_path / "export.xlsx"
    assert export_workbook(ws, exported) == 8
    sheet = openpyxl.load_workbook(exported).worksheets[0]
    cells = list(sheet.iter_rows(values_only=True))
    assert "花名册" in str(cells[0][0])
    assert cells[1][:3] == ("序号", "所在村", "村民小组")
    ids = [r[cells[1].index("证件号码")] for r in cells[2:]]
    assert WIFE1 in ids and all(isinstance(i, str) and len(i) == 18 for i in ids)

    before = outbox_count(ws)
    report = import_workbook(ws, exported, today=TODAY)
    assert report.problems == []
    assert outbox_count(ws) == before
    assert report.people_unchanged == 8

    with township_db(tmp_path / "other.sqlite3") as other:
        fresh = import_workbook(other, exported, today=TODAY)
        assert fresh.problems == [] and fresh.people_created == 8
        again = tmp_path / "again.xlsx"
        export_workbook(other, again)
    first = [r for r in cells[1:]]
    second = list(openpyxl.load_workbook(again).worksheets[0].iter_rows(values_only=True))[1:]
    assert second == first


def test_user_mapping_fixes_an_unrecognised_column(ws: Workspace, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["成员名单", "身份证", "与户主关系", "户编号"])
    sheet.append(["吴一", make_id("19600101", "111"), "户主", "H1"])
    wb.save(tmp_path / "odd.xlsx")
    with pytest.raises(ImportFileError, match="姓名"):
        import_workbook(ws, tmp_path / "odd.xlsx", today=TODAY)
    report = import_workbook(ws, tmp_path / "odd.xlsx", mapping={"姓名": "成员名单"}, today=TODAY)
    assert report.people_created == 1 and report.problems == []


def test_file_that_is_not_a_workbook_is_refused(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "list.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(ImportFileError, match="xlsx"):
        import_workbook(ws, bad)


def test_two_row_header_names_sub_columns_after_their_parent(ws: Workspace, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["户编号", "姓名", "与户主关系", "身份证号", "帮扶责任人", None])
    sheet.append([None, None, None, None, "姓名", "联系电话"])
    for col in range(1, 5):
        sheet.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    sheet.merge_cells("E1:F1")
    sheet.append(["H9", "钱一", "户主", make_id("19600101", "131"), "孙帮扶", 13700000009])
    wb.save(tmp_path / "two.xlsx")

    p = preview(tmp_path / "two.xlsx")
    assert p.header_row == 2
    assert p.mapping["帮扶责任人"] == "帮扶责任人姓名"
    assert p.mapping["帮扶责任人电话"] == "帮扶责任人联系电话"
    report = import_workbook(ws, tmp_path / "two.xlsx", today=TODAY)
    assert report.problems == [] and report.people_created == 1
    hid = household_by_no(ws, "H9")
    helper = ws.households.current_help_person(hid)
    assert helper is not None and (helper.name, helper.phone) == ("孙帮扶", "13700000009")
