"""Printing care paperwork from the command line: a year's follow-up sheets, the exam slip and
the referral slip, read back from the PDFs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.exams import HealthExam
from app.core.followups import Drug, FollowUp, Referral
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.workspace import Workspace
from tests.cli_users import unlocked
from tests.conftest import VILLAGE, make_id
from tests.e2e.test_cli import cunyi

D = dt.date
TODAY = D(2025, 12, 1)
RECORD = VILLAGE + "00001"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    r = cunyi(h, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE,
              "--village-name", "红旗村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    with Workspace.open(unlocked(h / "cunyi.sqlite3")) as ws:
        hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                            address="17号"))
        pid, _ = ws.people.add(Person(id=None, household_id=hid, name="马福贵", relation="户主",
                                      id_no=make_id("19570312", "013")), today=TODAY)
        ws.people.add_diagnosis(Diagnosis(id=None, person_id=pid, condition="高血压",
                                   confirmed_on=D(2016, 5, 1)))
        readings = [(D(2025, 1, 6), 132, 82), (D(2025, 3, 5), 152, 94), (D(2025, 3, 19), 136, 84),
                    (D(2025, 6, 18), 150, 96), (D(2025, 7, 2), 164, 98)]
        for day, sbp, dbp in readings:
            ws.care.add_followup(FollowUp(
                id=None, person_id=pid, kind="高血压", visit_date=day, sbp=sbp, dbp=dbp,
                weight=68.0, weight_target=66.0, height=165.0, heart_rate=76, adherence="规律",
                medications=[Drug("硝苯地平缓释片", 2, 10.0)], doctor="村医",
                referral=Referral("两次随访血压控制不满意", "县人民医院心内科")
                if day == D(2025, 7, 2) else None), today=TODAY)
        ws.care.add_followup(FollowUp(id=None, person_id=pid, kind="高血压", visit_date=D(2024, 11, 2),
                                      sbp=128, dbp=80), today=TODAY)
        ws.care.add_exam(HealthExam(id=None, person_id=pid, exam_date=D(2025, 4, 10), temperature=36.5,
                                    pulse=72, sbp_left=138, dbp_left=86, height=165.0, weight=68.0,
                                    hb=138.0, glucose=7.4, tc=6.1, ecg="异常", ecg_text="窦性心动过缓",
                                    conclusion="一般疾病", abnormalities="空腹血糖偏高\n总胆固醇偏高",
                                    guidance=["纳入慢性病患者健康管理"],
                                    risk_control=["饮食", "锻炼"], advice="低盐饮食，每天快走30分钟",
                                    doctor="村医"), today=TODAY)
    return h


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_a_years_followups_print_four_to_a_sheet(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheets.pdf"
    r = cunyi(home, "print", "followups", RECORD, "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "2025年" in r.stdout and "5 次随访" in r.stdout
    reader = PdfReader(out)
    assert len(reader.pages) == 2          # five visits of 2025: four, then one
    text = _text(out)
    assert "高血压患者随访服务记录表" in text and "马福贵" in text
    assert "152/94" in text and "164/98" in text and "128/80" not in text   # 2024 is another year
    assert text.index("2025年1月6日") < text.index("2025年3月5日") < text.index("2025年7月2日")
    assert "两次随访血压控制不满意" in text and "硝苯地平缓释片" in text


def test_an_earlier_year_and_a_missing_kind(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "2024.pdf"
    r = cunyi(home, "print", "followups", RECORD, "--year", "2024", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "128/80" in _text(out)
    r = cunyi(home, "print", "followups", RECORD, "--kind", "糖尿病", "--year", "2025",
              "-o", str(tmp_path / "dm.pdf"))
    assert r.returncode == 0, r.stderr   # a blank sheet of the year, to fill by hand
    r = cunyi(home, "print", "followups", "不存在", "-o", str(tmp_path / "x.pdf"))
    assert r.returncode == 1 and "找不到" in r.stderr and not (tmp_path / "x.pdf").exists()


def test_the_exam_slip_of_the_latest_exam(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "exam.pdf"
    r = cunyi(home, "print", "exam", RECORD, "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = _text(out)
    assert "马福贵" in text and "7.4" in text and "窦性心动过缓" in text
    assert "一般疾病" in text and "低盐饮食" in text


def test_the_referral_slip_of_the_visit_that_referred(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "referral.pdf"
    r = cunyi(home, "print", "referral", RECORD, "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = _text(out)
    assert "转诊" in text and "马福贵" in text and "县人民医院心内科" in text
    assert "两次随访血压控制不满意" in text and "164/98" in text and "红旗村卫生室" in text
