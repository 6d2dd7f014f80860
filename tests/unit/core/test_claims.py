"""The claim record: its checks, the person's categories and the slip-versus-estimate comparison."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from app.core.claims import (
    Claim,
    as_prior,
    check_claim,
    compare,
    outcome,
    person_categories,
    ratio_actual,
    tolerance_from,
)
from app.core.errors import ValidationError
from app.core.policy import load_pack
from app.core.settlement import settle

D = dt.date
TODAY = D(2025, 1, 1)
PACK = load_pack(Path(__file__).resolve().parents[3] / "resources" / "policies" / "worked-example.toml")
BASE = Claim(person_id="p1", episode="住院", hospital="县人民医院", level="二级", scope="县域内",
             admitted=D(2024, 3, 1), discharged=D(2024, 3, 10), total=Decimal("50000.00"),
             out_of_catalogue=Decimal("3000.00"), categories=("建档立卡",))


def refused(field: str, **changes: object) -> str:
    with pytest.raises(ValidationError) as err:
        check_claim(replace(BASE, **changes), today=TODAY)  # type: ignore[arg-type]
    assert err.value.field == field, (changes, err.value.field)
    return str(err.value)


def test_a_good_claim_is_tidied_and_kept_to_the_fen():
    c = check_claim(replace(BASE, hospital=" 县人民医院　", total=Decimal("50000"), disease="c16.9",
                            categories=("建档立卡贫困户",)), today=TODAY)
    assert (c.hospital, str(c.total), c.disease, c.categories) == ("县人民医院", "50000.00", "C16.9", ("建档立卡",))
    assert c.days == 9 and c.year == 2024 and not c.is_estimate


def test_bad_claims_are_refused_naming_the_field():
    assert "早于" in refused("discharged", discharged=D(2024, 2, 1))
    assert "两位小数" in refused("total", total=Decimal("1.001"))
    assert "应大于0" in refused("total", total=Decimal("0"))
    assert "负数" in refused("out_of_catalogue", out_of_catalogue=Decimal("-1"))
    assert "超过医疗总费用" in refused("out_of_catalogue", out_of_catalogue=Decimal("50000.01"))
    assert "不认识的费用类别" in refused("fees", fees={"伙食费": Decimal("10")})
    assert "超过医疗总费用" in refused("fees", fees={"床位费": Decimal("30000"), "药品费": Decimal("30000")})
    assert "超过医疗总费用" in refused("paid", paid={"基本医保": Decimal("40000"), "大病保险": Decimal("10001")})
    assert "超过医疗总费用" in refused("self_pay", paid={"基本医保": Decimal("40000")}, self_pay=Decimal("10001"))
    assert "预估" in refused("paid", source="预估", paid={"基本医保": Decimal("1")})
    assert "今天之后" in refused("discharged", discharged=D(2025, 1, 2))
    assert "医疗机构" in refused("hospital", hospital="")
    assert "原因" in refused("reason", reverses="x")
    assert "就医类型" in refused("episode", episode="急诊")
    assert "来源" in refused("source", source="电话")
    assert "人员类别" in refused("categories", categories=("富人",))
    assert "文字" in refused("total", total=50000.0)


def test_an_estimate_may_lie_in_the_future_and_name_no_hospital():
    c = check_claim(replace(BASE, source="预估", hospital="", discharged=D(2025, 3, 1)), today=TODAY)
    assert c.is_estimate


def test_categories_come_from_the_poverty_status_and_assistance():
    assert person_categories("poor") == ("建档立卡",)
    assert person_categories("exited") == ("脱贫户",)
    assert person_categories("monitored") == ("监测户",)
    assert person_categories("dibao", ["低保"]) == ("低保",)
    assert person_categories("tekun", ["特困", "残疾"], "三级") == ("特困",)
    assert person_categories("general") == ("普通",)
    assert person_categories("general", ["残疾"], "二级") == ("重度残疾",)
    assert person_categories("general", ["残疾"], "二级", known=("普通",)) == ("普通",)
    assert person_categories("exited", ["低保"]) == ("脱贫户", "低保")


def test_comparison_flags_a_difference_above_the_tolerance_only():
    s = settle(PACK, BASE.engine_input())
    slip = replace(BASE, paid={"基本医保": Decimal("37400.01"), "大病保险": Decimal("2990.00"),
                               "医疗救助": Decimal("4600.00"), "医院减免": Decimal("100.00")},
                   self_pay=Decimal("4883.00"))
    checks = {k.name: k for k in compare(s, slip)}
    assert not checks["基本医保"].flagged and checks["基本医保"].difference == Decimal("0.01")
    assert checks["医疗救助"].flagged and checks["医疗救助"].difference == Decimal("-27.00")
    assert checks["医院减免"].estimate == Decimal("0.00") and checks["医院减免"].flagged
    assert checks["个人自付"].difference == Decimal("-100.00")
    assert not compare(s, slip, tolerance=Decimal("100"))[2].flagged
    assert compare(s, BASE) == []


def test_a_layer_missing_from_a_listed_slip_counts_as_zero():
    s = settle(PACK, BASE.engine_input())
    checks = compare(s, replace(BASE, paid={"基本医保": Decimal("37400.00")}))
    assert [str(k.slip) for k in checks] == ["37400.00", "0.00", "0.00"]
    assert [k.flagged for k in checks] == [False, True, True]


def test_the_slip_amounts_stand_for_the_year_with_the_engine_deductibles():
    s = settle(PACK, BASE.engine_input())
    slip = replace(BASE, paid={"基本医保": Decimal("37000.00"), "大病保险": Decimal("2990.00")})
    result = outcome(s, slip)
    assert result.from_slip and result.reimbursed == Decimal("39990.00")
    assert result.self_pay == Decimal("10010.00")
    prior = as_prior(s, slip)
    assert [(x.name, str(x.amount), str(x.deductible_used)) for x in prior.layers] == [
        ("基本医保", "37000.00", "250.00"), ("大病保险", "2990.00", "5000.00")]
    assert outcome(s, BASE).self_pay == Decimal("4983.00") and not outcome(s, BASE).from_slip
    assert ratio_actual(Decimal("50000.00"), Decimal("4983.00")) == Decimal("90.03")


def test_the_tolerance_setting_is_money():
    assert tolerance_from("") == Decimal("0.01")
    assert tolerance_from("1") == Decimal("1.00")
    with pytest.raises(ValidationError) as err:
        tolerance_from("abc")
    assert err.value.field == "claim_tolerance"
