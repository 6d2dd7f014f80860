"""The county database's schema: its own numbered migrations, and the clinic's synced tables
with the same names and columns, so one indicator query runs on either database."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.server import db, migrations
from app.storage.changes import APPLY_ORDER, SYNCED_TABLES
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id

# Clinic (SQLite) column type -> the county's (PostgreSQL information_schema.data_type).
COMPATIBLE = {"TEXT": "text", "INTEGER": "bigint", "REAL": "double precision"}


def columns(url: str, table: str) -> dict[str, dict[str, Any]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = %s", (table,)).fetchall()
    return {name: {"type": kind, "null": nullable == "YES", "default": default}
            for name, kind, nullable, default in rows}


def same_default(clinic: str | None, county: str | None) -> bool:
    """'general' and 'general'::text, 0 and 0, '{}' and '{}'::text are the same default."""
    if clinic is None or county is None:
        return clinic is None and county is None
    return re.sub(r"::[a-z ]+$", "", county) == clinic


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path_factory.mktemp("clinic") / "clinic.sqlite3", clinic_name="红旗村卫生室",
                          division_code=VILLAGE, division_name="红旗村")
    yield ws
    ws.close()


def test_migrations_are_numbered_one_to_n_without_gaps():
    assert [n for n, _ in migrations.MIGRATIONS] == list(range(1, migrations.LATEST_VERSION + 1))


def test_the_county_keeps_the_clinics_synced_tables_in_the_clinics_order():
    assert set(db.COUNTY_TABLES) == SYNCED_TABLES
    assert db.COUNTY_TABLES == APPLY_ORDER


def differences(clinic: Workspace, county_url: str) -> list[str]:
    """Each column of a synced clinic table the county lacks or holds differently: the same name,
    a type that holds the same values, a NOT NULL only where the clinic has one, the same default."""
    problems = []
    for table in sorted(SYNCED_TABLES):
        county = columns(county_url, table)
        if not county:
            problems.append(f"{table}: no such table on the county server")
            continue
        for _, name, kind, notnull, default, pk in clinic.conn.execute(f"PRAGMA table_info({table})"):
            theirs = county.get(name)
            if theirs is None:
                problems.append(f"{table}.{name}: missing")
                continue
            if theirs["type"] != COMPATIBLE.get(kind):
                problems.append(f"{table}.{name}: {kind} on the clinic, {theirs['type']} on the county")
            if name == "server_seq":      # null on the clinic until the county has sequenced it
                if theirs["null"]:
                    problems.append(f"{table}.server_seq: may be null on the county")
                continue
            if not theirs["null"] and not (notnull or pk):     # SQLite's TEXT key may be null
                problems.append(f"{table}.{name}: NOT NULL on the county only")
            if not same_default(default, theirs["default"]):
                problems.append(f"{table}.{name}: default {default} on the clinic, "
                                f"{theirs['default']} on the county")
    return problems


def test_every_column_of_every_synced_clinic_table_is_on_the_county_server(clinic, county_url):
    """A clinic migration that adds a column to a synced table fails here until a server
    migration adds it too."""
    assert differences(clinic, county_url) == []


def test_a_column_the_clinic_adds_is_reported_until_the_county_has_it(tmp_path, county_url):
    ws = Workspace.create(tmp_path / "newer.sqlite3", clinic_name="红旗村卫生室",
                          division_code=VILLAGE, division_name="红旗村")
    with ws:
        ws.conn.execute("ALTER TABLE people ADD COLUMN nickname TEXT NOT NULL DEFAULT ''")
        ws.conn.execute("ALTER TABLE claims ADD COLUMN weight_kg REAL")
        assert differences(ws, county_url) == ["claims.weight_kg: missing", "people.nickname: missing"]
        with psycopg.connect(county_url) as conn:
            conn.execute("ALTER TABLE people ADD COLUMN nickname TEXT NOT NULL DEFAULT ''")
            conn.execute("ALTER TABLE claims ADD COLUMN weight_kg BIGINT")
        assert differences(ws, county_url) == ["claims.weight_kg: REAL on the clinic, bigint on the county"]


def test_synced_tables_have_no_foreign_keys_and_no_unique_rule_but_id_and_server_seq(county_url):
    """Rows arrive in chunks in any order, forks and duplicates are kept: the merge decides."""
    with psycopg.connect(county_url) as conn:
        constraints = conn.execute(
            "SELECT conrelid::regclass::text, contype, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u', 'p', 'x')",
            (list(SYNCED_TABLES),)).fetchall()
        unique_indexes = conn.execute(
            "SELECT indrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid::regclass::text = ANY(%s) AND indisunique", (list(SYNCED_TABLES),)).fetchall()
        partition_indexes = {t for t, in conn.execute(
            "SELECT tablename FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexdef LIKE '%%(partition%%'").fetchall()}
    assert sorted(constraints) == sorted(
        [(t, "p", "PRIMARY KEY (id)") for t in SYNCED_TABLES]
        + [(t, "u", "UNIQUE (server_seq)") for t in SYNCED_TABLES])
    assert len(unique_indexes) == 2 * len(SYNCED_TABLES)
    assert partition_indexes >= SYNCED_TABLES


def test_forks_duplicates_and_orphans_are_storable(county_url):
    with psycopg.connect(county_url) as conn:
        def put(table: str, **values: Any) -> None:
            values |= {"partition": VILLAGE, "version_instance": "i1", "version_counter": 1,
                       "updated_at": "2026-01-01T00:00:00+00:00"}
            names = ", ".join(values)
            conn.execute(f"INSERT INTO {table} ({names}, server_seq) VALUES "
                         f"({', '.join(['%s'] * len(values))}, nextval('county_seq'))", list(values.values()))

        same = make_id()
        for pid in ("p1", "p2"):       # one resident registered on two PCs, household not here yet
            put("people", id=pid, household_id="h-not-yet", record_no="001", name="张三", id_no=same)
        for vid in ("v2", "v3"):       # one visit corrected on two PCs: a fork
            put("general_visits", id=vid, person_id="p1", visit_date="2026-01-02", method="门诊",
                content="复诊", supersedes="v1", origin_id="v1")
        assert conn.execute("SELECT count(*) FROM people WHERE id_no = %s", (same,)).fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM general_visits WHERE supersedes = 'v1'").fetchone() == (2,)


def test_rows_versions_and_conflicts_draw_from_one_county_wide_sequence(county_url):
    with psycopg.connect(county_url) as conn:
        seq = conn.execute(
            "INSERT INTO row_versions (table_name, row_id, version_instance, version_counter, data)"
            " VALUES ('people', 'p1', 'i1', 1, '{}') RETURNING server_seq").fetchone()[0]
        with pytest.raises(psycopg.errors.UniqueViolation), conn.transaction():   # applied once
            conn.execute("INSERT INTO row_versions (table_name, row_id, version_instance, version_counter,"
                         " data) VALUES ('people', 'p1', 'i1', 1, '{}')")
        later = conn.execute("INSERT INTO conflicts (table_name, row_id, field, partition)"
                             " VALUES ('people', 'p1', 'name', %s) RETURNING server_seq",
                             (VILLAGE,)).fetchone()[0]
        assert later > seq
        assert conn.execute("SELECT data_type FROM information_schema.columns WHERE"
                            " table_name = 'row_versions' AND column_name = 'data'").fetchone() == ("jsonb",)


def test_one_indicator_query_gives_the_same_answer_on_the_clinic_and_the_county(tmp_path, county_url):
    """The point of keeping names and columns: a report written once runs on both databases."""
    from app.core.households import Household
    from app.core.people import Person

    ws = Workspace.create(tmp_path / "c.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村")
    with ws:
        for n, sexes in enumerate(["12", "2", "112"]):     # 1 男, 2 女
            hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, poverty_status="monitored"
                                                 if n == 1 else "general"))
            for k, sex in enumerate(sexes):
                ws.people.add(Person(id=None, household_id=hid, name=f"村民{n}{k}", sex=sex,
                                     id_no=make_id(seq=f"{n}{k}{sex}")))
        query = ("SELECT h.partition, h.poverty_status, p.sex, count(*) AS n"
                 " FROM people p JOIN households h ON h.id = p.household_id"
                 " WHERE p.deleted = 0 AND h.deleted = 0"
                 " GROUP BY h.partition, h.poverty_status, p.sex ORDER BY 1, 2, 3")
        on_clinic = [tuple(r) for r in ws.conn.execute(query)]
        with psycopg.connect(county_url) as conn:
            for table in ("households", "people"):
                for row in ws.conn.execute(f"SELECT * FROM {table}"):
                    values = dict(row) | {"server_seq": None}
                    names = ", ".join(values)
                    marks = ", ".join("nextval('county_seq')" if k == "server_seq" else "%s" for k in values)
                    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                                 [v for k, v in values.items() if k != "server_seq"])
            on_county = [tuple(r) for r in conn.execute(query).fetchall()]
    assert on_clinic == on_county and sum(r[3] for r in on_county) == 6


def test_migrating_twice_changes_nothing(pg_url):
    with db.connect(pg_url, autocommit=True) as conn:
        assert migrations.migrate(conn) == migrations.Migrated(0, migrations.LATEST_VERSION)
        assert migrations.migrate(conn) == migrations.Migrated(migrations.LATEST_VERSION,
                                                               migrations.LATEST_VERSION)
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone() == (migrations.LATEST_VERSION,)


def test_two_inits_at_once_apply_each_migration_once(pg_url):
    results: list[Any] = []

    def run() -> None:
        try:
            with db.connect(pg_url, autocommit=True) as conn:
                results.append(migrations.migrate(conn))
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # one of them found the empty database; each migration ran once, whoever ran it
    assert [r.before for r in results].count(0) == 1
    assert [r.after for r in results] == [migrations.LATEST_VERSION] * 3
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == [
            (n,) for n in range(1, migrations.LATEST_VERSION + 1)]


def test_a_database_from_a_newer_release_is_refused_and_left_alone(county_url):
    newer = migrations.LATEST_VERSION + 1
    with psycopg.connect(county_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version (version, release) VALUES (%s, '9.9')", (newer,))
    with db.connect(county_url, autocommit=True) as conn:
        with pytest.raises(migrations.SchemaTooNewError, match=f"结构版本为 {newer}.*请升级"):
            migrations.migrate(conn)
        with pytest.raises(migrations.SchemaTooNewError):
            migrations.check_current(conn)
        assert migrations.schema_version(conn) == newer


def test_a_migration_that_fails_leaves_the_database_as_it_was(county_url, monkeypatch):
    broken = migrations.LATEST_VERSION + 1
    monkeypatch.setattr(migrations, "MIGRATIONS", [
        *migrations.MIGRATIONS, (broken, "CREATE TABLE half_done (x int); SELECT 1 / 0;")])
    monkeypatch.setattr(migrations, "LATEST_VERSION", broken)
    with db.connect(county_url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.DivisionByZero):
            migrations.migrate(conn)
        assert migrations.schema_version(conn) == broken - 1
        assert conn.execute("SELECT to_regclass('half_done')").fetchone() == (None,)


def test_the_migration_is_written_out_not_derived_from_the_clinic_schema():
    """The server's schema is explicit SQL: nothing reads the clinic's tables to build it."""
    source = Path(migrations.__file__).with_name("m0001_county.py").read_text(encoding="utf-8")
    assert "app.storage" not in source and "CREATE TABLE people (" in source
