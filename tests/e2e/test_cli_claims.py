"""`cunyi claims` and `cunyi print settlement` in a real process, against a hand calculation."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.households import Household
from app.core.people import Person
from app.storage.workspace import Workspace
from tests.cli_users import unlocked
from tests.conftest import VILLAGE, make_id
from tests.e2e.test_cli import ROOT, cunyi

POLICIES = ROOT / "resources" / "policies"
RECORD = VILLAGE + "00001"
STAY = {"episode": "住院", "hospital": "临夏县人民医院", "level": "二级", "scope": "县域内",
        "admitted": "2024-03-01", "discharged": "2024-03-10", "total": "50000.00",
        "out_of_catalogue": "3000.00", "diagnosis": "胃恶性肿瘤", "disease": "C16.9",
        "settlement_no": "ZY2024-0311"}

# The hand calculation (DOMAIN.md rule 5, worked-example.toml), a 建档立卡 patient:
# stay 1: 基本医保 (47,000 − 250) × 80% = 37,400; 大病保险 (9,600 − 5,000) × 65% = 2,990;
#         医疗救助 6,610 × 70% = 4,627; self-pay 50,000 − 45,017 = 4,983 (90.03%).
# stay 2 (same year, total 20,000, 1,000 out of catalogue): 基本医保 (19,000 − 250) × 80% = 15,000;
#         大病保险: the yearly 5,000 deductible is used up, 4,000 × 65% = 2,600;
#         医疗救助 (4,000 − 2,600) × 70% = 980; self-pay 20,000 − 18,580 = 1,420 (92.90%).
FIRST = {"基本医保": "37400.00", "大病保险": "2990.00", "医疗救助": "4627.00"}
SECOND = {"基本医保": "15000.00", "大病保险": "2600.00", "医疗救助": "980.00"}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    r = cunyi(h, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE, "--village-name", "红旗村",
              "--user", "doctor", "--display-name", "何永福", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    with Workspace.open(unlocked(h / "cunyi.sqlite3")) as ws:
        hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                            poverty_status="poor", address="红旗村一组17号"),
                                  since=dt.date(2020, 1, 1))
        ws.people.add(Person(id=None, household_id=hid, name="马福贵", id_no=make_id("19570312", "013"),
                             relation="户主", insurance_type="城乡居民基本医疗保险",
                             insurance_no="62292300012345"), today=dt.date(2025, 3, 1))
    return h


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def add(home: Path, claim: Path, *extra: str) -> dict:
    r = cunyi(home, "claims", "add", RECORD, "--from", str(claim), "--today", "2025-01-10", "--json", *extra)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def show(home: Path, ref: str) -> dict:
    r = cunyi(home, "claims", "show", ref, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def pdf_text(home: Path, ref: str, out: Path) -> str:
    r = cunyi(home, "print", "settlement", ref, "-o", str(out))
    assert r.returncode == 0, r.stderr
    return "".join("".join(p.extract_text() for p in PdfReader(out).pages).split())


def money(text: str) -> str:
    return f"{Decimal(text):,.2f}"


def test_the_worked_example_and_a_second_stay_agree_with_the_hand_calculation(home, tmp_path):
    first = write(tmp_path, "first.json", {**STAY, "county": "算例县", "paid": FIRST, "self_pay": "4983.00"})
    second = write(tmp_path, "second.json", {
        **STAY, "county": "算例县", "settlement_no": "ZY2024-0702", "admitted": "2024-07-01",
        "discharged": "2024-07-08", "total": "20000.00", "out_of_catalogue": "1000.00"})
    one = add(home, first)
    two = add(home, second, "--paid", "基本医保=15000.00", "--paid", "大病保险=2600.00",
              "--paid", "医疗救助=980.00", "--self-pay", "1420.00")
    for result, expected, self_pay, ratio in ((one, FIRST, "4983.00", "90.03"),
                                              (two, SECOND, "1420.00", "92.90")):
        again = show(home, result["settlement_no"])
        amounts = {x["name"]: x["amount"] for x in again["settlement"]["layers"]}
        assert amounts == expected
        assert (again["settlement"]["self_pay"], again["ratio_actual"]) == (self_pay, ratio)
        assert [c["flagged"] for c in again["comparison"]] == [False] * 4
        assert again["categories"] == ["建档立卡"] and again["target_met"] is True
        text = pdf_text(home, result["id"], tmp_path / f"{result['settlement_no']}.pdf")
        for name, amount in expected.items():
            assert f"{money(amount)}{money(amount)}" in text, name  # estimate beside slip
        assert f"报销合计{money(str(sum(Decimal(v) for v in expected.values())))}个人自付{money(self_pay)}" in text
        # Met in the app (target_met above); the patient's printed form does not say 达标.
        assert f"实际报销比例{ratio}%" in text and "达标" not in text
        assert "经办人（何永福）" in text  # entered by the user the command signed in as
    year = show(home, two["id"])["year_to_date"]
    assert (year["claims"], year["inpatient_stays"], year["total"], year["self_pay"]) == (
        2, 2, "70000.00", "6403.00")
    assert year["layers"]["大病保险"] == {"deductible_used": "5000.00", "paid": "5590.00"}
    text = pdf_text(home, two["id"], tmp_path / "two.pdf")
    assert "2024年就医2次（住院2次）" in text and "医疗总费用70,000.00" in text
    assert "各项累计支付：基本医保52,400.00；大病保险5,590.00；医疗救助5,607.00" in text


def test_a_reversal_gives_the_second_stay_the_deductible_back(home, tmp_path):
    first = add(home, write(tmp_path, "a.json", {**STAY, "county": "算例县"}))
    second = add(home, write(tmp_path, "b.json", {**STAY, "county": "算例县", "settlement_no": "B",
                                                  "admitted": "2024-07-01", "discharged": "2024-07-08",
                                                  "total": "20000.00", "out_of_catalogue": "1000.00"}))
    assert show(home, second["id"])["settlement"]["layers"][1]["amount"] == "2600.00"
    r = cunyi(home, "claims", "reverse", first["id"], "--reason", "医院重新结算", "--today", "2025-01-11")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"已冲账：{first['id']}")
    # 大病保险 now takes its 5,000 deductible from the second stay: (4,000 − 4,000) × 65% = 0.
    assert show(home, second["id"])["settlement"]["layers"][1]["amount"] == "0.00"
    listed = json.loads(cunyi(home, "claims", "list", "--json").stdout)
    assert [x["id"] for x in listed] == [second["id"]]
    everything = json.loads(cunyi(home, "claims", "list", "--all", "--json").stdout)
    assert len(everything) == 3
    text = pdf_text(home, first["id"], tmp_path / "reversed.pdf")
    assert "【已冲账】" in text and "不再计入本年度累计" in text


@pytest.mark.parametrize("pack", sorted(p.name for p in POLICIES.glob("*.toml")))
def test_each_shipped_pack_settles_a_stored_claim_as_cunyi_settle_does(home, tmp_path, pack):
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(POLICIES / pack, folder / pack)
    county = next(line.split('"')[1] for line in (POLICIES / pack).read_text(encoding="utf-8").splitlines()
                  if line.startswith("county"))
    claim = {**STAY, "county": county, "settlement_no": "", "fees": {"床位费": "900.00", "检查费": "1500.00"}}
    stored = add(home, write(tmp_path, "c.json", claim))
    alone = {k: v for k, v in claim.items() if k not in ("hospital", "settlement_no")}
    r = cunyi(home, "settle", "--policy", str(folder), "--claim",
              str(write(tmp_path, "s.json", {**alone, "categories": ["建档立卡"]})), "--json")
    assert r.returncode == 0, r.stderr
    expected = json.loads(r.stdout)
    got = show(home, stored["id"])["settlement"]
    assert [x["amount"] for x in got["layers"]] == [x["amount"] for x in expected["layers"]]
    assert (got["self_pay"], got["ratio_actual"]) == (expected["self_pay"], expected["ratio_actual"])


def test_estimate_prints_the_explanation_and_writes_nothing(home, tmp_path):
    r = cunyi(home, "claims", "estimate", RECORD, "--episode", "住院", "--level", "二级", "--scope", "县域内",
              "--admitted", "2024-03-01", "--discharged", "2024-03-10", "--total", "50000",
              "--out-of-catalogue", "3000", "--county", "算例县", "--today", "2024-02-01")
    assert r.returncode == 0, r.stderr
    assert "1. 基本医保：(47,000.00 − 起付线 250.00) × 80% = 37,400.00" in r.stdout
    assert "实际报销比例 90.03%（目标 90%，达标）" in r.stdout
    assert json.loads(cunyi(home, "claims", "list", "--json").stdout) == []


def test_a_broken_claim_file_is_refused_with_one_line(home, tmp_path):
    for data, needle in (({**STAY, "totl": "1"}, "不认识的字段“totl”"),
                         ({**STAY, "county": "算例县", "total": "abc"}, "total（医疗总费用）应为金额"),
                         ({**STAY, "county": "算例县", "discharged": "2024-02-30"}, "discharged 应写成 YYYY-MM-DD"),
                         ({**STAY, "county": "算例县", "out_of_catalogue": "60000"}, "目录外费用 60,000.00 超过")):
        r = cunyi(home, "claims", "add", RECORD, "--from", str(write(tmp_path, "bad.json", data)),
                  "--today", "2025-01-10")
        assert r.returncode == 1 and r.stdout == ""
        assert r.stderr.startswith("错误：") and r.stderr.count("\n") == 1 and needle in r.stderr, r.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"episode": "住院",', encoding="utf-8")
    r = cunyi(home, "claims", "add", RECORD, "--from", str(broken))
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "不是有效的JSON" in r.stderr
    r = cunyi(home, "claims", "add", "99999", "--from", str(write(tmp_path, "ok.json", STAY)))
    assert r.returncode == 1 and "找不到" in r.stderr
    assert json.loads(cunyi(home, "claims", "list", "--json").stdout) == []


def test_policy_list_shows_the_county_folder_first(home):
    folder = home / "policies"
    folder.mkdir()
    text = (POLICIES / "worked-example.toml").read_text(encoding="utf-8")
    (folder / "本县.toml").write_text(text.replace('county = "算例县"', 'county = "本县"'), encoding="utf-8")
    r = cunyi(home, "policy", "list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("本县政策包文件夹：") and "本县.toml" in lines[2]
    assert sum("程序自带" in line for line in lines) == 4
