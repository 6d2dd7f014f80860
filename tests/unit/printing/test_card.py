"""The 健康扶贫明白卡: doctor and phone, the policies for the household's status, next visits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app.printing.card import load_policies, render_card, render_cards
from app.printing.samples import sample_card
from tests.unit.printing.pdfcheck import (
    fonts_without_embedding,
    page_sizes,
    page_texts,
    text_outside_margins,
)


@pytest.fixture(scope="module")
def card_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_card(sample_card(), tmp_path_factory.mktemp("pdf") / "card.pdf")


def test_card_shows_doctor_phone_term_and_next_visit(card_pdf: Path):
    pages = page_texts(card_pdf)
    text = "".join("".join(pages).split())
    assert len(pages) == 1
    for needle in ("健康扶贫明白卡", "马福贵", "6229231042010001", "李秀兰", "13830912345",
                   "0930-5212345", "2024年3月1日至2025年2月28日", "儿童健康管理", "2024年4月11日"):
        assert needle in text, needle


def test_card_lists_the_policies_of_the_household_status_and_marks_examples(card_pdf: Path):
    text = "".join("".join(page_texts(card_pdf)).split())
    for policy in load_policies().for_status("建档立卡"):
        assert policy.item in text
    assert "【示例】" in text


def test_other_status_gets_its_own_policies(tmp_path: Path):
    pdf = render_card(dataclasses.replace(sample_card(), poverty_status="特困"), tmp_path / "t.pdf")
    text = "".join("".join(page_texts(pdf)).split())
    assert "全额救助" in text and "先诊疗后付费" not in text


def test_card_prints_on_a4_with_embedded_font_inside_margins(card_pdf: Path):
    assert page_sizes(card_pdf) == {(595, 842)}
    assert fonts_without_embedding(card_pdf) == []
    assert text_outside_margins(card_pdf) == []


def test_cards_for_several_households_take_one_page_each(tmp_path: Path):
    pdf = render_cards([sample_card(), sample_card()], tmp_path / "cards.pdf")
    assert len(page_texts(pdf)) == 2


def test_a_household_without_a_county_number_is_filed_by_the_heads_record_number(tmp_path: Path):
    # Only households on the county's poor list have a 户编号; a card with a blank one would carry
    # an empty QR code and no number to find the household by.
    data = dataclasses.replace(sample_card(), household_no="", head_record_no="62292310420100067")
    pdf = render_card(data, tmp_path / "general.pdf")
    text = "".join("".join(page_texts(pdf)).split())
    assert "户主档案号" in text
    assert text.count("62292310420100067") >= 2  # beside the QR code and in the household's row
    assert data.key == ("户主档案号", "62292310420100067")
