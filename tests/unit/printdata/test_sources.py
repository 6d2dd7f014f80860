"""Form input from a real clinic database: members and ticks, team, fee lines, card, batches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.core.contracts import ServiceDelivery, Team, TeamMember
from app.core.errors import NotFoundError
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.printdata import sources
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id

SIGNED = dt.date(2025, 3, 1)


def _family(ws: Workspace, no: str, status: str, group: str,
            people: list[tuple[str, str, str, str]]) -> str:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group,
                                        household_no=VILLAGE + no, poverty_status=status,
                                        address="红旗村三社17号", phone="13893012345"),
                              since=dt.date(2020, 1, 1))
    for name, birth, seq, relation in people:
        ws.people.add(Person(id=None, household_id=hid, name=name, id_no=make_id(birth, seq),
                             relation=relation), today=SIGNED)
    return str(hid)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.contracts.add_team(Team(None, "红旗村团队", "", [
        TeamMember("团队长", "马院长", "13909301234"), TeamMember("家庭医生", "李医生", "13830912345"),
        TeamMember("乡村医生", "何医生", "13993012345")]))
    hid = _family(workspace, "0001", "poor", "一组", [
        ("马福贵", "19570312", "013", "户主"), ("马桂英", "19600815", "026", "配偶"),
        ("马小军", "19860123", "035", "子"), ("马欣怡", "20190411", "048", "孙女")])
    people = {p.name: p for p in workspace.households.members(hid)}
    workspace.people.add_diagnosis(Diagnosis(None, people["马福贵"].id, "高血压"))
    workspace.people.add_diagnosis(Diagnosis(None, people["马桂英"].id, "2型糖尿病"))
    p = people["马小军"]
    p.disabilities = ["肢体残疾"]
    workspace.people.update(p, today=SIGNED)
    workspace.contracts.sign(hid, str(workspace.contracts.team("红旗村团队").id), ["JC", "GXY"], SIGNED)
    other = _family(workspace, "0002", "general", "二组", [("张三", "19800101", "011", "户主")])
    workspace.contracts.sign(other, str(workspace.contracts.team("红旗村团队").id), ["JC"], SIGNED)
    return workspace


def _contract_no(ws: Workspace, household_no: str) -> str:
    return ws.contracts.of_household(ws.households.find(household_no))[0].contract_no


def test_agreement_members_ticks_team_and_fees(ws):
    data = sources.agreement_data(ws, _contract_no(ws, VILLAGE + "0001"))
    assert data.signer == "马福贵" and data.household_no == VILLAGE + "0001"
    assert data.poverty_status == "建档立卡贫困" and data.signed_on == SIGNED
    by_name = {m.name: m for m in data.members}
    assert [m.name for m in data.members] == ["马福贵", "马桂英", "马小军", "马欣怡"]
    head = by_name["马福贵"]
    assert (head.relation, head.sex, head.age) == ("户主", "男", 67)
    assert head.id_no == make_id("19570312", "013") and len(head.record_no) == 17
    assert head.groups == ("65岁及以上老年人", "高血压患者", "建档立卡贫困人口")
    assert by_name["马桂英"].groups == ("2型糖尿病患者", "建档立卡贫困人口")
    assert by_name["马桂英"].sex == "女" and by_name["马桂英"].age == 64
    assert by_name["马小军"].groups == ("建档立卡贫困人口", "残疾人")
    assert by_name["马欣怡"].groups == ("0-6岁儿童", "建档立卡贫困人口") and by_name["马欣怡"].age == 5
    assert data.team.name == "红旗村团队" and data.team.phone == "13909301234"
    assert [m.role for m in data.team.members] == ["团队长", "家庭医生", "乡村医生"]
    assert [f.package for f in data.fees] == ["基础包", "高血压包"]
    jc, gxy = data.fees
    assert jc.covered == "全户4人" and jc.total == Decimal("120.00")
    # 高血压包 fits only the hypertensive head: one person's (10 + 20) goes to 财政补助
    assert gxy.covered == "马福贵"
    assert gxy.personal == Decimal("0.00") and gxy.finance == Decimal("30.00")
    contract = ws.contracts.get(data.contract_no)
    assert sum((f.total for f in data.fees), Decimal(0)) == contract.fee_total
    assert (data.start, data.end) == (SIGNED, dt.date(2026, 2, 28))


def test_a_general_household_pays_its_personal_part(ws):
    data = sources.agreement_data(ws, _contract_no(ws, VILLAGE + "0002"))
    assert data.poverty_status == "" and data.members[0].groups == ()
    assert data.fees[0].total == Decimal("30.00")


def test_card_doctor_term_policies_and_due_services(ws, monkeypatch):
    hid = ws.households.find(VILLAGE + "0001")
    c = ws.contracts.of_household(hid)[0]
    head = ws.households.members(hid)[0]
    ws.contracts.record_service(ServiceDelivery(None, str(c.id), str(head.id), "年度健康体检",
                                      dt.date(2025, 3, 10)), today=dt.date(2025, 3, 10))
    card = sources.card_data(ws, VILLAGE + "0001", dt.date(2025, 3, 15))
    assert card.doctor.name == "李医生" and card.team.phone == "13909301234"
    assert (card.start, card.end) == (SIGNED, dt.date(2026, 2, 28))
    assert card.poverty_status == "建档立卡" and card.head == "马福贵" and len(card.members) == 4
    # 血压测量 12 a year: the first slot ends 30 days in; the yearly 体检 is only listed when close.
    first = card.due[0]
    assert first.service == "血压测量" and first.due == dt.date(2025, 3, 30)
    assert all(d.service != "年度健康体检" for d in card.due)
    assert len(card.due) <= sources.DUE_LIMIT
    monkeypatch.setattr(sources, "DUE_LIMIT", 100)  # overdue items come first; show them all
    late = sources.card_data(ws, VILLAGE + "0001", dt.date(2026, 1, 15))
    assert ("马福贵", "年度健康体检") not in {(d.person, d.service) for d in late.due}
    assert any(d.service == "年度健康体检" for d in late.due)


def test_card_without_a_live_contract_is_refused(ws):
    with pytest.raises(NotFoundError, match="没有有效的签约协议"):
        sources.card_data(ws, VILLAGE + "0001", dt.date(2026, 3, 1))


def test_agreements_for_a_group_is_a_generator(ws):
    batch = sources.agreements_for(ws, group="一组", today=SIGNED)
    assert iter(batch) is batch
    assert [a.signer for a in batch] == ["马福贵"]
    assert [a.signer for a in sources.agreements_for(ws, today=SIGNED)] == ["马福贵", "张三"]
    assert sources.count_agreements(ws, today=SIGNED) == 2
    assert list(sources.agreements_for(ws, today=dt.date(2026, 3, 1))) == []
    assert len(list(sources.agreements_for(ws, status="expired", today=dt.date(2026, 3, 1)))) == 2
