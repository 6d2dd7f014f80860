"""The 明白卡 of a real household: each member's signed packages, and the 户类型 in force today."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from app.core.contracts import Team, TeamMember
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.printdata.sources import card_data
from app.printing.card import render_card
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id

SIGNED = dt.date(2025, 3, 1)


def pdf_lines(pdf: Path) -> list[str]:
    """The page as pdftotext lays it out, one printed line per item, spaces squeezed."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [" ".join(line.split()) for line in out.splitlines() if line.strip()]


def test_the_card_lists_what_each_member_signed_and_the_current_status(workspace: Workspace,
                                                                       tmp_path: Path):
    tid, _ = workspace.contracts.add_team(Team(None, "红旗村团队", "", [TeamMember("团队长", "马院长", "13909301234"),
                                                          TeamMember("乡村医生", "何医生", "13993012345")]))
    hid, _ = workspace.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                               household_no=VILLAGE + "0007", poverty_status="poor"),
                                     since=dt.date(2016, 1, 1))
    workspace.households.set_poverty_status(hid, "exited", dt.date(2020, 12, 1), "脱贫出")
    adult, _ = workspace.people.add(Person(id=None, household_id=hid, name="王建军",
                                           id_no=make_id("19700101", "011"), relation="户主"))
    workspace.people.add_diagnosis(Diagnosis(None, adult, "高血压", dt.date(2021, 6, 1)))
    workspace.people.add(Person(id=None, household_id=hid, name="王小宝",
                                id_no=make_id("20180302", "022"), relation="子"))
    workspace.contracts.sign(hid, str(tid), ["JC", "GXY"], SIGNED)

    pdf = render_card(card_data(workspace, VILLAGE + "0007", dt.date(2025, 3, 15)), tmp_path / "card.pdf")
    lines = pdf_lines(pdf)
    assert "王建军 基础包、高血压包" in lines
    assert "王小宝 基础包" in lines
    assert [ln for ln in lines if "高血压包" in ln] == ["王建军 基础包、高血压包"]
    status = next(ln for ln in lines if "户类型" in ln)
    assert "脱贫户" in status and "建档立卡" not in status
