"""A township clinic with households that have years of history, written through the Workspace."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

from app.core.claims import Claim
from app.core.contracts import ServiceDelivery, Team, TeamMember
from app.core.exams import HealthExam
from app.core.followups import FollowUp, GeneralVisit, Referral
from app.core.households import HelpPerson, Household
from app.core.people import Diagnosis, Person
from app.storage.workspace import Workspace
from tests.conftest import make_id

D = dt.date
TOWNSHIP = "622923104000"
VILLAGES = ("622923104201", "622923104202", "622923104203")
TODAY = D(2025, 12, 20)
_serials = itertools.count(100)


def township(path: Path) -> Workspace:
    """A township centre (卫生院) keeping the files of three villages, with one team."""
    ws = Workspace.create(path, clinic_name="红旗乡卫生院", division_code=TOWNSHIP,
                          division_name="红旗乡")
    for code, name in zip(VILLAGES, ("红旗村", "胜利村", "幸福村"), strict=True):
        ws.settings.add_division(code, name)
    ws.contracts.add_team(Team(None, "红旗乡一组团队", "", [TeamMember("团队长", "王院长", "13900000000")]))
    ws.settings.update(policy_county="算例县")
    return ws


def household(ws: Workspace, village: str, *, members: int = 2) -> tuple[str, list[str]]:
    """A poor household with a help person and `members` people; the head is hypertensive."""
    hid, _ = ws.households.add(Household(id=None, village_code=village, group_name="一组",
                                        poverty_status="poor", poverty_causes=["因病"]),
                              since=D(2020, 1, 1))
    ws.households.set_help_person(hid, HelpPerson(name="王干部", unit="县卫健委", phone="13900000001",
                                       since=D(2020, 1, 1)))
    pids = []
    for i in range(members):
        pid, _ = ws.people.add(Person(id=None, household_id=hid, name=f"成员{next(_serials)}",
                                      id_no=make_id(f"19{55 + i}0312", f"{next(_serials) % 1000:03d}"),
                                      relation="户主" if i == 0 else "子", insurance_no="6229231955"),
                               today=TODAY)
        pids.append(pid)
    ws.people.add_diagnosis(Diagnosis(id=None, person_id=pids[0], condition="高血压",
                               confirmed_on=D(2019, 5, 1)))
    return hid, pids


def history(ws: Workspace, hid: str, pids: list[str], years: range = range(2021, 2026)) -> None:
    """Years of a household's life: a contract and 履约 each year, quarterly follow-ups (one
    corrected, one referred with its result), yearly exams given back, general visits, a
    poverty exit, and 2024's hospital stays (one reversed)."""
    head = pids[0]
    team = ws.contracts.teams()[0].id
    for year in years:
        cid, _ = ws.contracts.sign(hid, str(team), ["JC", "GXY"], D(year, 3, 1))
        ws.contracts.record_service(ServiceDelivery(None, cid, head, "慢病随访", D(year, 4, 1), "李医生"),
                          today=TODAY)
        for month in (1, 4, 7, 10):
            refer = month == 7 and year == years[0]
            fid, _ = ws.care.add_followup(FollowUp(
                id=None, person_id=head, kind="高血压", visit_date=D(year, month, 10),
                sbp=165 if refer else 128, dbp=100 if refer else 78,
                referral=Referral("血压控制不佳", "县医院心内科") if refer else None),
                today=TODAY)
            if refer:
                ws.care.record_referral_result(fid, "到位", D(year, month, 20), today=TODAY)
            if month == 10:
                old = ws.care.followup(fid)
                old.sbp = 126
                ws.care.correct_followup(fid, old, today=TODAY)
        for pid in pids:
            ws.care.add_exam(HealthExam(None, pid, D(year, 5, 20), height=165.0, weight=62.0,
                                        result_returned_on=D(year, 6, 1)), today=TODAY)
        ws.care.add_general_visit(GeneralVisit(id=None, person_id=pids[-1], visit_date=D(year, 8, 8),
                                               method="门诊", content="感冒"), today=TODAY)
    ws.households.set_poverty_status(hid, "exited", D(years[-1], 1, 5), "脱贫出")
    if 2024 in years:
        stay = Claim(person_id=head, episode="住院", hospital="永靖县人民医院", level="二级",
                     scope="县域内", admitted=D(2024, 3, 1), discharged=D(2024, 3, 10),
                     total=Decimal("8000.00"), diagnosis="高血压", disease="I10")
        first, _ = ws.claims.add_claim(stay, today=TODAY)
        ws.claims.add_claim(Claim(**{**vars(stay), "admitted": D(2024, 9, 1),
                                     "discharged": D(2024, 9, 6)}), today=TODAY)
        ws.claims.reverse_claim(first, "医院重新结算", today=TODAY)


def rows_of(ws: Workspace, partition: str) -> int:
    """How many rows (tombstones too) of the household-scoped tables a partition holds."""
    from app.storage.partitions import HOUSEHOLD_TABLES

    return sum(int(ws.conn.execute(f"SELECT count(*) FROM {t} WHERE partition = ?",
                                   (partition,)).fetchone()[0]) for t in HOUSEHOLD_TABLES)
