"""The 高血压 / 2型糖尿病 follow-up sheets: what a village doctor reads on them, and that they print."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.errors import ValidationError
from app.printing import layout
from app.printing.care_models import DmVisit, Drug, HtnFollowups, HtnVisit, Patient
from app.printing.followups import render_followup_batch, render_followups
from app.printing.layout import PrintCancelled
from app.printing.samples import sample_dm_followups, sample_htn_followups
from tests.unit.printing.carecheck import (
    codes_after,
    dates,
    missing_glyphs,
    only_embedded_wenquanyi,
    symptom_codes,
)
from tests.unit.printing.pdfcheck import (
    fonts_without_embedding,
    page_sizes,
    page_texts,
    text_outside_margins,
)


@pytest.fixture(scope="module")
def htn_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_followups(sample_htn_followups(), tmp_path_factory.mktemp("pdf") / "htn.pdf")


@pytest.fixture(scope="module")
def dm_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_followups(sample_dm_followups(), tmp_path_factory.mktemp("pdf") / "dm.pdf")


def _flat(text: str) -> str:
    return "".join(text.split())


def _visits(n: int, start: date = date(2024, 1, 8)) -> tuple[HtnVisit, ...]:
    return tuple(HtnVisit(visit_date=start + timedelta(days=30 * i), method=1, sbp=130 + i, dbp=80)
                 for i in range(n))


def test_every_sheet_carries_the_name_and_the_short_number_in_boxes(htn_pdf: Path):
    pages = page_texts(htn_pdf)
    assert len(pages) == 2
    for page in pages:
        flat = _flat(page)
        assert "高血压患者随访服务记录表" in flat and "姓名：马福贵" in flat
        assert "编号201-00017" in flat  # □□□-□□□□□: the last 8 of 62292310420100017
        assert "62292310420100017" in flat  # the full number, small, under its QR code
    assert "第1页共2页" in _flat(pages[0]) and "第2页共2页" in _flat(pages[1])


def test_visits_are_printed_in_date_order_four_to_a_sheet(htn_pdf: Path):
    first, second = page_texts(htn_pdf)
    # The sample lists September before June; the sheet sorts them.
    assert dates(first)[:4] == [(2024, 3, 5), (2024, 3, 19), (2024, 6, 18), (2024, 9, 17)]
    assert dates(second)[0] == (2024, 10, 1)


@pytest.mark.parametrize(("visits", "pages"), [(0, 1), (1, 1), (4, 1), (5, 2), (8, 2), (9, 3)])
def test_sheets_needed_for_a_number_of_visits(tmp_path: Path, visits: int, pages: int):
    data = HtnFollowups(sample_htn_followups().patient, _visits(visits))
    assert len(page_texts(render_followups(data, tmp_path / "n.pdf"))) == pages


def test_chosen_codes_stand_in_their_boxes_and_empty_columns_stay_blank(htn_pdf: Path):
    first, second = page_texts(htn_pdf)
    assert codes_after(first, "3 电话") == ["1", "1", "2", "1"]  # 随访方式
    assert codes_after(first, "3 不服药") == ["2", "1", "1", "1"]  # 服药依从性
    assert codes_after(first, "4 并发症") == ["2", "1", "1", "3"]  # 此次随访分类
    assert symptom_codes(first) == [["2"], ["1"], ["1"], ["2", "6"]]
    assert codes_after(second, "3 电话") == ["2", "", "", ""]
    assert codes_after(second, "4 并发症") == ["2", "", "", ""]


def test_readings_goals_and_drugs_are_printed(htn_pdf: Path):
    first, second = page_texts(htn_pdf)
    flat = _flat(first)
    for needle in ("152/94", "136/84", "134/82", "148/92", "68/66", "25/24.2", "10/5",
                   "3次/周30分钟/次", "5次/周30分钟/次", "硝苯地平缓释片", "每日2次每次10mg",
                   "每日1次每次12.5mg", "其他：偶有鼻衄", "踝部轻度水肿", "心电图：窦性心律",
                   "何永福"):
        assert needle in flat, needle
    flat2 = _flat(second)
    assert "164/98" in flat2 and "两次随访血压控制不满意" in flat2
    # A fourth drug goes to 其他药物.
    assert flat2.index("其他药物") < flat2.index("阿司匹林肠溶片") < flat2.index("每日1次每次100mg")


def test_blank_columns_print_the_form_for_handwriting(htn_pdf: Path):
    second = page_texts(htn_pdf)[1]
    assert second.replace("\u2009", " ").count("1 门诊") == 4  # every column's options
    assert _flat(second).count("次/周分钟/次") == 6  # three blank 运动 cells, now and goal


def test_the_diabetes_sheet_has_its_own_rows(dm_pdf: Path):
    (page,) = page_texts(dm_pdf)
    flat = _flat(page)
    assert "2型糖尿病患者随访服务记录表" in flat and "编号201-00018" in flat
    for needle in ("足背动脉搏动", "1触及正常", "（左侧）", "主食（克/天）", "350/250",
                   "空腹血糖值（mmol/L）", "8.6", "糖化血红蛋白7.8%", "检查日期：3月1日",
                   "低血糖反应", "胰岛素种类", "甘精胰岛素", "睡前皮下注射10单位",
                   "每日3次每次0.5g", "9体重明显下降"):
        assert needle in flat, needle
    assert "摄盐情况" not in flat and "心率" not in flat
    assert codes_after(page, "3 频繁") == ["1", "2", "1", "1"]
    assert codes_after(page, "3 电话") == ["1", "1", "2", "3"]
    assert symptom_codes(page) == [["2", "4"], ["1"], ["1"], ["1"]]


def test_sheets_print_on_a4_in_the_embedded_font_inside_the_margins(htn_pdf: Path, dm_pdf: Path):
    for pdf in (htn_pdf, dm_pdf):
        assert page_sizes(pdf) == {(595, 842)}
        assert fonts_without_embedding(pdf) == []
        assert only_embedded_wenquanyi(pdf)
        assert text_outside_margins(pdf) == []


def test_rare_characters_render(htn_pdf: Path, dm_pdf: Path):
    assert "鼻衄" in "".join(page_texts(htn_pdf))
    assert missing_glyphs(htn_pdf) == set() and missing_glyphs(dm_pdf) == set()


def test_a_provisional_number_leaves_the_boxes_empty(tmp_path: Path):
    data = HtnFollowups(Patient("王小梅", "待分配"), _visits(1))
    flat = _flat(page_texts(render_followups(data, tmp_path / "p.pdf"))[0])
    assert "编号-" in flat and "待分配" in flat


def test_codes_outside_the_form_are_refused(tmp_path: Path):
    bad = HtnFollowups(Patient("王小梅", "62292310420100099"),
                       (HtnVisit(visit_date=date(2024, 1, 5), method=4),))
    with pytest.raises(ValidationError, match="随访方式"):
        render_followups(bad, tmp_path / "bad.pdf")
    too_many = dataclasses.replace(bad, visits=(
        HtnVisit(visit_date=date(2024, 1, 5), symptoms=(1, 2, 3, 4, 5, 6, 7, 8, 9)),))
    with pytest.raises(ValidationError, match="症状"):
        render_followups(too_many, tmp_path / "bad.pdf")
    salty = dataclasses.replace(bad, visits=(HtnVisit(visit_date=date(2024, 1, 5), salt="咸"),))
    with pytest.raises(ValidationError, match="摄盐情况"):
        render_followups(salty, tmp_path / "bad.pdf")
    side = dataclasses.replace(sample_dm_followups(), visits=(
        DmVisit(visit_date=date(2024, 1, 5), foot_pulse=2, foot_pulse_side="双脚"),))
    with pytest.raises(ValidationError, match="足背动脉搏动"):
        render_followups(side, tmp_path / "bad.pdf")


def test_a_dose_in_another_unit_keeps_its_unit(tmp_path: Path):
    visit = HtnVisit(visit_date=date(2024, 2, 1), drugs=(Drug("复方利血平片", 3, "1", "片"),))
    pdf = render_followups(HtnFollowups(Patient("王小梅", "62292310420100099"), (visit,)),
                           tmp_path / "u.pdf")
    assert "每日3次每次1片" in _flat(page_texts(pdf)[0])


def test_a_village_group_prints_in_one_pdf_laid_out_in_parts(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(layout, "BATCH_PART", 2)
    htn, dm = sample_htn_followups(), sample_dm_followups()
    people = [dataclasses.replace(htn, patient=dataclasses.replace(
        htn.patient, name=f"高血压{i}号", record_no=f"622923104201{i:05d}")) for i in range(3)]
    people.insert(1, dm)
    seen: list[tuple[int, int]] = []
    pdf = render_followup_batch(iter(people), tmp_path / "group.pdf", total=4,
                                progress=lambda d, t: seen.append((d, t)))
    pages = page_texts(pdf)
    assert len(pages) == 2 + 1 + 2 + 2
    assert "高血压0号" in pages[0] and "编号201-00000" in _flat(pages[0])
    assert "马桂英" in pages[2] and "第1页共1页" in _flat(pages[2])
    assert "高血压2号" in pages[6] and "第2页共2页" in _flat(pages[6])
    assert seen[-1] == (4, 4)
    assert only_embedded_wenquanyi(pdf) and text_outside_margins(pdf) == []
    assert PdfReader(pdf).metadata.title == "高血压患者随访服务记录表"


def test_a_cancelled_batch_leaves_no_file(tmp_path: Path):
    calls = iter(range(100))
    with pytest.raises(PrintCancelled):
        render_followup_batch([sample_htn_followups()] * 4, tmp_path / "c.pdf",
                              cancel=lambda: next(calls) >= 2)
    assert not (tmp_path / "c.pdf").exists()


def test_an_empty_batch_is_refused(tmp_path: Path):
    with pytest.raises(ValidationError):
        render_followup_batch([], tmp_path / "e.pdf")


def test_numbers_print_without_trailing_zeros(tmp_path: Path):
    visit = HtnVisit(visit_date=date(2024, 2, 1), weight_kg=Decimal("60.0"),
                     weight_target_kg=Decimal("58.50"))
    pdf = render_followups(HtnFollowups(Patient("王小梅", "62292310420100099"), (visit,)),
                           tmp_path / "z.pdf")
    assert "60/58.5" in _flat(page_texts(pdf)[0])
