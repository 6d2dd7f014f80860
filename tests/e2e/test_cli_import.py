"""`cunyi import-xlsx` on the county's messy roster, and `cunyi diagnosis`, as a script runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import cunyi
from tests.roster import Roster, write_county_roster

TODAY = "2099-01-01"  # after anything the import records, so every patient is due


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    r = cunyi(h, "init", "--clinic", "红旗村卫生室", "--division", "622923104201",
              "--village-name", "红旗村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    return h


@pytest.fixture
def roster(tmp_path: Path) -> Roster:
    return write_county_roster(tmp_path / "花名册.xlsx")


def due(home: Path, kind: str) -> set[str]:
    r = cunyi(home, "tasks", "--today", TODAY, "--kind", kind, "--json")
    assert r.returncode == 0, r.stderr
    return {line["name"] for line in json.loads(r.stdout)["lines"]}


def test_import_lists_every_row_says_its_column_choice_and_patients_are_due(home: Path,
                                                                             roster: Roster) -> None:
    r = cunyi(home, "import-xlsx", str(roster.path))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    choice = [x for x in lines if "“联系电话”列" in x]
    assert len(choice) == 1 and "--map 帮扶责任人电话=联系电话" in choice[0]
    for row in [*roster.bad, *roster.skipped]:
        assert any(f"第{row}行" in x for x in lines), row
    assert f"读取 {roster.data_rows} 行：导入 {len(roster.kept)} 行" in r.stdout
    assert due(home, "高血压随访") == roster.hypertensive
    assert due(home, "糖尿病随访") == roster.diabetic

    again = cunyi(home, "import-xlsx", str(roster.path), "--map", "联系电话=联系电话")
    assert again.returncode == 0, again.stderr
    assert f"无变化 {len(roster.kept)} 人" in again.stdout
    assert "“联系电话”列" not in again.stdout


def test_nothing_imported_exits_non_zero_with_one_line(tmp_path: Path, roster: Roster) -> None:
    other = tmp_path / "other"
    r = cunyi(other, "init", "--clinic", "胜利村卫生室", "--division", "622923104202",
              "--village-name", "胜利村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    r = cunyi(other, "import-xlsx", str(roster.path))
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1
    assert "没有导入任何人" in r.stderr and "红旗" in r.stderr


def test_diagnosis_add_end_and_list(home: Path, roster: Roster) -> None:
    assert cunyi(home, "import-xlsx", str(roster.path)).returncode == 0
    son = roster.kept["张小明"].id_no
    r = cunyi(home, "diagnosis", "add", son, "糖尿病", "--since", "2023-03-01",
              "--hospital", "县人民医院")
    assert r.returncode == 0, r.stderr
    assert "2型糖尿病" in r.stdout
    assert "张小明" in due(home, "糖尿病随访")
    dup = cunyi(home, "diagnosis", "add", son, "2型糖尿病")
    assert dup.returncode == 1 and "已有" in dup.stderr

    head = roster.kept["张建国"].id_no
    r = cunyi(home, "diagnosis", "end", head, "高血压", "--on", "2024-05-01")
    assert r.returncode == 0, r.stderr
    assert "张建国" not in due(home, "高血压随访")
    listed = cunyi(home, "diagnosis", "list", head, "--json")
    assert json.loads(listed.stdout) == []
    missing = cunyi(home, "diagnosis", "end", head, "高血压")
    assert missing.returncode == 1 and "没有" in missing.stderr
    unknown = cunyi(home, "diagnosis", "add", head, "感冒")
    assert unknown.returncode == 1 and "不认识的病种" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1
