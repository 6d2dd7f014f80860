"""The 一站式结算单: the worked example's figures as the engine's JSON has them, on one clean A4 page."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from app.core.policy import load_pack
from app.core.settlement import ClaimInput, settle
from app.printing.samples import HTN_PATIENT, sample_settlement
from app.printing.settlement import render_settlement
from app.printing.settlement_data import form_from_settlement
from tests.unit.printing.carecheck import missing_glyphs, only_embedded_wenquanyi
from tests.unit.printing.pdfcheck import (
    fonts_without_embedding,
    page_sizes,
    page_texts,
    text_outside_margins,
)

POLICIES = Path(__file__).resolve().parents[3] / "resources" / "policies"


def _flat(text: str) -> str:
    return "".join(text.split())


def _money(text: str) -> str:
    return f"{Decimal(text):,.2f}"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = render_settlement(sample_settlement(), tmp_path_factory.mktemp("pdf") / "settlement.pdf")
    assert out is not None
    return out


def test_the_worked_example_figures_appear_as_in_the_json(pdf: Path):
    pack = load_pack(POLICIES / "worked-example.toml")
    claim = ClaimInput(episode="住院", level="二级", scope="县域内", admitted=sample_settlement().admitted,
                       discharged=sample_settlement().discharged, total=Decimal("50000.00"),
                       out_of_catalogue=Decimal("3000.00"), categories=frozenset({"建档立卡"}))
    data = settle(pack, claim).to_json()
    [page] = page_texts(pdf)
    flat = _flat(page)
    for layer in data["layers"]:
        assert f"{layer['name']}{_money(layer['base'])}{_money(layer['deductible_used'])}" in flat, layer
        assert _money(layer["amount"]) in flat
        assert _flat(layer["rule"]) in flat
    assert f"报销合计{_money(data['reimbursed'])}个人自付{_money(data['self_pay'])}" in flat
    # The patient's form gives the ratio; 达标/未达标 is the county's concern, shown only in the app.
    assert f"实际报销比例{data['ratio_actual']}%" in flat and "达标" not in flat and "目标" not in flat
    assert f"医疗总费用{_money(data['total'])}" in flat and "3,000.00（占6.00%）" in flat
    assert "政策范围内费用47,000.00" in flat
    ytd = data["year_to_date"]
    assert f"2024年就医{ytd['claims']}次（住院{ytd['inpatient_stays']}次）" in flat
    assert f"个人自付{_money(ytd['self_pay'])}" in flat


def test_the_form_names_patient_episode_and_signatures(pdf: Path):
    flat = _flat(page_texts(pdf)[0])
    for needle in ("一站式结算单", "医疗费用报销（补偿）单", "【预估】", "结算单号：ZY2024-0311",
                   "医疗机构：临夏县人民医院（二级）", "结算日期：2024年3月10日", "马福贵",
                   "人员类别建档立卡贫困人口", "所属村红旗村三社", "住院天数9天", "县域内", "未转诊",
                   "胃恶性肿瘤（病种代码C16.9）", "患者（家属）签字：", "经办人（何永福）：",
                   "医疗机构（盖章）：", "估算的结果", "示例数值", "第1页共1页"):
        assert needle in flat, needle


def test_only_the_embedded_font_a4_and_nothing_outside_the_margins(pdf: Path):
    assert fonts_without_embedding(pdf) == []
    assert only_embedded_wenquanyi(pdf)
    assert page_sizes(pdf) == {(595, 842)}
    assert text_outside_margins(pdf) == []
    assert missing_glyphs(pdf) == set()


def test_a_slip_prints_its_amounts_beside_the_estimate_and_marks_a_difference(tmp_path: Path):
    base = sample_settlement()
    lines = list(base.layers)
    lines[2] = dataclasses.replace(lines[2], slip=Decimal("4600.00"), flagged=True)
    lines[0] = dataclasses.replace(lines[0], slip=Decimal("37400.00"))
    data = dataclasses.replace(base, layers=tuple(lines), from_slip=True, estimate=False,
                               reimbursed=Decimal("44990.00"), self_pay=Decimal("5010.00"),
                               ratio_actual=Decimal("89.98"))
    out = render_settlement(data, tmp_path / "slip.pdf")
    flat = _flat(page_texts(out)[0])
    assert "结算单金额" in flat and "4,600.00*" in flat and "【预估】" not in flat
    assert "实际报销比例89.98%" in flat and "按医疗机构结算单录入" in flat
    assert "达标" not in flat and "目标" not in flat
    assert text_outside_margins(out) == []


def test_the_gansu_style_waivers_are_listed(tmp_path: Path):
    pack = load_pack(POLICIES / "example-gansu-style.toml")
    claim = ClaimInput(episode="住院", level="二级", scope="县域内", admitted=sample_settlement().admitted,
                       discharged=sample_settlement().discharged, total=Decimal("12000.00"),
                       out_of_catalogue=Decimal("600.00"), categories=frozenset({"建档立卡"}),
                       fees={"床位费": Decimal("900.00"), "检查费": Decimal("1500.00")})
    s = settle(pack, claim)
    out = render_settlement(form_from_settlement(s, HTN_PATIENT, hospital="县医院"), tmp_path / "g.pdf")
    flat = _flat(page_texts(out)[0])
    assert "床位费900.0030%270.00治疗床位减免" in flat
    assert f"减免合计{_money(str(s.waived))}" in flat
    assert text_outside_margins(out) == [] and len(page_texts(out)) == 1
