"""The 健康体检结果告知单: what the person takes home, marks on results out of range, one A4 page."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from app.core.errors import ValidationError
from app.printing.care_layout import mask_id
from app.printing.care_models import LabResult, PhysicalExam
from app.printing.exam_slip import bmi_of, render_exam_slip, render_exam_slips
from app.printing.ranges import load_ranges
from app.printing.samples import sample_exam_slip
from tests.unit.printing.carecheck import (
    blank_glyphs,
    lines,
    missing_glyphs,
    only_embedded_wenquanyi,
)
from tests.unit.printing.pdfcheck import (
    fonts_without_embedding,
    page_sizes,
    page_texts,
    text_outside_margins,
)


@pytest.fixture(scope="module")
def slip_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_exam_slip(sample_exam_slip(), tmp_path_factory.mktemp("pdf") / "slip.pdf")


def _flat(text: str) -> str:
    return "".join(text.split())


def _row(text: str, item: str, width: int = 4) -> list[str]:
    """The cells printed after an item's name (result, reference, mark …)."""
    ls = lines(text)
    i = ls.index(item)
    return ls[i + 1:i + 1 + width]


def test_the_slip_is_one_page_with_the_person_and_the_exam(slip_pdf: Path):
    pages = page_texts(slip_pdf)
    assert len(pages) == 1
    flat = _flat(pages[0])
    for needle in ("健康体检结果告知单", "城关镇卫生院", "体检日期：2024年7月15日", "马福贵", "男",
                   "67岁", "62292310420100017", "13893012345", "红旗村三社17号"):
        assert needle in flat, needle


def test_the_id_number_is_masked_on_a_slip_the_person_takes_away(slip_pdf: Path):
    flat = _flat(page_texts(slip_pdf)[0])
    assert "622923********0013" in flat and "622923195703120013" not in flat
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("110105491231002") == "110105*****1002"
    assert mask_id("") == ""


def test_the_twelve_physical_items_are_printed_with_units(slip_pdf: Path):
    text = page_texts(slip_pdf)[0]
    flat = _flat(text)
    for needle in ("体温36.5°C", "脉率78次/分", "呼吸频率18次/分", "血压（左侧）152/94mmHg",
                   "血压（右侧）148/92mmHg", "身高165cm", "体重67kg", "腰围92cm", "皮肤正常",
                   "浅表淋巴结未触及", "心脏心率78次/分", "肺部呼吸音清", "腹部无压痛"):
        assert needle in flat, needle
    assert _row(text, "体质指数", 3) == ["24.6 kg/m²", "18.5～<24", "↑"]  # from height and weight
    assert _row(text, "血压（左侧）", 3) == ["152/94 mmHg", "<140/90", "↑"]
    assert _row(text, "体温", 3) == ["36.5 °C", "36.0～37.3", "脉率"]  # in range: no mark


def test_results_out_of_range_are_marked(slip_pdf: Path):
    text = page_texts(slip_pdf)[0]
    assert _row(text, "空腹血糖", 3) == ["6.4 mmol/L", "3.9～6.1", "↑"]
    assert _row(text, "总胆固醇", 3) == ["5.8 mmol/L", "<5.2", "↑"]
    assert _row(text, "血红蛋白", 3)[:2] == ["142 g/L", "130～175"]  # the male range
    assert _row(text, "血红蛋白", 3)[2] == "白细胞"  # no mark: within range
    assert _row(text, "尿糖", 3) == ["±", "阴性", "异常"]
    assert _row(text, "心电图", 2) == ["窦性心律，左心室高电压", "异常"]


def test_all_eight_test_groups_appear_and_an_untested_one_says_so(tmp_path: Path):
    data = sample_exam_slip()
    data = dataclasses.replace(data, tests=tuple(t for t in data.tests if t.group != "B超"))
    flat = _flat(page_texts(render_exam_slip(data, tmp_path / "s.pdf"))[0])
    for group in ("血常规", "尿常规", "肝功能", "肾功能", "空腹血糖", "血脂", "心电图", "B超"):
        assert group in flat, group
    assert "B超未检查" in flat


def test_conclusion_abnormalities_advice_and_signatures(slip_pdf: Path):
    flat = _flat(page_texts(slip_pdf)[0])
    for needle in ("体检结论", "重大疾病", "一般疾病", "亚健康", "健康", "1.血压高于正常",
                   "5.B超：轻度脂肪肝", "纳入慢性病患者健康管理", "建议复查", "建议转诊", "戒烟",
                   "减体重（目标63kg）", "建议接种疫苗（流感疫苗）", "每天盐不超过一啤酒瓶盖",
                   "责任医生签字（何永福）", "以上结果已告知本人。居民（或家属）签字", "日期：",
                   "【示例】参考范围"):
        assert needle in flat, needle


def test_the_slip_prints_on_a4_in_the_embedded_font_inside_the_margins(slip_pdf: Path):
    assert page_sizes(slip_pdf) == {(595, 842)}
    assert fonts_without_embedding(slip_pdf) == []
    assert only_embedded_wenquanyi(slip_pdf)
    assert text_outside_margins(slip_pdf) == []
    assert missing_glyphs(slip_pdf) == set()


def test_a_conclusion_outside_the_four_classes_is_refused(tmp_path: Path):
    with pytest.raises(ValidationError, match="体检结论"):
        render_exam_slip(dataclasses.replace(sample_exam_slip(), conclusion="良好"),
                         tmp_path / "x.pdf")
    with pytest.raises(ValidationError, match="健康指导"):
        render_exam_slip(dataclasses.replace(sample_exam_slip(), guidance=(4,)), tmp_path / "x.pdf")


def test_a_degree_sign_the_font_draws_blank_is_printed_as_degrees_c(tmp_path: Path):
    assert blank_glyphs("℃") == {"℃"}  # mapped in the font, but an empty outline
    data = dataclasses.replace(sample_exam_slip(), advice="体温超过38.5℃时及时就诊。")
    pdf = render_exam_slip(data, tmp_path / "c.pdf")
    assert "体温超过38.5°C时及时就诊" in _flat(page_texts(pdf)[0])
    assert missing_glyphs(pdf) == set()


def test_bmi_is_worked_out_from_height_and_weight():
    assert bmi_of(PhysicalExam(height_cm=Decimal("165"), weight_kg=Decimal("67"))) == Decimal("24.6")
    assert bmi_of(PhysicalExam(bmi=Decimal("22.0"), height_cm=Decimal("170"))) == Decimal("22.0")
    assert bmi_of(PhysicalExam(weight_kg=Decimal("60"))) is None


def test_reference_ranges_judge_by_sex_and_kind():
    book = load_ranges()
    assert book.example
    hb = book.get("血红蛋白")
    assert hb is not None
    assert hb.judge(Decimal("120"), "男") == "↓" and hb.judge(Decimal("120"), "女") == ""
    assert hb.shown("") == "男130～175 女115～150"
    tc = book.get("总胆固醇")
    assert tc is not None and tc.judge(Decimal("5.2"), "") == "↑" and tc.judge("5.1", "") == ""
    hdl = book.get("高密度脂蛋白胆固醇")
    assert hdl is not None and hdl.judge(Decimal("0.9"), "") == "↓" and hdl.shown("") == "≥1.0"
    urine = book.get("尿蛋白")
    assert urine is not None and urine.judge("+", "") == "异常" and urine.judge("阴性", "") == ""
    ecg = book.get("心电图")
    assert ecg is not None and ecg.judge("ST段压低", "") == ""  # only the doctor marks it


def test_a_clinic_can_use_its_own_ranges(tmp_path: Path):
    own = tmp_path / "ranges.toml"
    own.write_text('example = false\nnote = "以本院检验科为准"\n[[item]]\ngroup = "血糖"\n'
                   'name = "空腹血糖"\nunit = "mmol/L"\nlow = 3.9\nhigh = 7.0\n', encoding="utf-8")
    book = load_ranges(own)
    data = dataclasses.replace(sample_exam_slip(),
                               tests=(LabResult("血糖", "空腹血糖", Decimal("6.4")),))
    text = page_texts(render_exam_slip(data, tmp_path / "own.pdf", book))[0]
    assert _row(text, "空腹血糖", 2) == ["6.4 mmol/L", "3.9～7.0"]
    assert "以本院检验科为准" in _flat(text) and "【示例】" not in text


def test_a_doctor_mark_overrides_the_range(tmp_path: Path):
    data = dataclasses.replace(sample_exam_slip(), tests=(
        LabResult("血糖", "空腹血糖", Decimal("6.4"), abnormal=False),
        LabResult("血常规", "血红蛋白", Decimal("140"), abnormal=True)))
    text = page_texts(render_exam_slip(data, tmp_path / "o.pdf"))[0]
    assert _row(text, "空腹血糖", 3)[2] != "↑"
    assert _row(text, "血红蛋白", 3)[2] == "异常"


def test_an_exam_day_prints_one_page_per_person(tmp_path: Path):
    pdf = render_exam_slips([sample_exam_slip()] * 3, tmp_path / "day.pdf")
    pages = page_texts(pdf)
    assert len(pages) == 3 and all("第 1 页  共 1 页" in p for p in pages)
    with pytest.raises(ValidationError):
        render_exam_slips([], tmp_path / "none.pdf")
