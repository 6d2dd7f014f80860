"""The settlement cascade: the DOMAIN worked example to the fen, each layer feature on its own,
year-to-date across stays, reversal, and each shipped example pack checked by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from app.core.errors import ValidationError
from app.core.policy import PolicyPack, load_pack, parse_pack
from app.core.settlement import (
    ClaimInput,
    PriorClaim,
    Settlement,
    settle,
    year_to_date,
)
from app.core.settlement_text import claim_from_json, explain, prior_from_json

D = Decimal
POLICIES = Path(__file__).resolve().parents[3] / "resources" / "policies"
POOR = frozenset({"建档立卡"})


def pack(layers: str, order: list[str], *, extra: str = "") -> PolicyPack:
    names = ", ".join(f'"{n}"' for n in order)
    head = (f'[pack]\nname = "测试"\ncounty = "测试县"\nvalid_from = 2024-01-01\n'
            f'valid_to = 2024-12-31\norder = [{names}]\n\n[targets]\n"住院" = 0.90\n\n')
    return parse_pack(head + extra + "\n" + layers, source="测试.toml")


def claim(total: str, out: str = "0", **kw: object) -> ClaimInput:
    fields: dict[str, object] = dict(
        episode="住院", level="二级", scope="县域内", admitted=dt.date(2024, 3, 1),
        discharged=dt.date(2024, 3, 10), total=D(total), out_of_catalogue=D(out))
    fields.update(kw)
    return ClaimInput(**fields)  # type: ignore[arg-type]


def amounts(s: Settlement) -> list[str]:
    return [str(x.amount) for x in s.layers]


def after(s: Settlement, c: ClaimInput) -> ClaimInput:
    """The next claim of the same person, with this settlement counted in its year-to-date."""
    return dataclasses.replace(c, year_to_date=s.year_to_date)


def one(layer: str) -> PolicyPack:
    return pack(f'[layer."基本医保"]\n{layer}\n', ["基本医保"])


# --- the worked example (DOMAIN.md rule 5) ------------------------------------------------

WORKED = (POLICIES / "worked-example.toml").read_text(encoding="utf-8")
CEILING = '\n[layer."政府兜底"]\nkind = "兜底"\nceiling_by_scope = { "县域内" = 3000 }\n'


def worked_claim() -> ClaimInput:
    return claim("50000.00", "3000.00", categories=POOR)


def test_the_worked_example_comes_out_to_the_fen():
    s = settle(parse_pack(WORKED, source="worked-example.toml"), worked_claim())
    assert amounts(s) == ["37400.00", "2990.00", "4627.00"]
    assert s.self_pay == D("4983.00") and s.reimbursed == D("45017.00")
    assert s.ratio_actual == D("90.03") and s.target == D("90.00") and s.target_met is True
    assert s.layers[0].rule == "(47,000.00 − 起付线 250.00) × 80% = 37,400.00"
    assert s.layers[1].rule == "(9,600.00 − 起付线 5,000.00) × 65% = 2,990.00"
    assert s.layers[2].rule == "6,610.00 × 70% = 4,627.00"
    assert (s.layers[0].base, s.layers[0].deductible_used, s.layers[0].ratio) == (
        D("47000.00"), D("250.00"), D("0.80"))


def test_the_worked_example_with_a_yearly_ceiling_of_3000():
    text = WORKED.replace('"大病保险", "医疗救助"]', '"大病保险", "医疗救助", "政府兜底"]') + CEILING
    s = settle(parse_pack(text, source="算例.toml"), worked_claim())
    assert amounts(s) == ["37400.00", "2990.00", "4627.00", "1983.00"]
    assert s.self_pay == D("3000.00") and s.ratio_actual == D("94.00")
    assert s.layers[3].rule == "个人负担 4,983.00 − 上限 3,000.00 = 1,983.00"
    assert s.layers[3].limit == D("3000.00")


def test_the_explanation_reads_line_by_line():
    lines = explain(settle(parse_pack(WORKED, source="w.toml"), worked_claim()))
    assert "1. 基本医保：(47,000.00 − 起付线 250.00) × 80% = 37,400.00" in lines
    assert "报销合计 45,017.00，个人自付 4,983.00" in lines
    assert "实际报销比例 90.03%（目标 90%，达标）" in lines


def test_the_json_has_money_as_text_and_reads_back_as_an_earlier_claim():
    s = settle(parse_pack(WORKED, source="w.toml"), dataclasses.replace(worked_claim(), claim_id="A1"))
    data = s.to_json()
    assert data["layers"][0]["amount"] == "37400.00" and data["layers"][0]["ratio"] == "0.80"
    assert (data["self_pay"], data["ratio_actual"], data["target"], data["target_met"]) == (
        "4983.00", "90.03", "90.00", True)
    assert prior_from_json(data) == s.as_prior()


# --- deductibles --------------------------------------------------------------------------


def test_a_deductible_per_episode_is_taken_at_every_stay():
    p = one("deductible = 1000\nratio = 0.5")
    first = settle(p, claim("10000"))
    second = settle(p, after(first, claim("10000")))
    assert amounts(first) == amounts(second) == ["4500.00"]


def test_a_deductible_per_year_is_taken_once_a_year():
    p = one('deductible = 1000\ndeductible_per = "每年"\nratio = 0.5')
    first = settle(p, claim("10000"))
    second = settle(p, after(first, claim("10000")))
    assert amounts(first) == ["4500.00"] and amounts(second) == ["5000.00"]
    assert second.layers[0].deductible == D("1000.00") and second.layers[0].deductible_used == D("0.00")


def test_a_yearly_deductible_larger_than_one_stay_carries_over():
    p = one('deductible = 1000\ndeductible_per = "每年"\nratio = 0.5')
    first = settle(p, claim("600"))
    second = settle(p, after(first, claim("2000")))
    assert amounts(first) == ["0.00"] and second.layers[0].deductible_used == D("400.00")
    assert amounts(second) == ["800.00"]


def test_a_category_override_lowers_the_deductible_and_the_lowest_wins():
    p = one('deductible = 1000\ndeductible_by_category = { "建档立卡" = "50%", "特困" = 0, "低保" = 800 }\n'
            "ratio = 0.5")
    assert amounts(settle(p, claim("10000"))) == ["4500.00"]
    assert amounts(settle(p, claim("10000", categories=frozenset({"建档立卡", "低保"})))) == ["4750.00"]
    assert amounts(settle(p, claim("10000", categories=frozenset({"特困", "建档立卡"})))) == ["5000.00"]


def test_a_hospital_level_may_set_its_own_deductible():
    p = one('deductible = 300\nratio = 0.8\nby_hospital = [ { level = "一级", deductible = 100 } ]')
    assert amounts(settle(p, claim("10000", level="一级"))) == ["7920.00"]
    assert amounts(settle(p, claim("10000", level="二级"))) == ["7760.00"]


# --- ratios -------------------------------------------------------------------------------


def test_progressive_bands_pay_each_slice_at_its_own_ratio():
    p = one("bands = [\n { from = 0, to = 10000, ratio = 0.5 },\n { from = 10000, to = 30000, ratio = 0.6 },\n"
            " { from = 30000, ratio = 0.7 },\n]")
    s = settle(p, claim("45000"))
    assert amounts(s) == ["27500.00"] and s.layers[0].ratio is None
    assert s.layers[0].rule == "分段：10,000.00 × 50% + 20,000.00 × 60% + 15,000.00 × 70% = 27,500.00"


def test_bands_apply_above_the_deductible():
    p = one("deductible = 5000\nbands = [ { from = 0, to = 10000, ratio = 0.5 }, { from = 10000, ratio = 0.8 } ]")
    s = settle(p, claim("20000"))
    assert amounts(s) == ["9000.00"]
    assert s.layers[0].rule.startswith("(20,000.00 − 起付线 5,000.00) = 15,000.00，分段：")


def test_yearly_bands_continue_where_the_earlier_stays_left_off():
    p = one('bands_per = "每年"\nbands = [ { from = 0, to = 10000, ratio = 0.5 }, { from = 10000, ratio = 0.6 } ]')
    first = settle(p, claim("8000"))
    second = settle(p, after(first, claim("5000")))
    assert amounts(first) == ["4000.00"] and amounts(second) == ["2800.00"]


def test_the_largest_uplift_among_the_persons_categories_applies():
    p = one('ratio = 0.75\nuplift = { "建档立卡" = 5, "低保" = 10 }')
    assert amounts(settle(p, claim("10000"))) == ["7500.00"]
    assert amounts(settle(p, claim("10000", categories=POOR))) == ["8000.00"]
    assert amounts(settle(p, claim("10000", categories=frozenset({"建档立卡", "低保"})))) == ["8500.00"]


def test_an_uplift_never_takes_the_ratio_above_100_percent():
    p = one('ratio = 0.95\nuplift = { "建档立卡" = 10 }')
    s = settle(p, claim("10000", categories=POOR))
    assert amounts(s) == ["10000.00"] and s.layers[0].ratio == D(1) and s.self_pay == D("0.00")


def test_ratios_by_hospital_level_and_scope_first_matching_row_wins():
    p = one('deductible = 300\nratio = 0.8\nby_hospital = [\n'
            '  { level = "一级", ratio = 0.9, deductible = 100 },\n'
            '  { level = "三级", scope = "县域内", ratio = 0.7 },\n  { scope = "省外", ratio = 0.5 },\n]')
    assert amounts(settle(p, claim("10000", level="一级"))) == ["8910.00"]
    assert amounts(settle(p, claim("10000", level="三级"))) == ["6790.00"]
    assert amounts(settle(p, claim("10000", level="三级", scope="省外", referred=True))) == ["4850.00"]
    assert amounts(settle(p, claim("10000", scope="市域内", referred=True))) == ["7760.00"]


def test_an_unreferred_stay_outside_the_county_loses_percentage_points():
    p = one("ratio = 0.8\nunreferred_penalty = 10")
    assert amounts(settle(p, claim("10000", scope="市域内"))) == ["7000.00"]
    assert amounts(settle(p, claim("10000", scope="市域内", referred=True))) == ["8000.00"]
    assert amounts(settle(p, claim("10000", scope="县域内"))) == ["8000.00"]
    only_outside_province = one('ratio = 0.8\nunreferred_penalty = 10\nreferral_scopes = ["省外"]')
    assert amounts(settle(only_outside_province, claim("10000", scope="市域内"))) == ["8000.00"]
    note = settle(p, claim("10000", scope="市域内")).layers[0].notes
    assert "比例 80%，市域内就医未转诊，降低10个百分点，为 70%" in note


# --- caps ---------------------------------------------------------------------------------


def test_a_cap_reached_in_the_middle_of_a_claim_pays_only_what_is_left():
    p = one("ratio = 0.8\ncap = 10000")
    first = settle(p, claim("10000"))
    second = settle(p, after(first, claim("5000")))
    assert amounts(first) == ["8000.00"] and amounts(second) == ["2000.00"]
    assert second.layers[0].rule == "5,000.00 × 80% = 4,000.00；年度封顶线 10,000.00 只剩 2,000.00，本次支付 2,000.00"


def test_categories_exempt_from_the_cap_are_paid_in_full():
    p = one('ratio = 0.8\ncap = 10000\ncap_exempt = ["建档立卡"]')
    first = settle(p, claim("10000", categories=POOR))
    assert amounts(settle(p, after(first, claim("5000", categories=POOR)))) == ["4000.00"]


# --- conditions ---------------------------------------------------------------------------

AID = ('[layer."基本医保"]\nratio = 0.5\n\n[layer."医疗救助"]\nratio = 0.5\n')


def aid(condition: str) -> PolicyPack:
    return pack(AID + condition + "\n", ["基本医保", "医疗救助"])


def test_a_layer_for_other_categories_does_not_apply():
    s = settle(aid('categories = ["低保"]'), claim("10000"))
    assert amounts(s) == ["5000.00", "0.00"] and not s.layers[1].applies
    assert s.layers[1].rule == "不适用：仅限低保"
    assert amounts(settle(aid('categories = ["低保"]'), claim("10000", categories=frozenset({"低保"})))) == [
        "5000.00", "2500.00"]


def test_excluded_categories_episodes_scopes_and_levels_switch_a_layer_off():
    assert settle(aid('exclude_categories = ["低保"]'), claim("10000", categories=frozenset({"低保"}))
                  ).layers[1].rule == "不适用：不含低保"
    assert settle(aid('episodes = ["门诊慢特病"]'), claim("10000")).layers[1].rule == "不适用：仅限门诊慢特病"
    assert settle(aid('scopes = ["县域内"]'), claim("10000", scope="省外", referred=True)
                  ).layers[1].rule == "不适用：仅限县域内就医"
    assert settle(aid('levels = ["一级"]'), claim("10000")).layers[1].rule == "不适用：仅限一级医院"


def test_a_disease_list_matches_a_code_prefix_or_a_name_in_the_diagnosis():
    p = aid('diseases = ["C15", "胃癌"]')
    assert settle(p, claim("10000", disease="C15.9")).layers[1].amount == D("2500.00")
    assert settle(p, claim("10000", diagnosis="胃癌（术后化疗）")).layers[1].amount == D("2500.00")
    miss = settle(p, claim("10000", disease="C16"))
    assert miss.layers[1].amount == D("0.00") and miss.layers[1].rule == "不适用：仅限病种：C15、胃癌"


# --- waivers ------------------------------------------------------------------------------

WAIVERS = ('[[waiver]]\nname = "两免两减半"\nfee = "普通挂号费"\nratio = 1\ncategories = ["建档立卡"]\n\n'
           '[[waiver]]\nfee = "床位费"\nratio = "30%"\ncategories = ["建档立卡"]\n')


def test_point_of_care_waivers_come_off_before_any_insurance():
    p = pack('[layer."基本医保"]\nratio = 0.8\n', ["基本医保"], extra=WAIVERS)
    fees = {"普通挂号费": D("10"), "床位费": D("1000")}
    s = settle(p, claim("10000", "1000", categories=POOR, fees=fees))
    assert [(w.fee, w.amount) for w in s.waivers] == [("普通挂号费", D("10.00")), ("床位费", D("300.00"))]
    assert s.waived == D("310.00") and s.policy_scope == D("8690.00")
    assert amounts(s) == ["6952.00"] and s.self_pay == D("2738.00") and s.ratio_actual == D("72.62")
    plain = settle(p, claim("10000", "1000", fees=fees))
    assert plain.waived == D("0.00") and amounts(plain) == ["7200.00"] and plain.self_pay == D("2800.00")


# --- personal ceilings --------------------------------------------------------------------


def ceiling(spec: str, *, base: str = "") -> PolicyPack:
    layers = ('[layer."基本医保"]\nratio = 0.5\n\n[layer."政府兜底"]\nkind = "兜底"\n'
              f"{spec}\n{base}\n")
    return pack(layers, ["基本医保", "政府兜底"])


def test_a_yearly_ceiling_by_scope_caps_the_personal_share():
    p = ceiling('ceiling_by_scope = { "县域内" = 3000, "市域内" = 5000 }')
    assert settle(p, claim("20000")).self_pay == D("3000.00")
    assert settle(p, claim("20000", scope="市域内")).self_pay == D("5000.00")
    outside = settle(p, claim("20000", scope="省外"))
    assert outside.self_pay == D("10000.00") and outside.layers[1].rule == "不适用：省外就医没有个人自付上限"


def test_a_ceiling_as_a_share_of_the_total_cost():
    s = settle(ceiling("ceiling_share = 0.10"), claim("20000"))
    assert amounts(s) == ["10000.00", "8000.00"] and s.self_pay == D("2000.00") and s.ratio_actual == D("90.00")


def test_with_both_ceilings_the_lower_limit_applies():
    p = ceiling('ceiling_by_scope = { "县域内" = 3000 }\nceiling_share = 0.10')
    assert settle(p, claim("20000")).self_pay == D("2000.00")
    assert settle(p, claim("50000")).self_pay == D("3000.00")


def test_a_ceiling_on_the_policy_scope_leaves_out_of_catalogue_costs_to_the_person():
    p = ceiling('ceiling_by_scope = { "县域内" = 3000 }', base='base = "政策范围内"')
    s = settle(p, claim("20000", "5000"))
    assert amounts(s) == ["7500.00", "7500.00"] and s.self_pay == D("5000.00")
    assert s.layers[1].rule.endswith("只兜底政策范围内的剩余 7,500.00")


def test_a_claim_under_the_ceiling_needs_no_top_up():
    s = settle(ceiling("ceiling_share = 0.6"), claim("20000"))
    assert amounts(s) == ["10000.00", "0.00"] and s.layers[1].applies
    assert "无需兜底" in s.layers[1].rule


# --- targets, layers on all cost ----------------------------------------------------------


def test_the_target_is_met_or_not_and_absent_for_episodes_without_one():
    # The pack's [targets] names no categories: it is the 健康扶贫 target of the poor.
    p = one("ratio = 0.95")
    assert settle(p, claim("10000", categories=POOR)).target_met is True
    assert settle(one("ratio = 0.5"), claim("10000", categories=POOR)).target_met is False
    clinic = settle(p, claim("100", episode="门诊", admitted=dt.date(2024, 3, 1),
                             discharged=dt.date(2024, 3, 1), categories=POOR))
    assert clinic.target is None and clinic.target_met is None


def test_a_layer_on_all_cost_is_counted_against_the_policy_scope_part_first():
    p = pack('[layer."医院减免"]\nbase = "全部"\nratio = 0.5\n\n[layer."医疗救助"]\nratio = 1\n',
             ["医院减免", "医疗救助"])
    s = settle(p, claim("10000", "2000"))
    assert amounts(s) == ["5000.00", "3000.00"] and s.self_pay == D("2000.00")
    assert s.layers[1].base == D("3000.00")


# --- year to date and reversal -----------------------------------------------------------

YEARLY = ('[layer."基本医保"]\ndeductible = 1000\ndeductible_per = "每年"\nratio = 0.8\ncap = 20000\n\n'
          '[layer."政府兜底"]\nkind = "兜底"\nceiling_by_scope = { "县域内" = 5000 }\n')


def stays(p: PolicyPack, totals: list[str], priors: list[PriorClaim] | None = None) -> list[Settlement]:
    """Settle the stays of one person in order, each with the year-to-date of the earlier ones."""
    done: list[Settlement] = []
    history = list(priors or [])
    for i, total in enumerate(totals):
        c = claim(total, admitted=dt.date(2024, 3 + i, 1), discharged=dt.date(2024, 3 + i, 5),
                  claim_id=f"S{i + 1}")
        c = dataclasses.replace(c, year_to_date=year_to_date(history, 2024, until=c.date))
        done.append(settle(p, c))
        history.append(done[-1].as_prior())
    return done


def test_three_stays_share_one_deductible_one_cap_and_one_ceiling_a_year():
    p = pack(YEARLY, ["基本医保", "政府兜底"])
    a, b, c = stays(p, ["10000", "15000", "12000"])
    assert amounts(a) == ["7200.00", "0.00"] and a.self_pay == D("2800.00")
    assert amounts(b) == ["12000.00", "800.00"] and b.self_pay == D("2200.00")
    assert amounts(c) == ["800.00", "11200.00"] and c.self_pay == D("0.00")
    assert [x.layers[0].deductible_used for x in (a, b, c)] == [D("1000.00"), D("0.00"), D("0.00")]
    assert c.year_to_date.self_pay == D("5000.00") and c.year_to_date.inpatient_stays == 3


def test_a_reversed_claim_no_longer_counts_toward_the_year():
    p = pack(YEARLY, ["基本医保", "政府兜底"])
    a, b, _ = stays(p, ["10000", "15000", "12000"])
    flagged = [a.as_prior(), dataclasses.replace(b.as_prior(), reversed=True)]
    cancelled = [a.as_prior(), b.as_prior(), dataclasses.replace(b.as_prior(), claim_id="R1", reverses="S2")]
    for history in (flagged, cancelled):
        ytd = year_to_date(history, 2024)
        assert (ytd.claims, ytd.layer("基本医保").paid, ytd.self_pay) == (1, D("7200.00"), D("2800.00"))
        again = settle(p, dataclasses.replace(claim("12000", claim_id="S3"), year_to_date=ytd))
        assert amounts(again) == ["9600.00", "200.00"] and again.self_pay == D("2200.00")


def test_year_to_date_keeps_to_the_year_the_day_and_leaves_out_the_claim_itself():
    p = pack(YEARLY, ["基本医保", "政府兜底"])
    a, b = stays(p, ["10000", "15000"])
    last_year = dataclasses.replace(a.as_prior(), settled_on=dt.date(2023, 12, 30), claim_id="OLD")
    history = [last_year, a.as_prior(), b.as_prior()]
    assert year_to_date(history, 2024).claims == 2
    assert year_to_date(history, 2024, until=dt.date(2024, 3, 31)).claims == 1
    assert year_to_date(history, 2024, excluding="S2").claims == 1


# --- refused claims -----------------------------------------------------------------------


@pytest.mark.parametrize(("change", "message"), [
    ({"total": D("0")}, "医疗总费用（total）应大于0"),
    ({"out_of_catalogue": D("20000")}, "目录外费用（out_of_catalogue）应在 0 到总费用"),
    ({"fees": {"挂号": D("5")}}, "不认识的费用类别“挂号”"),
    ({"fees": {"床位费": D("20000")}}, "超过医疗总费用"),
    ({"discharged": dt.date(2024, 2, 1)}, "出院日期 2024-02-01 早于入院日期"),
    ({"categories": frozenset({"重度残疾"})}, "人员类别“重度残疾”不在政策包"),
    ({"scope": "县外"}, "就医地范围（scope）应为"),
    ({"admitted": dt.date(2025, 1, 1), "discharged": dt.date(2025, 1, 3)}, "不在政策包"),
])
def test_a_claim_the_pack_cannot_settle_is_refused(change, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
        settle(one("ratio = 0.5"), dataclasses.replace(claim("10000"), **change))


def test_a_claim_from_json_accepts_synonyms_and_refuses_float_money_and_unknown_keys():
    data = {"categories": ["建档立卡贫困户", "五保户"], "episode": "门诊", "level": "一级", "scope": "县域内",
            "date": "2024-05-01", "total": "120.50", "fees": {"普通挂号费": 5}}
    c = claim_from_json(data)
    assert c.categories == {"建档立卡", "特困"} and c.admitted == c.discharged == dt.date(2024, 5, 1)
    assert c.total == D("120.50") and c.fees == {"普通挂号费": D("5.00")}
    with pytest.raises(ValidationError, match="请写成文字"):
        claim_from_json({**data, "total": 120.5}, where="c.json：")
    with pytest.raises(ValidationError, match="不认识的字段“totl”"):
        claim_from_json({**data, "totl": "1"})


# --- the shipped example packs, checked by hand -----------------------------------------


def test_chuzhou_style_pack_caps_a_poor_persons_stay_at_3000_in_the_county():
    p = load_pack(POLICIES / "example-chuzhou-style.toml")
    s = settle(p, claim("80000", "4000", categories=POOR))
    # 基本医保 二级 免起付线：76,000 × 80%；大病：(15,200 − 5,000) × 60%；救助：9,080 × 70%；
    # 兜底：6,724 − 3,000。
    assert amounts(s) == ["60800.00", "6120.00", "6356.00", "3724.00"]
    assert s.self_pay == D("3000.00") and s.ratio_actual == D("96.25")


def test_chuzhou_style_pack_for_an_ordinary_unreferred_stay_in_the_province():
    p = load_pack(POLICIES / "example-chuzhou-style.toml")
    s = settle(p, claim("30000", level="三级", scope="省域内"))
    # 基本医保 三级：(30,000 − 1,000) × (70% − 10)；大病：(12,600 − 5,000) × 60%。
    assert amounts(s) == ["17400.00", "4560.00", "0.00", "0.00"]
    # An ordinary resident: the county's target is not for them, so the stay is not judged.
    assert s.self_pay == D("8040.00") and s.ratio_actual == D("73.20")
    assert s.target is None and s.target_met is None


def test_qiyang_style_long_chain_for_a_poor_dibao_patient_with_stomach_cancer():
    p = load_pack(POLICIES / "example-qiyang-style.toml")
    s = settle(p, claim("60000", "2000", categories=frozenset({"建档立卡", "低保"}), disease="C16.9"))
    # 基本医保 (58,000 − 500) × 85%；大病 (9,125 − 5,000) × 60%；补充 6,650 × 40%；
    # 救助（低保）3,990 × 70%；非低保不适用；医院减免 3,197 × 50%；兜底：1,598.50 < 6,000。
    assert amounts(s) == ["48875.00", "2475.00", "2660.00", "2793.00", "0.00", "1598.50", "0.00"]
    assert s.self_pay == D("1598.50") and s.ratio_actual == D("97.34")


def test_qiyang_style_ceiling_tops_up_a_costly_stay_to_10_percent():
    p = load_pack(POLICIES / "example-qiyang-style.toml")
    s = settle(p, claim("200000", "60000", level="三级", scope="市域内", referred=True,
                        categories=POOR, disease="C15.1"))
    # 基本 (140,000 − 1,000) × 70%；大病 (42,700 − 5,000) × 60%；补充 20,080 × 40%；
    # 非低保救助 12,048 × 50%；医院减免 66,024 × 50%；兜底 33,012 − 200,000 × 10%。
    assert amounts(s) == ["97300.00", "22620.00", "8032.00", "0.00", "6024.00", "33012.00", "13012.00"]
    assert s.self_pay == D("20000.00") and s.ratio_actual == D("90.00") and s.target_met is True


def test_gansu_style_pack_with_waivers_and_the_3000_major_illness_deductible():
    p = load_pack(POLICIES / "example-gansu-style.toml")
    fees = {"床位费": D("1000"), "检查费": D("2000"), "治疗费": D("1500")}
    s = settle(p, claim("30000", "1500", categories=POOR, fees=fees))
    # 减免 300 + 400 + 450；基本 (27,350 − 500) × 80%；大病 (5,870 − 3,000) × 63%；救助 4,061.90 × 70%。
    assert s.waived == D("1150.00")
    assert amounts(s) == ["21480.00", "0.00", "1808.10", "2843.33"]
    assert s.self_pay == D("2718.57") and s.ratio_actual == D("90.94")


def test_gansu_style_pack_for_a_chronic_outpatient_visit():
    p = load_pack(POLICIES / "example-gansu-style.toml")
    day = dt.date(2024, 5, 1)
    s = settle(p, claim("800", episode="门诊慢特病", level="一级", admitted=day, discharged=day,
                        categories=POOR, fees={"普通诊查费": D("10")}))
    # 诊查费全免 10；门诊慢特病 790 × 70%；救助 237 × 70%。
    assert amounts(s) == ["0.00", "553.00", "0.00", "165.90"]
    assert s.self_pay == D("71.10") and s.ratio_actual == D("91.11") and s.target == D("80.00")


def test_a_category_without_an_override_keeps_the_normal_deductible_and_ratio():
    p = one('deductible = 1000\ndeductible_by_category = { "低保" = 1500 }\nratio = 0.5\n'
            'uplift = { "低保" = -10 }')
    assert amounts(settle(p, claim("10000", categories=frozenset({"低保"})))) == ["3400.00"]
    assert amounts(settle(p, claim("10000", categories=frozenset({"低保", "建档立卡"})))) == ["4500.00"]
