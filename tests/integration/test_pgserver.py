"""The test PostgreSQL itself: private, one database per test, gone afterwards, and missing it
skips the county tests or (CUNYI_REQUIRE_PG=1) fails them, saying why."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import psycopg
import pytest

from tests import pgserver
from tests.integration.conftest import start_cluster


def test_the_cluster_listens_on_loopback_only_from_a_temporary_folder(pg_cluster, pg_url):
    with psycopg.connect(pg_url) as conn:
        settings = dict(conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN "
            "('listen_addresses', 'port', 'data_directory', 'unix_socket_directories')").fetchall())
    assert settings["listen_addresses"] == "127.0.0.1"
    assert int(settings["port"]) == pg_cluster.port
    assert Path(settings["data_directory"]) == pg_cluster.data
    assert Path(settings["unix_socket_directories"]) == pg_cluster.root
    if os.geteuid() == 0:     # PostgreSQL never runs as root: the folder belongs to postgres
        assert pg_cluster.root.stat().st_uid == __import__("pwd").getpwnam("postgres").pw_uid


def test_each_database_sees_only_its_own_tables(pg_cluster, pg_url):
    other = pg_cluster.create_database("test_neighbour")
    try:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("CREATE TABLE mine (x int)")
        with psycopg.connect(other) as conn:
            assert conn.execute("SELECT to_regclass('mine')").fetchone() == (None,)
    finally:
        pg_cluster.drop_database("test_neighbour")


def test_a_cluster_is_stopped_and_removed_when_its_block_fails():
    with pytest.raises(RuntimeError), pgserver.start() as cluster:
        root, port = cluster.root, cluster.port
        raise RuntimeError("a test failed")
    assert not root.exists()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_a_cluster_that_cannot_start_says_why_and_leaves_no_folder():
    before = set(Path(tempfile.gettempdir()).glob("cunyi-pg-*"))
    with pytest.raises(pgserver.PgUnavailable, match="shared_buffers"):
        pgserver.start({"shared_buffers": "lots"})
    assert set(Path(tempfile.gettempdir()).glob("cunyi-pg-*")) == before


def test_without_postgres_the_tests_skip_saying_why_unless_it_is_required(monkeypatch):
    monkeypatch.setenv(pgserver.BINDIR_VARIABLE, "/nonexistent/bin")
    monkeypatch.delenv(pgserver.REQUIRE_VARIABLE, raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"no PostgreSQL server binaries .* in CUNYI_PG_BINDIR=/nonexistent/bin"):
        start_cluster()
    monkeypatch.setenv(pgserver.REQUIRE_VARIABLE, "1")
    with pytest.raises(pytest.fail.Exception, match=r"/nonexistent/bin.*\(CUNYI_REQUIRE_PG=1\)"):
        start_cluster()
