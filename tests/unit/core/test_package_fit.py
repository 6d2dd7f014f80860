"""Whom a package fits: its diagnosis, age and 人群类型 conditions on the signing day, at their edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.core.contracts import (
    PackageConditions,
    PackageService,
    ServicePackage,
    choice_fees,
    new_contract,
    progress,
    validate_package,
)
from app.core.errors import ValidationError
from app.core.households import PovertyEvent, status_on
from app.core.package_fit import (
    HeldCondition,
    MemberFacts,
    default_ticked,
    describe,
    member_groups,
    package_fit,
)

D = dt.date
SIGNED = D(2025, 3, 1)


def pkg(code: str, tier: str = "个性化包", price: str = "60.00", **conditions: object) -> ServicePackage:
    return ServicePackage(code, code, tier, (PackageService("血压测量", 12),), Decimal(price),
                          {"医保基金": Decimal("30.00"), "个人": Decimal(price) - Decimal("30.00")},
                          PackageConditions(**conditions))  # type: ignore[arg-type]


GXY = pkg("GXY", diagnoses=("高血压",))
LNR = pkg("LNR", age_min=65)
ET = pkg("ET", age_max=6)
POOR = pkg("PK", groups=("贫困人口",))
JC = pkg("JC", tier="基础包")


ADULT = D(1970, 1, 1)


def member(birth: dt.date | None = ADULT, *conditions: HeldCondition,
           groups: frozenset[str] = frozenset()) -> MemberFacts:
    return MemberFacts("p1", "张三", birth, tuple(conditions), groups)


@pytest.mark.parametrize(("birth", "fits"), [
    (D(1960, 3, 2), False),   # 64 on the signing day: 65 tomorrow
    (D(1960, 3, 1), True),    # 65th birthday on the signing day
    (D(1950, 1, 1), True),
])
def test_an_elder_package_fits_from_the_65th_birthday_on_the_signing_day(birth, fits):
    got = package_fit(LNR, member(birth), SIGNED)
    assert got.fits is fits
    if not fits:
        assert got.reason == "64岁，本包限65岁及以上"


@pytest.mark.parametrize(("birth", "fits"), [
    (D(2018, 3, 2), True),    # 6 until the day after signing
    (D(2018, 3, 1), False),   # 7th birthday on the signing day
    (D(2025, 3, 1), True),    # born that day: 0
])
def test_a_child_package_fits_up_to_and_including_age_6(birth, fits):
    assert package_fit(ET, member(birth), SIGNED).fits is fits


def test_an_age_condition_without_a_birth_date_does_not_fit_and_says_so():
    got = package_fit(LNR, member(None), SIGNED)
    assert not got.fits and "没有出生日期" in got.reason


def test_a_diagnosis_package_needs_the_diagnosis_held_on_the_signing_day():
    assert package_fit(GXY, member(D(1970, 1, 1), HeldCondition("高血压", D(2020, 5, 1))), SIGNED).fits
    assert package_fit(GXY, member(D(1970, 1, 1), HeldCondition("高血压", SIGNED)), SIGNED).fits
    none = package_fit(GXY, member(D(1970, 1, 1), HeldCondition("2型糖尿病")), SIGNED)
    assert not none.fits and none.reason == "档案中没有高血压诊断"
    later = package_fit(GXY, member(D(1970, 1, 1), HeldCondition("高血压", D(2025, 3, 2))), SIGNED)
    assert not later.fits and "晚于签约日期" in later.reason


@pytest.mark.parametrize(("ended", "fits"), [
    (D(2025, 2, 28), False),  # ended before signing
    (SIGNED, False),          # ended on the signing day: no longer held that day
    (D(2025, 3, 2), True),    # still held on the signing day
])
def test_an_ended_diagnosis_does_not_count_from_its_end(ended, fits):
    facts = member(D(1970, 1, 1), HeldCondition("高血压", D(2020, 1, 1), ended))
    got = package_fit(GXY, facts, SIGNED)
    assert got.fits is fits
    if not fits:
        assert got.reason == f"高血压诊断已于{ended}结束"


def test_groups_come_from_the_household_status_and_the_persons_file():
    assert "贫困人口" in member_groups(household_status="exited", assistance=[], disabilities=[])
    assert member_groups(household_status="general", assistance=[], disabilities=[]) == frozenset()
    disabled = member_groups(household_status="general", assistance=[], disabilities=["肢体残疾"])
    assert disabled == {"残疾"}
    assert {"低保", "贫困人口"} <= member_groups(household_status="dibao", assistance=[], disabilities=[])
    assert package_fit(POOR, member(groups=frozenset({"贫困人口"})), SIGNED).fits
    assert package_fit(POOR, member(), SIGNED).reason == "不属于贫困人口"
    pregnant = package_fit(pkg("YCF", groups=("孕产妇",)), member(), SIGNED)
    assert not pregnant.fits and "请医生确认" in pregnant.reason


def test_every_condition_given_must_hold():
    both = pkg("X", diagnoses=("高血压",), age_min=65)
    young = member(D(1980, 1, 1), HeldCondition("高血压"))
    assert package_fit(both, young, SIGNED).reason == "45岁，本包限65岁及以上"
    old = member(D(1950, 1, 1), HeldCondition("高血压"))
    assert package_fit(both, old, SIGNED).reason == "符合：高血压，75岁"
    assert describe(both.conditions) == "高血压患者，65岁及以上"
    assert describe(JC.conditions) == "所有居民"


def test_defaults_tick_the_basic_package_and_targeted_ones_that_fit():
    child = member(D(2019, 1, 1))
    assert default_ticked(JC, package_fit(JC, child, SIGNED))
    assert default_ticked(ET, package_fit(ET, child, SIGNED))
    assert not default_ticked(GXY, package_fit(GXY, child, SIGNED))
    anyone = pkg("ZY")  # a personalised package for anyone is the resident's choice
    assert not default_ticked(anyone, package_fit(anyone, child, SIGNED))


def test_package_conditions_are_validated():
    with pytest.raises(ValidationError, match="适用病种“心脏病”不认识"):
        validate_package(pkg("A", price="30.00", diagnoses=("心脏病",)))
    with pytest.raises(ValidationError, match="适用人群“老人”不认识"):
        validate_package(pkg("A", price="30.00", groups=("老人",)))
    with pytest.raises(ValidationError, match="最小年龄65岁大于最大年龄6岁"):
        validate_package(pkg("A", price="30.00", age_min=65, age_max=6))


def test_fees_are_charged_per_member_for_what_each_signed():
    choice = {"adult": [JC, GXY], "child": [JC]}
    fees = choice_fees(choice, poor=False)
    assert sum(fees.values()) == Decimal("180.00")  # 120 + 60, not 2 × 120
    assert fees["个人"] == Decimal("30.00") + Decimal("30.00") + Decimal("30.00")
    c = new_contract(household_id="h", team_id="t", member_ids=["adult", "child"], packages=[JC, GXY],
                     signed_on=SIGNED, poor=True, choice=choice)
    assert c.fees["个人"] == Decimal("0.00") and c.fee_total == Decimal("180.00")
    assert c.member_packages == {"adult": ["JC", "GXY"], "child": ["JC"]}
    assert c.members_of("GXY") == ["adult"]
    assert {p.service: p.promised for p in progress(c, [])} == {"血压测量": 36}


def test_a_member_with_no_package_is_not_signed():
    c = new_contract(household_id="h", team_id="t", member_ids=["a", "b"], packages=[GXY],
                     signed_on=SIGNED, poor=False, choice={"a": [GXY], "b": []})
    assert c.member_ids == ["a"]


def test_the_current_poverty_status_is_the_latest_change_on_or_before_the_day():
    history = [PovertyEvent("poor", D(2016, 1, 1)), PovertyEvent("exited", D(2019, 12, 1))]
    assert status_on(history, D(2025, 1, 1)) == "exited"
    assert status_on(history, D(2019, 11, 30)) == "poor"
    assert status_on(history, D(2015, 1, 1), fallback="general") == "general"
