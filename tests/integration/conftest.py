"""A real PostgreSQL for the county server's tests: one cluster per session (tests/pgserver.py),
a fresh database per test.

Without PostgreSQL these tests skip, saying why; with CUNYI_REQUIRE_PG=1 (`make test`, CI) they
fail instead, so a machine that lost its PostgreSQL cannot pass by skipping them.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator

import pytest

from tests import pgserver

TEMPLATE = "county_template"

try:
    import psycopg  # noqa: F401  (the server's driver, from the `server` extra)
    MISSING = ""
except ImportError:
    if pgserver.required():
        raise
    MISSING = "psycopg is not installed (pip install -e '.[server]')"
    collect_ignore_glob = ["test_*.py"]
    warnings.warn(f"the county server's tests were not collected: {MISSING}", stacklevel=1)


def start_cluster() -> pgserver.PgCluster:
    """A started cluster; else the test skips, or fails under CUNYI_REQUIRE_PG=1, with the reason."""
    try:
        return pgserver.start()
    except pgserver.PgUnavailable as exc:
        reason = f"PostgreSQL could not be started: {exc}"
        if pgserver.required():
            pytest.fail(f"{reason} ({pgserver.REQUIRE_VARIABLE}=1)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgserver.PgCluster]:
    with start_cluster() as cluster:
        yield cluster


def _fresh(cluster: pgserver.PgCluster, template: str = "template0") -> Iterator[str]:
    name = f"test_{uuid.uuid4().hex[:12]}"
    url = cluster.create_database(name, template=template)
    try:
        yield url
    finally:
        cluster.drop_database(name)


@pytest.fixture
def pg_url(pg_cluster: pgserver.PgCluster) -> Iterator[str]:
    """The URL of a new, empty database of its own."""
    yield from _fresh(pg_cluster)


@pytest.fixture(scope="session")
def county_template(pg_cluster: pgserver.PgCluster) -> str:
    """A database migrated once per session, copied for each test that wants the county schema."""
    from app.server import db, migrations

    url = pg_cluster.create_database(TEMPLATE)
    with db.connect(url, autocommit=True) as conn:
        migrations.migrate(conn)
    return TEMPLATE


@pytest.fixture
def county_url(pg_cluster: pgserver.PgCluster, county_template: str) -> Iterator[str]:
    """The URL of a new database of its own with the county schema at the latest version."""
    yield from _fresh(pg_cluster, county_template)
