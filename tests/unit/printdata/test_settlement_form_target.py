"""The patient's printed 一站式结算单 gives the 实际报销比例 but never 达标/未达标 (the county's
concern, shown only in the app), and prints a layer below its deductible in plain words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from app.core.claims import Claim
from app.core.households import Household
from app.core.people import Person
from app.printdata.claim_sources import settlement_form
from app.printing.settlement import render_settlement
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id
from tests.unit.printing.pdfcheck import page_texts, text_outside_margins

TODAY = dt.date(2025, 1, 15)


def _flat(text: str) -> str:
    return "".join(text.split())


def _poor_person(ws: Workspace) -> str:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                        poverty_status="poor"), since=dt.date(2020, 1, 1))
    pid, _ = ws.people.add(Person(id=None, household_id=hid, name="马福贵", id_no=make_id("19570312", "013"),
                                  relation="户主"), today=TODAY)
    return str(pid)


def test_a_stay_below_the_target_prints_its_ratio_without_a_verdict(workspace: Workspace, tmp_path: Path):
    workspace.settings.update(policy_county="算例县")
    pid = _poor_person(workspace)
    # 建档立卡, 二级, in the county: 基本医保 (5,000 − 250) × 80% = 3,800; 大病保险's yearly
    # deductible (10,000, halved for 建档立卡: 5,000) is not reached by the 1,200 left; 医疗救助 1,200 × 70% = 840.
    cid, _ = workspace.claims.add_claim(Claim(
        person_id=pid, episode="住院", hospital="永靖县人民医院", level="二级", scope="县域内",
        admitted=dt.date(2024, 3, 1), discharged=dt.date(2024, 3, 10), total=Decimal("6000.00"),
        out_of_catalogue=Decimal("1000.00")), today=TODAY)
    line = workspace.claims.line(cid)
    assert line.target_met is False and line.ratio_actual == Decimal("77.33")   # the app judges it
    out = render_settlement(settlement_form(workspace, cid), tmp_path / "below.pdf")
    assert out is not None
    [page] = page_texts(out)
    flat = _flat(page)
    assert "实际报销比例77.33%" in flat
    assert "达标" not in flat and "目标" not in flat
    assert "基数1,200.00未达年度起付线5,000.00，本层不报销；本次计入起付线1,200.00，本年起付线尚余3,800.00" in flat
    assert text_outside_margins(out) == []
