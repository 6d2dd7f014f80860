"""Contract rules: terms, the status machine, reminders, fee splits to the fen, 签而不约, 履约."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from app.core.contracts import (
    Contract,
    PackageService,
    ServiceDelivery,
    ServicePackage,
    Team,
    TeamMember,
    check_delivery,
    check_not_covered,
    check_transition,
    contract_fees,
    is_expiring,
    is_unserved,
    money,
    new_contract,
    progress,
    renewal_term,
    status_on,
    term_end,
    validate_package,
    validate_team,
)
from app.core.errors import ConflictError, ValidationError

D = dt.date
BASIC = ServicePackage(
    "JC", "基础包", "基础包",
    (PackageService("健康档案管理"), PackageService("年度健康体检", 1), PackageService("慢病随访", 4)),
    Decimal("30.00"), {"医保基金": Decimal("10.00"), "基本公卫经费": Decimal("20.00")},
)
HBP = ServicePackage(
    "GXY", "高血压包", "个性化包", (PackageService("血压测量", 12),), Decimal("33.33"),
    {"医保基金": Decimal("13.33"), "财政补助": Decimal("10.00"), "个人": Decimal("10.00")},
)

MARCH_1 = D(2025, 3, 1)


def contract(start: D = MARCH_1, members: int = 2, status: str = "active") -> Contract:
    c = new_contract(household_id="h", team_id="t", member_ids=[f"p{i}" for i in range(members)],
                     packages=[BASIC, HBP], signed_on=start, poor=False)
    c.id, c.status = "c1", status  # type: ignore[assignment]
    return c


@pytest.mark.parametrize(("start", "end"), [
    (D(2025, 3, 1), D(2026, 2, 28)),
    (D(2023, 3, 1), D(2024, 2, 29)),   # the term crosses a leap day
    (D(2024, 2, 29), D(2025, 2, 28)),  # a leap-day start
    (D(2025, 1, 1), D(2025, 12, 31)),
])
def test_a_term_is_one_year_less_a_day(start, end):
    assert term_end(start) == end


def test_money_rounds_half_up_to_the_fen():
    assert money("0.005") == Decimal("0.01")
    assert money("2.675") == Decimal("2.68")
    assert money(3) == Decimal("3.00")
    with pytest.raises(ValidationError):
        money("abc")


def test_fee_split_for_a_general_household_to_the_fen():
    fees = contract_fees([BASIC, HBP], 3, poor=False)
    assert fees == {"医保基金": Decimal("69.99"), "基本公卫经费": Decimal("60.00"),
                    "财政补助": Decimal("30.00"), "个人": Decimal("30.00")}
    assert sum(fees.values()) == Decimal("189.99") == (BASIC.price + HBP.price) * 3


def test_a_poor_household_pays_nothing_personally_finance_pays_instead():
    fees = contract_fees([BASIC, HBP], 4, poor=True)
    assert fees["个人"] == Decimal("0.00")
    assert fees["财政补助"] == Decimal("80.00")
    assert sum(fees.values()) == (BASIC.price + HBP.price) * 4


def test_a_package_whose_split_does_not_add_up_is_refused():
    bad = ServicePackage("X", "坏包", "个性化包", (PackageService("a", 1),), Decimal("10.00"),
                         {"医保基金": Decimal("5.00"), "个人": Decimal("4.99")})
    with pytest.raises(ValidationError, match=re.escape("9.99 元与价格 10.00")):
        validate_package(bad)
    with pytest.raises(ValidationError, match="付费方“保险公司”"):
        validate_package(ServicePackage("X", "x", "个性化包", (PackageService("a"),), Decimal("1.00"),
                                        {"保险公司": Decimal("1.00")}))
    with pytest.raises(ValidationError, match="类别"):
        validate_package(ServicePackage("X", "x", "高级包", (PackageService("a"),), Decimal("0.00"), {}))
    assert validate_package(BASIC) is BASIC


def test_a_team_needs_exactly_one_leader_and_known_roles():
    team = Team(None, " 一组团队 ", "622923104000",
                [TeamMember("团队长", "王医生", "13900000000"), TeamMember("乡村医生", "李医生")])
    assert validate_team(team).name == "一组团队"
    with pytest.raises(ValidationError, match="团队长"):
        validate_team(Team(None, "t", "x", [TeamMember("护士", "赵")]))
    with pytest.raises(ValidationError, match="角色"):
        validate_team(Team(None, "t", "x", [TeamMember("院长", "赵")]))


@pytest.mark.parametrize(("current", "new"), [
    ("draft", "signed"), ("signed", "active"), ("active", "renewed"), ("signed", "renewed"),
])
def test_legal_transitions_pass(current, new):
    check_transition(current, new)


@pytest.mark.parametrize(("current", "new"), [
    ("draft", "active"), ("dissolved", "active"), ("renewed", "dissolved"), ("active", "draft"),
    ("dissolved", "renewed"),
])
def test_illegal_transitions_are_conflicts_in_chinese(current, new):
    with pytest.raises(ConflictError, match="的协议不能改为"):
        check_transition(current, new, reason="迁出")


def test_dissolving_needs_a_reason_and_other_needs_a_note():
    with pytest.raises(ValidationError, match="解约须选择原因"):
        check_transition("active", "dissolved")
    with pytest.raises(ValidationError, match="请写明"):
        check_transition("active", "dissolved", reason="其他", note="  ")
    check_transition("active", "dissolved", reason="其他", note="全家外出务工")
    check_transition("active", "dissolved", reason="死亡")


def test_status_is_active_to_the_last_day_and_expired_the_day_after():
    c = contract(D(2025, 3, 1))
    assert status_on(c, D(2026, 2, 28)) == "active"
    assert status_on(c, D(2026, 3, 1)) == "expired"
    assert status_on(c, D(2025, 2, 28)) == "signed"
    c.status = "dissolved"
    assert status_on(c, D(2026, 3, 1)) == "dissolved"


def test_expiry_reminder_on_the_30th_day_ahead_not_the_31st():
    c = contract(D(2025, 3, 1))  # last day 2026-02-28
    assert is_expiring(c, D(2026, 1, 29))       # 30 days ahead
    assert not is_expiring(c, D(2026, 1, 28))   # 31 days ahead
    assert is_expiring(c, D(2026, 2, 28))       # the last day itself
    assert not is_expiring(c, D(2026, 3, 1))    # expired, no longer a reminder
    assert is_expiring(c, D(2026, 1, 28), within=31)


def test_renewal_starts_the_day_after_the_old_term_or_on_the_day_if_late():
    c = contract(D(2025, 3, 1))
    assert renewal_term(c, D(2026, 2, 10)) == D(2026, 3, 1)
    assert renewal_term(c, D(2026, 4, 2)) == D(2026, 4, 2)


def test_a_person_cannot_be_signed_twice_with_the_same_team_while_covered():
    c = contract(D(2025, 3, 1))
    with pytest.raises(ConflictError, match="张三已与该团队签约"):
        check_not_covered({"p0": "张三"}, [c], "t", D(2025, 6, 1))
    check_not_covered({"p0": "张三"}, [c], "other team", D(2025, 6, 1))
    check_not_covered({"p0": "张三"}, [c], "t", D(2026, 3, 1))  # after the term
    c.status = "dissolved"
    check_not_covered({"p0": "张三"}, [c], "t", D(2025, 6, 1))


def test_signed_but_not_served_from_the_90th_day():
    c = contract(D(2025, 3, 1))
    assert not is_unserved(c, False, D(2025, 5, 29))  # day 89
    assert is_unserved(c, False, D(2025, 5, 30))      # day 90
    assert not is_unserved(c, True, D(2025, 5, 30))
    assert not is_unserved(c, False, D(2026, 3, 1))   # expired
    assert is_unserved(c, False, D(2025, 4, 1), days=31)


def test_progress_promises_frequency_times_members_and_counts_within_the_term():
    c = contract(D(2025, 3, 1), members=2)
    done = [
        ServiceDelivery(None, "c1", "p0", "慢病随访", D(2025, 4, 1)),
        ServiceDelivery(None, "c1", "p1", "慢病随访", D(2025, 7, 1)),
        ServiceDelivery(None, "c1", "p0", "年度健康体检", D(2026, 2, 28)),
        ServiceDelivery(None, "c1", "p0", "年度健康体检", D(2026, 3, 1)),  # after the term
        ServiceDelivery(None, "c2", "p0", "血压测量", D(2025, 4, 1)),       # another contract
    ]
    got = {p.service: (p.promised, p.done) for p in progress(c, done)}
    assert got == {"健康档案管理": (0, 0), "年度健康体检": (2, 1), "慢病随访": (8, 2), "血压测量": (24, 0)}


def test_a_delivery_must_fit_the_contract():
    c = contract(D(2025, 3, 1))
    ok = ServiceDelivery(None, "c1", "p0", " 慢病随访 ", D(2025, 4, 1), "李医生")
    assert check_delivery(c, ok, today=D(2025, 4, 1)).service == "慢病随访"
    with pytest.raises(ValidationError, match="不在这份协议"):
        check_delivery(c, ServiceDelivery(None, "c1", "px", "慢病随访", D(2025, 4, 1)), today=D(2025, 5, 1))
    with pytest.raises(ValidationError, match="没有“拔牙”"):
        check_delivery(c, ServiceDelivery(None, "c1", "p0", "拔牙", D(2025, 4, 1)), today=D(2025, 5, 1))
    with pytest.raises(ValidationError, match="服务期"):
        check_delivery(c, ServiceDelivery(None, "c1", "p0", "慢病随访", D(2025, 2, 1)), today=D(2025, 5, 1))
    c.status, c.dissolved_on = "dissolved", D(2025, 4, 15)
    with pytest.raises(ConflictError, match="解约"):
        check_delivery(c, ServiceDelivery(None, "c1", "p0", "慢病随访", D(2025, 5, 1)), today=D(2025, 5, 1))


def test_a_person_level_contract_has_one_member():
    with pytest.raises(ValidationError, match="按人签约"):
        new_contract(household_id="h", team_id="t", member_ids=["a", "b"], packages=[BASIC],
                     signed_on=D(2025, 1, 1), poor=False, level="person")
    with pytest.raises(ValidationError, match="没有在册成员"):
        new_contract(household_id="h", team_id="t", member_ids=[], packages=[BASIC],
                     signed_on=D(2025, 1, 1), poor=False)
