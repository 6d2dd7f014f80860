"""The demo village: valid IDs, findable by pinyin, reproducible, fully tracked, demo user works."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app import demo
from app.core.errors import ValidationError
from app.core.identity import age_on, parse_resident_id
from app.core.search import pinyin_keys
from app.storage.changes import SYNCED_TABLES
from app.storage.engine import open_file, sqlite3
from app.storage.workspace import Workspace

TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, demo.DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "village.db"
    seen: list[tuple[int, int, str]] = []
    summary = demo.generate(path, size="village", seed=7, today=TODAY,
                            progress=lambda done, total, msg: seen.append((done, total, msg)))
    assert seen and seen[-1][0] == seen[-1][1]
    return path, summary


def _people(path: Path) -> list[sqlite3.Row]:
    conn = open_file(path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(
            "SELECT p.*, h.household_no FROM people p JOIN households h ON h.id = p.household_id"
            " ORDER BY p.record_no"
        ).fetchall()
    finally:
        conn.close()


def test_village_demo_has_the_size_of_a_village(village: tuple[Path, demo.DemoSummary]) -> None:
    path, summary = village
    assert summary.households == 400
    assert 1_200 <= summary.people <= 1_800
    assert 0.10 <= summary.poor_households / summary.households <= 0.30
    with Workspace.open(path) as ws:
        assert ws.households.count() == 400
        assert ws.settings.division_code == "622923104201"
        assert len(ws.households.ids()) == 400


def test_everyone_has_a_valid_resident_id_matching_sex_and_birth_date(
    village: tuple[Path, demo.DemoSummary],
) -> None:
    rows = _people(village[0])
    for r in rows:
        rid = parse_resident_id(r["id_no"], today=TODAY)
        assert rid.sex == r["sex"]
        assert rid.birth_date.isoformat() == r["birth_date"]
    assert len({r["id_no"] for r in rows}) == len(rows)


def test_household_members_have_consistent_ages(village: tuple[Path, demo.DemoSummary]) -> None:
    rows = _people(village[0])
    by_household: dict[str, dict[str, list[int]]] = {}
    for r in rows:
        age = age_on(dt.date.fromisoformat(r["birth_date"]), TODAY)
        by_household.setdefault(r["household_id"], {}).setdefault(r["relation"], []).append(age)
    for members in by_household.values():
        head = members["户主"][0]
        for child in members.get("子", []) + members.get("女", []):
            assert child <= head - 15
        for parent in members.get("父亲", []) + members.get("母亲", []):
            assert parent >= head + 18
        assert len(members["户主"]) == 1


def test_every_person_is_found_by_pinyin_initials(village: tuple[Path, demo.DemoSummary]) -> None:
    rows = _people(village[0])
    with Workspace.open(village[0]) as ws:
        for r in rows:
            _, initials = pinyin_keys(r["name"])
            hits = ws.people.search(sorted(initials)[0], limit=10_000)
            assert r["id"] in {h.id for h in hits}, r["name"]


def test_polyphonic_surnames_and_chronic_conditions_are_present(
    village: tuple[Path, demo.DemoSummary],
) -> None:
    with Workspace.open(village[0]) as ws:
        hypertensive = ws.conn.execute(
            "SELECT count(DISTINCT person_id) FROM diagnoses WHERE condition = '高血压'"
        ).fetchone()[0]
        adults35 = ws.conn.execute(
            "SELECT count(*) FROM people WHERE birth_date <= ?", ("1990-06-01",)
        ).fetchone()[0]
        assert 0.18 <= hypertensive / adults35 <= 0.32
        statuses = {r[0] for r in ws.conn.execute("SELECT DISTINCT living_status FROM people")}
        assert {"在册", "迁出", "死亡"} <= statuses
        poor = ws.conn.execute(
            "SELECT id FROM households WHERE poverty_status = 'exited' LIMIT 1").fetchone()[0]
        assert [e["status"] for e in ws.households.poverty_history(poor)][-1] == "exited"
        assert ws.households.current_help_person(poor) is not None


def test_same_seed_gives_the_same_people(tmp_path: Path, village: tuple[Path, demo.DemoSummary]) -> None:
    again = tmp_path / "again.db"
    demo.generate(again, size="village", seed=7, today=TODAY)
    def content(path: Path) -> list[tuple[str, ...]]:
        return [(r["name"], r["id_no"], r["record_no"], r["relation"], r["phone"], r["household_no"])
                for r in _people(path)]
    assert content(again) == content(village[0])
    other = tmp_path / "other.db"
    demo.generate(other, size="village", seed=8, today=TODAY)
    assert content(other) != content(village[0])


def test_outbox_has_an_entry_for_every_row(village: tuple[Path, demo.DemoSummary]) -> None:
    with Workspace.open(village[0]) as ws:
        for table in SYNCED_TABLES:
            missing = ws.conn.execute(
                f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM outbox o"
                f" WHERE o.table_name = ? AND o.row_id = t.id"
                f" AND o.version_counter = t.version_counter)", (table,),
            ).fetchone()[0]
            assert missing == 0, table
        rows = sum(ws.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SYNCED_TABLES)
        assert ws.unsynced_count() == rows


def test_demo_user_can_sign_in(village: tuple[Path, demo.DemoSummary]) -> None:
    with Workspace.open(village[0]) as ws:
        user = ws.users.authenticate(*demo.DEMO_USER)
        assert user.role == "village_doctor"


def test_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        demo.generate(tmp_path / "x.db", size="city")


def test_about_one_person_in_ten_a_year_has_a_claim_that_settles_again(
    village: tuple[Path, demo.DemoSummary],
) -> None:
    path, summary = village
    with Workspace.open(path) as ws:
        years = dict(ws.conn.execute(
            "SELECT settled_year, count(DISTINCT person_id) FROM claims GROUP BY 1").fetchall())
        assert sorted(years) == list(range(TODAY.year - 4, TODAY.year + 1))
        for year in range(TODAY.year - 4, TODAY.year):
            assert 0.06 * summary.people <= years[year] <= 0.14 * summary.people, year
        lines = ws.claims.recompute_year(TODAY.year - 1)
        episodes = {x.claim.episode for x in lines}
        assert {"住院", "门诊慢特病"} <= episodes
        stays = [x for x in lines if x.claim.episode == "住院"]
        in_county = [x for x in stays if x.claim.scope == "县域内" and x.claim.level == "二级"]
        assert len(in_county) > len(stays) / 2
        assert all(x.claim.discharged <= TODAY and x.claim.total > 0 for x in lines)
        # Mostly the slip equals the estimate; a few differ; poor people's categories come through.
        flagged = sum(x.flagged for x in lines)
        assert 0 < flagged < len(lines) * 0.15
        assert any("建档立卡" in x.categories or "脱贫户" in x.categories for x in lines)
        assert summary.claims == ws.conn.execute("SELECT count(*) FROM claims WHERE reverses IS NULL").fetchone()[0]


def test_demo_claims_are_reproducible(tmp_path: Path, village: tuple[Path, demo.DemoSummary]) -> None:
    again = tmp_path / "again.db"
    demo.generate(again, size="village", seed=7, today=TODAY)

    def claims(path: Path) -> list[tuple[str, ...]]:
        conn = open_file(path)
        try:
            return conn.execute(
                "SELECT p.record_no, c.discharged, c.total, c.paid, c.settlement_no FROM claims c"
                " JOIN people p ON p.id = c.person_id ORDER BY c.settlement_no, c.reverses").fetchall()
        finally:
            conn.close()

    assert claims(again) == claims(village[0])


def test_the_demo_village_has_contracts_as_a_real_one_does(
        village: tuple[Path, demo.DemoSummary]) -> None:
    """Every poor household signed, most others too; some expiring soon, some not yet served, and
    each member holding only the packages that fit them."""
    path, summary = village
    ws = Workspace.open(path)
    try:
        lines = ws.contracts.list(today=TODAY)
        signed = {line.contract.household_id for line in lines}
        poor = [hid for hid in ws.households.ids() if ws.households.get(hid).is_poor]
        assert summary.contracts == len(lines) > len(poor)
        assert set(poor) <= signed
        assert ws.contracts.list(today=TODAY, expiring=30)
        assert 0 < len(ws.contracts.unserved(TODAY)) < len(lines) // 2
        for line in lines[:80]:
            c = line.contract
            for pid, codes in c.member_packages.items():
                person = ws.people.get(pid)
                if "GXY" in codes:
                    assert any(d.condition == "高血压" for d in ws.people.diagnoses(pid)), person.name
                if "ET" in codes:
                    assert age_on(person.birth_date, c.signed_on) <= 6, person.name
    finally:
        ws.close()
