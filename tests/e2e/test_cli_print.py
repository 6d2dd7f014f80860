"""Printing from the command line: a poor family's agreement and card, a village group in one PDF."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.workspace import Workspace
from tests.cli_users import unlocked
from tests.conftest import VILLAGE, make_id
from tests.e2e.test_cli import cunyi

FAMILY = (("马福贵", "19570312", "013", "户主"), ("马桂英", "19600815", "026", "配偶"),
          ("马小军", "19860123", "035", "子"), ("马欣怡", "20190411", "048", "孙女"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    r = cunyi(h, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE,
              "--village-name", "红旗村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    with Workspace.open(unlocked(h / "cunyi.sqlite3")) as ws:
        hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                            household_no=VILLAGE + "0001", poverty_status="poor",
                                            address="红旗村一组17号", phone="13893012345"),
                                  since=dt.date(2020, 1, 1))
        for name, birth, seq, relation in FAMILY:
            pid, _ = ws.people.add(Person(id=None, household_id=hid, name=name, id_no=make_id(birth, seq),
                                          relation=relation), today=dt.date(2025, 3, 1))
            if relation in ("户主", "配偶"):  # the 高血压包 fits these two
                ws.people.add_diagnosis(Diagnosis(None, pid, "高血压", dt.date(2020, 1, 1)))
        for n in range(2, 5):
            other, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                                  household_no=VILLAGE + f"{n:04d}"),
                                        since=dt.date(2020, 1, 1))
            ws.people.add(Person(id=None, household_id=other, name=f"一组{n}号",
                                 id_no=make_id(f"19{70 + n}0505", f"{n:02d}1"), relation="户主"),
                          today=dt.date(2025, 3, 1))
    r = cunyi(h, "teams", "--add", "红旗村团队", "--leader", "王院长", "--phone", "13900000000",
              "--doctor", "李医生")
    assert r.returncode == 0, r.stderr
    for n in range(1, 5):
        r = cunyi(h, "sign", VILLAGE + f"{n:04d}", "--team", "红旗村团队", "--package", "JC",
                  "--package", "GXY", "--today", "2025-03-01")
        assert r.returncode == 0, r.stderr
    return h


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def _contract_no(home: Path) -> str:
    r = cunyi(home, "contracts", "--json", "--group", "一组", "--today", "2025-03-01")
    return next(c["contract_no"] for c in json.loads(r.stdout) if c["head"] == "马福贵")


def _png(pdf: Path) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    return sorted(pdf.parent.glob(pdf.stem + "*.png"))


def test_print_the_agreement_and_the_card_of_a_poor_family(home, tmp_path):
    out = tmp_path / "协议书.pdf"
    r = cunyi(home, "print", "contract", _contract_no(home), "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = _text(out)
    assert "马福贵" in text and make_id("19570312", "013") in text and "红旗村团队" in text
    assert "王院长" in text and "2025年3月1日" in text.replace(" ", "")
    # Both copies carry the fee table: 基础包 for four, 高血压包 for the two hypertensive members
    # only; the personal part of the total line is 0.00.
    cells = text.split()
    totals = [cells[i + 1:i + 6] for i, cell in enumerate(cells) if cell == "合计"]
    assert totals == [["240.00", "100.00", "80.00", "60.00", "0.00"]] * 2
    assert "√65岁及以上老年人" in text and "√0-6岁儿童" in text
    assert _png(out)

    card = tmp_path / "明白卡.pdf"
    r = cunyi(home, "print", "card", VILLAGE + "0001", "-o", str(card), "--today", "2025-03-15")
    assert r.returncode == 0, r.stderr
    text = _text(card)
    assert "马福贵" in text and "李医生" in text and "13900000000" in text and "红旗村团队" in text
    assert "血压测量" in text and len(PdfReader(card).pages) == 1
    assert _png(card)


def test_print_a_village_group_in_one_pdf(home, tmp_path):
    out = tmp_path / "一组.pdf"
    r = cunyi(home, "print", "contracts", "--group", "一组", "-o", str(out), "--today", "2025-03-01")
    assert r.returncode == 0, r.stderr
    assert "4 份" in r.stdout and r.stderr == ""  # no progress line when stderr is not a terminal
    text = _text(out)
    for name in ("马福贵", "一组2号", "一组3号", "一组4号"):
        assert name in text
    single = tmp_path / "one.pdf"
    assert cunyi(home, "print", "contract", _contract_no(home), "-o", str(single)).returncode == 0
    assert len(PdfReader(out).pages) > 3 * len(PdfReader(single).pages)


def test_errors_are_one_line_and_leave_no_file(home, tmp_path):
    out = tmp_path / "x.pdf"
    for args in (("print", "contract", "NOPE", "-o", str(out)),
                 ("print", "card", VILLAGE + "0001", "-o", str(out), "--today", "2027-01-01"),
                 ("print", "contracts", "--group", "九组", "-o", str(out)),
                 ("print", "contract", _contract_no(home), "-o", str(tmp_path / "nodir" / "x.pdf")),
                 ("print",)):
        r = cunyi(home, *args)
        assert r.returncode == 1 and r.stderr.count("\n") == 1 and r.stderr.startswith("错误："), args
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".*tmp")) == []
