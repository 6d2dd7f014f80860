"""The 转诊单: a stub the clinic keeps above the cut line, the slip the patient takes below it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.errors import ValidationError
from app.printing.referral import render_referral
from app.printing.samples import sample_referral
from tests.unit.printing.carecheck import missing_glyphs, only_embedded_wenquanyi, y_of
from tests.unit.printing.pdfcheck import (
    fonts_without_embedding,
    page_sizes,
    page_texts,
    text_outside_margins,
)


@pytest.fixture(scope="module")
def referral_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_referral(sample_referral(), tmp_path_factory.mktemp("pdf") / "referral.pdf")


def _flat(text: str) -> str:
    return "".join(text.split())


def test_stub_and_slip_on_one_page_either_side_of_the_cut_line(referral_pdf: Path):
    pages = page_texts(referral_pdf)
    assert len(pages) == 1
    flat = _flat(pages[0])
    assert flat.count("双向转诊（转出）单") >= 2 and "存根" in flat and "转出单" in flat
    stub, cut, slip = (y_of(referral_pdf, s) for s in ("存", "沿此虚线剪开", "转出单"))
    assert stub > cut > slip  # the stub on top, the cut line between


def test_both_parts_name_the_patient_the_hospital_and_the_reason(referral_pdf: Path):
    flat = _flat(page_texts(referral_pdf)[0])
    for needle in ("马福贵", "62292310420100017", "临夏县人民医院", "心血管内科",
                   "两次随访血压控制不满意"):
        assert flat.count(needle) >= 2, needle
    for needle in ("性别男", "67岁", "13893012345", "红旗村三社17号", "转诊编号ZZ-2024-0031",
                   "于2024年10月1日因两次随访血压控制不满意，转入临夏县人民医院心血管内科科室",
                   "现有患者马福贵性别男年龄67岁", "需转入贵单位心血管内科科室，请予以接诊",
                   "接诊医生：", "转诊医生（签字）（何永福）", "转出机构（盖章）：红旗村卫生室",
                   "联系电话：13993012345", "日期：2024年10月1日"):
        assert needle in flat, needle


def test_the_slip_carries_impression_and_history(referral_pdf: Path):
    flat = _flat(page_texts(referral_pdf)[0])
    for label, text in (("初步印象", "原发性高血压（2级，很高危）"),
                        ("主要现病史（转出原因）", "高血压病史8年"),
                        ("主要既往史", "否认冠心病"), ("治疗经过", "硝苯地平控释片30mg")):
        assert flat.index(label) < flat.index(text), label


def test_an_urgent_referral_says_so_on_both_parts(tmp_path: Path):
    data = dataclasses.replace(sample_referral(), urgent=True, reason="紧急转诊：收缩压≥180 mmHg")
    pdf = render_referral(data, tmp_path / "urgent.pdf")
    flat = _flat(page_texts(pdf)[0])
    assert flat.count("【紧急转诊】") == 2 and flat.count("收缩压≥180mmHg") == 2
    assert missing_glyphs(pdf) == set()


def test_long_histories_still_fit_one_page(tmp_path: Path):
    long = "今晨头痛剧烈伴恶心呕吐，血压186/112 mmHg，既往未规律服药。" * 12
    data = dataclasses.replace(sample_referral(), present_history=long, treatment=long)
    pdf = render_referral(data, tmp_path / "long.pdf")
    (page,) = page_texts(pdf)
    assert text_outside_margins(pdf) == []
    assert not [line for line in page.splitlines() if line.strip().startswith(("，", "。", "；"))]


def test_an_undated_referral_leaves_the_date_to_fill_in(tmp_path: Path):
    data = dataclasses.replace(sample_referral(), referred_on=None, to_department="")
    flat = _flat(page_texts(render_referral(data, tmp_path / "blank.pdf"))[0])
    assert "于年月日因" in flat and "2024年10月1日" not in flat


def test_the_referral_prints_on_a4_in_the_embedded_font_inside_the_margins(referral_pdf: Path):
    assert page_sizes(referral_pdf) == {(595, 842)}
    assert fonts_without_embedding(referral_pdf) == []
    assert only_embedded_wenquanyi(referral_pdf)
    assert text_outside_margins(referral_pdf) == []
    assert missing_glyphs(referral_pdf) == set()


def test_a_referral_needs_a_reason_but_the_hospital_may_be_written_by_hand(tmp_path: Path):
    out = render_referral(dataclasses.replace(sample_referral(), to_hospital=""), tmp_path / "blank.pdf")
    assert out is not None and "临夏县人民医院" not in "".join(
        page.extract_text() for page in PdfReader(out).pages)
    with pytest.raises(ValidationError, match="原因"):
        render_referral(dataclasses.replace(sample_referral(), reason=""), tmp_path / "x.pdf")
