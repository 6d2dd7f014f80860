"""Limits on what an import may store: an absurdly long cell makes its row bad, the others are kept."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from app.storage.engine import open_file
from tests.cli_users import unlocked
from tests.conftest import make_id
from tests.faults.cli import USER, init, run

HEADERS = ["所在村", "村民小组", "户编号", "姓名", "与户主关系", "证件号码", "家庭住址"]


def test_a_million_character_address_is_reported_and_the_other_rows_are_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init(home)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append(["红旗村", "一组", "001", "张建国", "户主", make_id("19550305", "011"), "红旗村一组1号"])
    sheet.append(["红旗村", "一组", "002", "李长路", "户主", make_id("19600101", "021"), "路" * 1_000_000])
    sheet.append(["红旗村", "二组", "003", "王秀英", "户主", make_id("19570812", "032"), "红旗村二组3号"])
    roster = tmp_path / "花名册.xlsx"
    book.save(roster)

    r = run(home, "import-xlsx", str(roster))

    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    problem = [line for line in r.out.splitlines() if "第3行" in line]
    assert len(problem) == 1 and "家庭住址太长" in problem[0] and len(problem[0]) < 300
    conn = open_file(unlocked(home / "cunyi.sqlite3", USER))
    names = {row[0] for row in conn.execute("SELECT name FROM people WHERE deleted = 0")}
    assert names == {"张建国", "王秀英"}
    longest = conn.execute("SELECT max(length(address)) FROM households").fetchone()[0]
    assert longest < 200
    conn.close()
    assert (home / "cunyi.sqlite3").stat().st_size < 2_000_000
