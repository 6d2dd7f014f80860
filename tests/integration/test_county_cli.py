"""`cunyi-county init` and `status` as an administrator runs them: the installed command in its
own process, against the test PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.server import migrations
from app.server.db import COUNTY_TABLES, DATABASE_VARIABLE
from tests import pgserver
from tests.conftest import VILLAGE

ROOT = Path(__file__).resolve().parents[2]
OTHER_VILLAGE = "622923104202"


def county(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`cunyi-county ARGS…`, the installed entry point, with only the environment given."""
    exe = Path(sys.executable).with_name("cunyi-county")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "app.cli.county"]
    full_env = {k: v for k, v in os.environ.items() if k != DATABASE_VARIABLE} | (env or {})
    return subprocess.run([*command, *args], cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=60)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("错误："), result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def put(conn: psycopg.Connection[Any], table: str, partition: str, *, deleted: int = 0,
        **values: Any) -> None:
    values |= {"id": uuid.uuid4().hex, "partition": partition, "version_instance": "i1",
               "version_counter": 1, "deleted": deleted, "updated_at": "2026-01-01T00:00:00+00:00"}
    conn.execute(f"INSERT INTO {table} ({', '.join(values)}, server_seq) VALUES "
                 f"({', '.join(['%s'] * len(values))}, nextval('county_seq'))", list(values.values()))


def test_init_creates_the_schema_then_finds_it_current(pg_url):
    first = county("init", "--database", pg_url)
    assert first.returncode == 0, first.stderr
    assert "已初始化县级数据库" in first.stdout and f"结构版本 {migrations.LATEST_VERSION}" in first.stdout
    with psycopg.connect(pg_url) as conn:
        tables = {t for t, in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
    assert set(COUNTY_TABLES) | {"row_versions", "instances", "enrolment_codes", "conflicts", "county_identity",
                                 "sync_sessions", "schema_version", "config_items"} == tables

    again = county("init", "--database", pg_url)
    assert again.returncode == 0 and "已是最新" in again.stdout and "未作改动" in again.stdout


def test_the_database_may_come_from_the_environment(pg_url):
    result = county("init", env={DATABASE_VARIABLE: pg_url})
    assert result.returncode == 0, result.stderr
    status = county("status", "--json", env={DATABASE_VARIABLE: pg_url})
    assert json.loads(status.stdout)["schema_version"] == migrations.LATEST_VERSION


def test_without_a_database_it_says_how_to_give_one():
    line = one_error_line(county("init"))
    assert "--database" in line and DATABASE_VARIABLE in line


def test_a_database_that_cannot_be_reached_is_one_line_and_a_nonzero_exit():
    port = pgserver.free_port()       # nothing listens there
    line = one_error_line(county("init", "--database", f"postgresql://cunyi:s3cret@127.0.0.1:{port}/county"))
    assert "无法连接县级数据库" in line and f"127.0.0.1:{port}/county" in line
    assert "s3cret" not in line


def test_a_malformed_address_is_refused_without_echoing_it():
    line = one_error_line(county("status", "--database", "postgresql://cunyi:s3cret@[::1/county"))
    assert "地址无法识别" in line and "s3cret" not in line


def test_a_database_that_does_not_exist_is_named(pg_cluster):
    line = one_error_line(county("init", "--database", pg_cluster.url("no_such_county")))
    assert "数据库或用户不存在" in line and "no_such_county" in line


def test_a_user_without_the_right_to_create_tables_is_told_so(pg_cluster, pg_url):
    role = f"clerk_{uuid.uuid4().hex[:8]}"
    pg_cluster.execute(f"CREATE ROLE {role} LOGIN")
    clerk_url = pg_url.replace("postgresql://postgres@", f"postgresql://{role}@")
    line = one_error_line(county("init", "--database", clerk_url))
    assert "权限" in line and "OWNER" in line
    with psycopg.connect(pg_url) as conn:    # nothing half-made
        assert conn.execute("SELECT to_regclass('schema_version')").fetchone() == (None,)


def test_status_of_an_empty_county_lists_every_table_and_no_village(county_url):
    result = county("status", "--database", county_url, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == migrations.LATEST_VERSION
    assert data["tables"] == {t: {} for t in COUNTY_TABLES}
    assert (data["versions"], data["devices"], data["open_conflicts"]) == (0, 0, 0)
    assert "@" in data["database"] and "test_" in data["database"]
    text = county("status", "--database", county_url)
    assert text.returncode == 0 and "还没有任何记录" in text.stdout


def test_status_counts_rows_per_table_per_village(county_url):
    with psycopg.connect(county_url) as conn:
        for _ in range(3):
            put(conn, "households", VILLAGE, village_code=VILLAGE)
        put(conn, "households", VILLAGE, deleted=1, village_code=VILLAGE)
        put(conn, "households", OTHER_VILLAGE, village_code=OTHER_VILLAGE)
        for n in range(2):
            put(conn, "people", VILLAGE, household_id="h", record_no=f"00{n}", name="张三")
        conn.execute("INSERT INTO conflicts (table_name, row_id, field, partition)"
                     " VALUES ('people', 'p', 'name', %s)", (VILLAGE,))
    result = county("status", "--database", county_url, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["tables"]["households"] == {VILLAGE: {"rows": 4, "deleted": 1},
                                            OTHER_VILLAGE: {"rows": 1, "deleted": 0}}
    assert data["tables"]["people"] == {VILLAGE: {"rows": 2, "deleted": 0}}
    assert data["tables"]["claims"] == {} and data["open_conflicts"] == 1

    text = county("status", "--database", county_url).stdout
    lines = [line.split() for line in text.splitlines()]
    assert [VILLAGE, "households", "4", "1"] in lines and [VILLAGE, "people", "2", "0"] in lines
    assert [OTHER_VILLAGE, "households", "1", "0"] in lines
    assert f"结构版本 {migrations.LATEST_VERSION}" in text


def test_status_of_a_database_never_initialised_says_to_run_init(pg_url):
    line = one_error_line(county("status", "--database", pg_url))
    assert "尚未初始化" in line and "cunyi-county init" in line


@pytest.mark.parametrize("command", ["init", "status"])
def test_a_database_of_a_newer_release_is_refused_and_left_alone(county_url, command):
    newer = migrations.LATEST_VERSION + 1
    with psycopg.connect(county_url) as conn:
        conn.execute("INSERT INTO schema_version (version, release) VALUES (%s, '9.9')", (newer,))
    line = one_error_line(county(command, "--database", county_url))
    assert f"结构版本为 {newer}" in line and "升级" in line
    with psycopg.connect(county_url) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone() == (newer,)


def test_help_and_version_need_no_database():
    assert county("--version").stdout.startswith("cunyi-county ")
    result = county("--help")
    assert result.returncode == 0 and "init" in result.stdout and "status" in result.stdout
