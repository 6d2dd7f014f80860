"""County targets per person category: who is judged against the 90% / 80% target, the boundary
at the fen, how a pack writes them (and how an older pack without categories reads)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from app.core.errors import ValidationError
from app.core.policy import load_pack, pack_summary, parse_pack
from app.core.policy_targets import DEFAULT_TARGET_CATEGORIES
from app.core.settlement import ClaimInput, settle
from app.core.settlement_text import explain

D = Decimal
POLICIES = Path(__file__).resolve().parents[3] / "resources" / "policies"
SHIPPED = sorted(p.name for p in POLICIES.glob("*.toml"))
HEAD = """\
[pack]
name = "测试"
county = "测试县"
valid_from = 2024-01-01
valid_to = 2024-12-31
order = ["基本医保"]

"""
TARGETS = """\
[targets]
categories = ["建档立卡", "脱贫户", "监测户"]
"住院" = 0.90
"门诊慢特病" = 0.80
"""


def pack(targets: str = TARGETS, ratio: str = "0.90"):  # type: ignore[no-untyped-def]
    return parse_pack(f'{HEAD}{targets}\n[layer."基本医保"]\nratio = "{ratio}"\n', source="测试.toml")


def claim(*categories: str, episode: str = "住院", total: str = "100000.00") -> ClaimInput:
    day = dt.date(2024, 3, 10)
    return ClaimInput(episode=episode, level="二级", scope="县域内", admitted=day, discharged=day,
                      total=D(total), categories=frozenset(categories))


def refused(targets: str) -> str:
    with pytest.raises(ValidationError) as caught:
        pack(targets)
    return str(caught.value)


# --- the rule ------------------------------------------------------------------------------


def test_an_ordinary_resident_is_not_judged_against_the_target():
    s = settle(pack(ratio="0.50"), claim())
    assert s.ratio_actual == D("50.00")
    assert s.target is None and s.target_met is None
    assert s.to_json()["target_met"] is None
    last = [x for x in explain(s) if x.startswith("实际报销比例")]
    assert last == ["实际报销比例 50.00%（县定目标只针对建档立卡、脱贫户、监测户，普通人员不适用）"]
    assert not any("未达标" in x for x in explain(s))


def test_a_dibao_person_outside_the_target_groups_is_not_judged_either():
    s = settle(pack(ratio="0.50"), claim("低保"))
    assert s.target_met is None
    assert "实际报销比例 50.00%（县定目标只针对建档立卡、脱贫户、监测户，低保人员不适用）" in explain(s)


def test_a_poor_persons_stay_at_89_99_is_below_and_at_90_00_meets_the_target():
    below = settle(pack(ratio="0.8999"), claim("建档立卡"))
    assert (below.ratio_actual, below.target, below.target_met) == (D("89.99"), D("90.00"), False)
    assert "实际报销比例 89.99%（目标 90%，未达标）" in explain(below)
    met = settle(pack(ratio="0.90"), claim("建档立卡"))
    assert (met.ratio_actual, met.target_met) == (D("90.00"), True)
    assert "实际报销比例 90.00%（目标 90%，达标）" in explain(met)


def test_the_target_is_judged_on_the_ratio_rounded_half_up_to_the_fen():
    # 89,995.00 of 100,000.00 is 89.995%, shown 90.00%: met. 89,994.99 is 89.99%: not met.
    assert settle(pack(ratio="0.89995"), claim("监测户")).target_met is True
    short = settle(pack(ratio="0.8999499"), claim("监测户"))
    assert (short.reimbursed, short.ratio_actual, short.target_met) == (D("89994.99"), D("89.99"), False)


def test_the_chronic_outpatient_target_and_an_episode_without_one():
    chronic = settle(pack(ratio="0.80"), claim("脱贫户", episode="门诊慢特病", total="800.00"))
    assert (chronic.target, chronic.target_met) == (D("80.00"), True)
    clinic = settle(pack(ratio="0.80"), claim("脱贫户", episode="门诊", total="80.00"))
    assert clinic.target is None and clinic.target_met is None
    assert "实际报销比例 80.00%（政策包未定门诊的目标）" in explain(clinic)


def test_several_target_groups_the_first_that_fits_applies():
    p = pack('[[targets]]\ncategories = ["特困"]\n"住院" = 0.95\n\n'
             '[[targets]]\ncategories = ["建档立卡", "特困"]\n"住院" = 0.90\n"门诊慢特病" = 0.80\n',
             ratio="0.92")
    assert settle(p, claim("特困")).target == D("95.00")
    assert settle(p, claim("特困")).target_met is False
    assert settle(p, claim("建档立卡")).target_met is True
    # 特困's first group has no 门诊慢特病 target; the second does.
    assert settle(p, claim("特困", episode="门诊慢特病", total="500")).target == D("80.00")
    assert settle(p, claim("普通")).target is None


# --- the pack ------------------------------------------------------------------------------


def test_the_pack_reads_whom_the_target_is_for():
    (target,) = pack().targets
    assert target.categories == ("建档立卡", "脱贫户", "监测户") and not target.implicit
    assert target.ratios == {"住院": D("0.90"), "门诊慢特病": D("0.80")}
    assert "目标：住院 90%、门诊慢特病 80%（建档立卡、脱贫户、监测户）" in pack_summary(pack())


def test_an_older_pack_without_categories_still_loads_as_the_target_of_the_poor():
    old = pack('[targets]\n"住院" = 0.90\n', ratio="0.50")
    (target,) = old.targets
    assert target.categories == DEFAULT_TARGET_CATEGORIES and target.implicit
    assert settle(old, claim()).target_met is None
    assert settle(old, claim("脱贫户")).target_met is False
    assert "（建档立卡、脱贫户、监测户，未写 categories，按默认）" in pack_summary(old)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_pack_says_whom_its_target_is_for(name):
    p = load_pack(POLICIES / name)
    assert p.targets and all(not t.implicit for t in p.targets)
    assert all("普通" not in t.categories for t in p.targets)


def test_a_group_in_a_targets_list_must_name_its_categories():
    message = refused('[[targets]]\ncategories = ["特困"]\n"住院" = 0.95\n\n[[targets]]\n"住院" = 0.90\n')
    assert message.startswith("测试.toml 第12行 targets[2]：每组目标都要写 categories")


def test_empty_or_unknown_target_categories_and_episodes_are_refused():
    assert refused('[targets]\ncategories = []\n"住院" = 0.9\n') == (
        "测试.toml 第9行 targets.categories：不能为空：请列出目标适用的人员类别，"
        "如 [\"建档立卡\", \"脱贫户\", \"监测户\"]")
    assert "不认识“贫困”" in refused('[targets]\ncategories = ["贫困"]\n"住院" = 0.9\n')
    assert "不认识“住院费”，是不是“住院”？" in refused('[targets]\ncategories = ["特困"]\n"住院费" = 0.9\n')
    assert "没有写任何目标" in refused('[targets]\ncategories = ["特困"]\n')
    assert "比例应在 0 到 1 之间" in refused('[targets]\ncategories = ["特困"]\n"住院" = 90\n')
