"""Item 9: two packs of one county whose periods overlap are refused, naming both files and the days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.core.policy import load_pack
from app.core.policy_overlap import find_overlaps
from app.storage.policies import load_shelf
from tests.e2e.test_cli import ROOT, cunyi
from tests.e2e.test_cli_claims import RECORD
from tests.e2e.test_cli_claims import home as home  # the fixture

WORKED = (ROOT / "resources" / "policies" / "worked-example.toml").read_text(encoding="utf-8")


def pack(folder: Path, name: str, start: str, end: str, county: str = "本县") -> Path:
    """A copy of the worked example for `county` valid from `start` to `end`."""
    text = (WORKED.replace('county = "算例县"', f'county = "{county}"')
            .replace("valid_from = 2024-01-01", f"valid_from = {start}")
            .replace("valid_to = 2024-12-31", f"valid_to = {end}"))
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_packs_ending_the_day_before_the_next_starts_do_not_overlap(tmp_path):
    a = load_pack(pack(tmp_path, "A.toml", "2024-01-01", "2024-12-31"))
    b = load_pack(pack(tmp_path, "B.toml", "2025-01-01", "2025-12-31"))
    assert find_overlaps([a, b]) == []


def test_a_pack_starting_on_the_last_day_of_another_overlaps_by_one_day(tmp_path):
    a = load_pack(pack(tmp_path, "A.toml", "2024-01-01", "2024-12-31"))
    b = load_pack(pack(tmp_path, "B.toml", "2024-12-31", "2025-12-31"))
    [overlap] = find_overlaps([b, a])
    assert (overlap.kept, overlap.later) == (a, b)
    assert overlap.message.startswith("A.toml 与 B.toml 的有效期在 2024-12-31 至 2024-12-31 重叠（1天）")


def test_packs_of_different_counties_never_overlap(tmp_path):
    a = load_pack(pack(tmp_path, "A.toml", "2024-01-01", "2024-12-31", county="甲县"))
    b = load_pack(pack(tmp_path, "B.toml", "2024-01-01", "2024-12-31", county="乙县"))
    assert find_overlaps([a, b]) == []


def test_the_county_folder_refuses_the_later_pack_and_keeps_settling_the_first(tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    pack(folder, "A.toml", "2024-01-01", "2024-06-30")
    pack(folder, "B.toml", "2024-06-01", "2024-12-31")
    shelf = load_shelf(folder)
    assert [f.path.name for f in shelf.files if f.tier == 1] == ["A.toml"]
    assert any(p.startswith("A.toml 与 B.toml 的有效期在 2024-06-01 至 2024-06-30 重叠（30天）")
               for p in shelf.problems), shelf.problems
    assert shelf.choose(dt.date(2024, 6, 15), county="本县").source == "A.toml"


def test_policy_check_on_a_folder_reports_the_overlap_and_fails(tmp_path):
    pack(tmp_path, "A.toml", "2024-01-01", "2024-12-31")
    pack(tmp_path, "B.toml", "2024-12-31", "2025-12-31")
    r = cunyi(tmp_path / "home", "policy", "check", str(tmp_path))
    assert r.returncode == 1
    assert "A.toml 与 B.toml 的有效期在 2024-12-31 至 2024-12-31 重叠" in r.stderr
    ok = tmp_path / "ok"
    ok.mkdir()
    r = cunyi(tmp_path / "home", "policy", "check", str(pack(ok, "A.toml", "2024-01-01", "2024-12-31")),
              str(pack(ok, "B.toml", "2025-01-01", "2025-12-31")))
    assert r.returncode == 0, r.stderr


def test_a_claim_in_the_overlap_settles_and_names_the_refused_pack(home):
    folder = home / "policies"
    folder.mkdir()
    pack(folder, "A.toml", "2024-01-01", "2024-06-30")
    pack(folder, "B.toml", "2024-03-01", "2024-12-31")
    r = cunyi(home, "claims", "estimate", RECORD, "--episode", "住院", "--level", "二级",
              "--scope", "县域内", "--admitted", "2024-03-01", "--discharged", "2024-03-10",
              "--total", "50000", "--out-of-catalogue", "3000", "--county", "本县",
              "--today", "2024-04-01")
    assert r.returncode == 0, r.stderr
    assert "实际报销比例 90.03%" in r.stdout
    assert r.stderr.strip() == ("注意：A.toml 与 B.toml 的有效期在 2024-03-01 至 2024-06-30 重叠（122天），"
                                "B.toml 未载入；请改正其中一个的 valid_from 或 valid_to")
