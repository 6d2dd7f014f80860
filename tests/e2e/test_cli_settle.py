"""`cunyi settle` and `cunyi policy check` in a real process: no database, files in, text or JSON out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import ROOT, cunyi

POLICIES = ROOT / "resources" / "policies"
WORKED = POLICIES / "worked-example.toml"
STAY = {"claim_id": "Z1", "categories": ["建档立卡"], "episode": "住院", "level": "二级", "scope": "县域内",
        "admitted": "2024-03-01", "discharged": "2024-03-10", "total": "50000.00",
        "out_of_catalogue": 3000}


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def stay(tmp_path: Path) -> Path:
    return write(tmp_path, "stay.json", STAY)


def test_settle_explains_the_worked_example_line_by_line(tmp_path, stay):
    r = cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(stay))
    assert r.returncode == 0, r.stderr
    assert "1. 基本医保：(47,000.00 − 起付线 250.00) × 80% = 37,400.00" in r.stdout
    assert "2. 大病保险：(9,600.00 − 起付线 5,000.00) × 65% = 2,990.00" in r.stdout
    assert "3. 医疗救助：6,610.00 × 70% = 4,627.00" in r.stdout
    assert "报销合计 45,017.00，个人自付 4,983.00" in r.stdout
    assert "实际报销比例 90.03%（目标 90%，达标）" in r.stdout
    assert not (tmp_path / "cunyi.sqlite3").exists()


def test_settle_json_feeds_the_next_claims_history(tmp_path, stay):
    r = cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(stay), "--json")
    assert r.returncode == 0, r.stderr
    first = json.loads(r.stdout)
    assert [x["amount"] for x in first["layers"]] == ["37400.00", "2990.00", "4627.00"]
    assert (first["self_pay"], first["ratio_actual"], first["target_met"]) == ("4983.00", "90.03", True)
    history = write(tmp_path, "history.json", [first])
    second = write(tmp_path, "second.json", {**STAY, "claim_id": "Z2", "admitted": "2024-06-01",
                                             "discharged": "2024-06-05"})
    r = cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(second),
              "--history", str(history), "--json")
    again = json.loads(r.stdout)
    # 大病保险's yearly deductible of 5,000 was used by the first stay: 9,600 × 65%.
    assert again["layers"][1]["amount"] == "6240.00"
    assert again["year_to_date"]["claims"] == 2
    reversed_history = write(tmp_path, "reversed.json", [{**first, "reversed": True}])
    r = cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(second),
              "--history", str(reversed_history), "--json")
    assert json.loads(r.stdout)["layers"][1]["amount"] == "2990.00"


def test_settling_a_recorded_claim_again_does_not_count_it_twice(tmp_path, stay):
    first = json.loads(cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(stay),
                             "--json").stdout)
    history = write(tmp_path, "history.json", {"claims": [first]})
    r = cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(stay), "--history", str(history),
              "--json")
    assert json.loads(r.stdout)["self_pay"] == "4983.00"


def test_a_folder_of_packs_is_chosen_by_county_and_date(tmp_path):
    claim = write(tmp_path, "c.json", {**STAY, "county": "示例县甲（滁州式）", "total": "80000",
                                        "out_of_catalogue": "4000"})
    r = cunyi(tmp_path, "settle", "--policy", str(POLICIES), "--claim", str(claim), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["pack"]["source"] == "example-chuzhou-style.toml" and data["self_pay"] == "3000.00"
    r = cunyi(tmp_path, "settle", "--policy", str(POLICIES), "--claim", str(write(tmp_path, "n.json", STAY)))
    assert r.returncode == 1 and "同时在几个政策包的时期内" in r.stderr


def test_no_pack_for_the_date_is_one_line_and_exit_1(tmp_path):
    claim = write(tmp_path, "c.json", {**STAY, "admitted": "2026-01-02", "discharged": "2026-01-09"})
    r = cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(claim))
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("错误：没有覆盖 2026-01-09 的政策包") and r.stderr.count("\n") == 1


def test_a_broken_claim_file_names_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"total": "1",\n "episode": }', encoding="utf-8")
    r = cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(bad))
    assert r.returncode == 1 and r.stderr.startswith("错误：bad.json 第2行")
    floats = write(tmp_path, "f.json", {**STAY, "total": 50000.5})
    r = cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(floats))
    assert r.returncode == 0, r.stderr  # JSON numbers are read as exact decimals, never floats
    assert json.loads(cunyi(tmp_path, "settle", "--policy", str(WORKED), "--claim", str(floats),
                            "--json").stdout)["total"] == "50000.50"


def test_policy_check_summarises_each_good_pack(tmp_path):
    r = cunyi(tmp_path, "policy", "check", str(POLICIES))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("example-chuzhou-style.toml：示例县甲（滁州式）")
    assert "7层：基本医保 → 大病保险 → 补充保险" in r.stdout


def test_policy_check_gives_the_exact_message_for_a_broken_pack(tmp_path):
    broken = tmp_path / "坏包.toml"
    broken.write_text(WORKED.read_text(encoding="utf-8").replace("ratio = 0.75", "ratio = 1.5"),
                      encoding="utf-8")
    line = next(i for i, text in enumerate(broken.read_text(encoding="utf-8").splitlines(), start=1)
                if text == "ratio = 1.5")
    r = cunyi(tmp_path, "policy", "check", str(WORKED), str(broken))
    assert r.returncode == 1
    assert r.stdout.startswith("worked-example.toml：")
    assert r.stderr == (f"错误：坏包.toml 第{line}行 layer.\"基本医保\".ratio：比例应在 0 到 1 之间"
                        "（如 0.80 或 \"80%\"），现在是 1.5\n")


def test_policy_without_a_subcommand_says_what_to_write(tmp_path):
    r = cunyi(tmp_path, "policy")
    assert r.returncode == 1 and "cunyi policy check" in r.stderr
