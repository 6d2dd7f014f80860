"""The contract PDF: what the resident reads on it, and that it prints on any A4 printer."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.errors import ValidationError
from app.printing import layout
from app.printing.agreement import load_template, render_agreement, render_agreements
from app.printing.layout import PrintCancelled
from app.printing.samples import sample_agreement
from tests.unit.printing.pdfcheck import (
    fonts_without_embedding,
    page_sizes,
    page_texts,
    text_outside_margins,
)


@pytest.fixture(scope="module")
def agreement_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_agreement(sample_agreement(), tmp_path_factory.mktemp("pdf") / "a.pdf")


def test_resident_team_and_fee_are_printed(agreement_pdf: Path):
    text = "".join("".join(page_texts(agreement_pdf)).split())  # headers wrap in cells
    data = sample_agreement()
    for needle in ("马福贵", "马欣怡", "622923195703120013", "62292310420100017",
                   data.team.name, "李秀兰", "13830912345", "250.00", "140.00",
                   data.contract_no, "医保基金", "基本公卫经费", "财政补助", "个人支付"):
        assert needle in text, needle


def test_two_copies_each_labelled_and_each_starting_a_new_page(agreement_pdf: Path):
    pages = page_texts(agreement_pdf)
    assert len(pages) % 2 == 0
    half = len(pages) // 2
    assert "甲方留存" in pages[0] and "家庭医生签约服务协议书" in pages[0]
    assert "乙方留存" in pages[half] and "家庭医生签约服务协议书" in pages[half]
    assert all("甲方留存" in p for p in pages[:half])
    assert all("乙方留存" in p for p in pages[half:])
    assert f"共 {half} 页" in pages[0]
    assert "本协议一式两份，甲乙双方各执一份" in "".join(pages[:half])


def test_signature_lines_and_free_fee_note_for_a_poor_household(agreement_pdf: Path):
    text = "".join(page_texts(agreement_pdf))
    for needle in ("家庭医生签字", "按手印", "代签人姓名及与签约人关系", "年", "月", "日",
                   "个人不缴纳签约服务费"):
        assert needle in text, needle


def test_no_free_fee_note_when_the_resident_pays(tmp_path: Path):
    data = sample_agreement()
    fees = (dataclasses.replace(data.fees[0], personal=Decimal("10.00")), *data.fees[1:])
    pdf = render_agreement(dataclasses.replace(data, fees=fees, poverty_status=""),
                           tmp_path / "paid.pdf")
    assert "个人不缴纳" not in "".join(page_texts(pdf))


def test_fonts_are_embedded(agreement_pdf: Path):
    assert fonts_without_embedding(agreement_pdf) == []


def test_pages_are_a4(agreement_pdf: Path):
    assert page_sizes(agreement_pdf) == {(595, 842)}


def test_no_text_outside_the_safe_margins(agreement_pdf: Path):
    assert text_outside_margins(agreement_pdf) == []


def test_resident_can_be_party_a(tmp_path: Path):
    default = load_template()
    swapped = dataclasses.replace(default, first_party="resident")
    pdf = render_agreement(dataclasses.replace(sample_agreement(), template=swapped),
                           tmp_path / "swap.pdf")
    text = "".join(page_texts(pdf))
    assert "甲方（签约居民（户））：马福贵" in text
    assert "乙方的权利和义务" in text and "乙方（家庭医生签约服务团队）" in text


def test_writes_to_a_binary_file_object():
    buffer = io.BytesIO()
    render_agreement(sample_agreement(), buffer)
    assert buffer.getvalue().startswith(b"%PDF")


def test_batch_puts_every_contract_in_one_pdf_and_reports_progress(tmp_path: Path):
    items = [sample_agreement(f"QY-2024-{i:04d}") for i in range(3)]
    seen: list[tuple[int, int]] = []
    pdf = render_agreements(items, tmp_path / "batch.pdf", progress=lambda d, t: seen.append((d, t)))
    single = len(PdfReader(render_agreement(items[0], tmp_path / "one.pdf")).pages)
    pages = page_texts(pdf)
    assert len(pages) == 3 * single
    for i in range(3):
        assert f"QY-2024-{i:04d}" in pages[i * single]
    assert seen[-1] == (3, 3)


def test_cancelled_batch_raises_and_leaves_no_file(tmp_path: Path):
    items = [sample_agreement(f"QY-2024-{i:04d}") for i in range(5)]
    calls = iter(range(100))
    with pytest.raises(PrintCancelled):
        render_agreements(items, tmp_path / "c.pdf", cancel=lambda: next(calls) >= 2)
    assert not (tmp_path / "c.pdf").exists()


def test_contract_without_members_is_refused(tmp_path: Path):
    with pytest.raises(ValidationError):
        render_agreement(dataclasses.replace(sample_agreement(), members=()), tmp_path / "x.pdf")


def test_a_long_batch_is_laid_out_in_parts_and_concatenated(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(layout, "BATCH_PART", 2)
    items = (sample_agreement(f"QY-2024-{i:04d}") for i in range(5))
    seen: list[tuple[int, int]] = []
    pdf = render_agreements(items, tmp_path / "parts.pdf", total=5,
                            progress=lambda d, t: seen.append((d, t)))
    single = len(PdfReader(render_agreement(sample_agreement(), tmp_path / "one.pdf")).pages)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 5 * single and reader.metadata.title == "家庭医生签约服务协议书"
    pages = page_texts(pdf)
    per_copy = single // 2
    for i in range(5):
        first = pages[i * single]
        assert f"QY-2024-{i:04d}" in first and f"第 1 页  共 {per_copy} 页" in first
    assert f"第 {per_copy} 页  共 {per_copy} 页" in pages[-1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1] == (5, 5)
    assert fonts_without_embedding(pdf) == []


def test_a_cancelled_batch_in_parts_leaves_no_file(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(layout, "BATCH_PART", 2)
    items = [sample_agreement(f"QY-2024-{i:04d}") for i in range(5)]
    calls = iter(range(100))
    with pytest.raises(PrintCancelled):
        render_agreements(items, tmp_path / "c.pdf", cancel=lambda: next(calls) >= 3)
    assert list(tmp_path.iterdir()) == []
