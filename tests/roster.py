"""One messy county roster (贫困户花名册) as the county sends it, and what importing it must give.

Title rows, merged cells, every spelling of 与户主关系, a household whose head died, a bad head
row, a row with no name, a 合计 row, a footer, members' own phones in a 联系电话 column placed
after 帮扶责任人, a disease column, and 所在村 written 红旗 for the clinic's 红旗村.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from tests.conftest import make_id

HEADERS = ["序号", "所在村", "村民小组", "户编号", "姓名", "与户主关系", "证件号码", "性别", "户类型",
           "致贫原因", "患病情况", "帮扶责任人", "联系电话", "备注"]
FIRST_DATA_ROW = 4


@dataclass
class Person:
    """A row naming a person, and what the file must end up saying about them."""

    name: str
    relation: str           # as written in the roster
    id_no: str
    sex: str
    stored_relation: str    # what the health file keeps
    disease: str = ""
    phone: str = ""


@dataclass
class Roster:
    """What importing the roster must give: who is kept, which rows are listed and why."""

    path: Path
    kept: dict[str, Person] = field(default_factory=dict)
    bad: dict[int, str] = field(default_factory=dict)          # row -> words its reason contains
    skipped: dict[int, str] = field(default_factory=dict)
    headless: dict[str, str] = field(default_factory=dict)     # 户编号 -> who stands in
    hypertensive: set[str] = field(default_factory=set)
    diabetic: set[str] = field(default_factory=set)
    data_rows: int = 0


def _p(name: str, rel: str, birth: str, seq: str, stored: str, disease: str = "",
       phone: str = "") -> Person:
    sex = "男" if int(seq[-1]) % 2 else "女"
    return Person(name, rel, make_id(birth, seq), sex, stored, disease, phone)


HOUSEHOLDS: list[tuple[str, str, list[Person]]] = [
    ("001", "一组", [
        _p("张建国", "户主", "19550305", "011", "户主", "高血压", "13800000101"),
        _p("王秀英", "之妻", "19570812", "022", "配偶", "高血压、2型糖尿病", "13800000102"),
        _p("张小明", "长子", "19800101", "031", "子", "", "13800000103"),
        _p("李梅", "之儿媳", "19820202", "042", "儿媳"),
        _p("张浩", "之孙子", "20050505", "051", "孙子"),
        _p("张婷", "之孙女", "20100606", "062", "孙女"),
        _p("张老汉", "之父", "19300707", "071", "父亲", "高血压,冠心病"),
        _p("赵老太", "之母", "19320808", "082", "母亲", "糖尿病/高血压"),
    ]),
    ("002", "二组", [
        _p("刘福", "本人", "19600214", "091", "户主", "无", "13900000201"),
        _p("刘丽", "次女", "19880305", "102", "女"),
        _p("刘强", "之兄弟姐妹", "19620101", "111", "兄弟"),
        _p("刘芳", "之兄弟姐妹", "19650101", "122", "姐妹"),
        _p("马小军", "之外孙", "20120909", "131", "外孙子"),
        _p("刘小花", "孙", "20150303", "142", "孙女"),
        _p("周燕", "媳", "19900404", "162", "儿媳"),
        _p("刘大海", "之祖父母", "19280404", "171", "祖父"),
    ]),
]
# 003: the head died; two members and no head row.
HEADLESS = [
    _p("陈桂兰", "之妻", "19580909", "182", "配偶", "高血压", "13700000301"),
    _p("陈小宝", "之孙子", "20160101", "191", "孙子"),
]
# 004: the head's ID has a wrong check digit; the members are good.
BAD_HEAD_ID = make_id("19610101", "211")[:17] + ("0" if make_id("19610101", "211")[17] != "0" else "1")
BAD_HEAD_MEMBERS = [
    _p("孙燕", "之女", "19900202", "222", "女", "2型糖尿病"),
    _p("孙小雨", "之外孙女", "20180808", "242", "外孙女"),
]
# 005: a head written 户主, a nephew (其他 in the standard) and a relation nobody uses.
ODD = [
    _p("吴大山", "户主", "19700303", "251", "户主", "高血压病", "13600000501"),
    _p("吴小山", "侄子", "19990909", "271", "其他"),
    _p("吴干儿", "干儿子", "20000101", "291", "其他"),
]


def write_county_roster(path: Path) -> Roster:
    """Write the roster with openpyxl and say what importing it must give."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["某某县某某镇红旗村建档立卡贫困户花名册（2024年）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(["填报单位：红旗村委会", None, None, None, None, None, "单位：户、人"])
    sheet.append(HEADERS)
    roster = Roster(path=path)
    serial = 0

    def add(village: str | None, group: str | None, no: str | None, p: Person | None,
            name: str | None = None, rel: str | None = None, id_no: str | None = None,
            status: str | None = None, note: str | None = None) -> int:
        nonlocal serial
        serial += 1
        row = [serial, village, group, no, name if p is None else p.name,
               rel if p is None else p.relation, id_no if p is None else p.id_no,
               None if p is None else p.sex, status, "因病" if status else None,
               None if p is None else (p.disease or None), "李帮扶" if no else None,
               None if p is None else (p.phone or None), note]
        sheet.append(row)
        return sheet.max_row

    for no, group, people in HOUSEHOLDS:
        top = sheet.max_row + 1
        for i, p in enumerate(people):
            # 村, 组 and 户编号 are merged down the household: only the first row holds them.
            add("红旗" if i == 0 else None, group if i == 0 else None, no if i == 0 else None, p,
                status="脱贫户" if i == 0 else None)
            roster.kept[p.name] = p
        for col in (2, 3, 4, 9, 12):
            sheet.merge_cells(start_row=top, start_column=col, end_row=sheet.max_row, end_column=col)
    for p in HEADLESS:
        add("红旗", "三组", "003", p, status="脱贫户", note="户主已去世")
        roster.kept[p.name] = p
    roster.headless["003"] = HEADLESS[0].name
    head_row = add("红旗", "三组", "004", None, name="孙大成", rel="户主", id_no=BAD_HEAD_ID,
                   status="监测户")
    roster.bad[head_row] = "校验位"
    for p in BAD_HEAD_MEMBERS:
        add("红旗", "三组", "004", p)
        roster.kept[p.name] = p
    roster.headless["004"] = BAD_HEAD_MEMBERS[0].name
    blank = add("红旗", "三组", "006", None)
    roster.bad[blank] = "姓名和证件号码都为空"
    for p in ODD:
        add("红旗", "四组", "005", p, status="脱贫户" if p.relation == "户主" else None)
        roster.kept[p.name] = p
    total = add(None, None, None, None, name="合计", note=f"{len(roster.kept) + 1}人")
    roster.skipped[total] = "合计"
    sheet.append([])
    sheet.append(["填表人：王医生", None, None, None, "审核人：李主任"])
    roster.skipped[sheet.max_row] = "表尾"
    roster.data_rows = sheet.max_row - (FIRST_DATA_ROW - 1) - 1   # less the empty line
    for p in roster.kept.values():
        if "高血压" in p.disease:
            roster.hypertensive.add(p.name)
        if "糖尿病" in p.disease:
            roster.diabetic.add(p.name)
    sheet.column_dimensions["G"].width = 22
    book.save(path)
    return roster
