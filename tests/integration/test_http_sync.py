"""Clinic PCs sync with a real county server: `cunyi-county serve` on loopback, PostgreSQL behind it.

What crosses the wire is what the clinic's session sends (gzip protocol bodies over HTTP); the
rows are checked as they arrive in the county's tables and in the other PC's database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.server import db
from app.server.store import Store
from app.storage.changes import APPLY_ORDER
from app.sync import session
from app.sync.client import HttpCounty, SyncRefused, SyncUnavailable
from app.sync.enrol import enrol
from tests.e2e.test_two_pcs_one_village import HOUSEHOLDS, _pc


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes]) -> None:
    """Until the server answers its ping; a server that died or never answered fails the test."""
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/v1/ping", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            _out, err = proc.communicate()
            pytest.fail(f"cunyi-county serve did not start: {err.decode()[-2000:]}")
        time.sleep(0.1)


@pytest.fixture
def server(county_url: str) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from app.cli.county import main; sys.exit(main())",
         "serve", "--database", county_url, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    url = f"http://127.0.0.1:{port}"
    _wait_for(url, proc)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_two_pcs_sync_over_http_and_hold_the_same_rows(tmp_path: Path, county_url: str, server: str) -> None:
    a = _pc(tmp_path, "a", 1, range(0, HOUSEHOLDS // 2))
    b = _pc(tmp_path, "b", 2, range(HOUSEHOLDS // 2, HOUSEHOLDS))
    with db.connect(county_url, autocommit=True) as conn:
        codes = [Store(conn).issue_code(ws.settings.division_code, ws.station) for ws in (a, b)]
    with HttpCounty(server) as county:
        for ws, code in zip((a, b), codes, strict=True):
            enrol(ws, county, code, server_url=server)
        results = [session.sync(ws, county, chunk=100) for ws in (a, b, a)]
        assert not any(r.refused for r in results)
        # requests grow with chunks, not records
        assert county.requests <= 3 * 3 + 2 * (results[0].pushed // 100 + results[1].pushed // 100 + 4)
    for ws in (a, b):
        assert ws.sync.unsynced() == 0
    rows = [{t: {r["id"]: dict(r) for r in ws.conn.execute(f"SELECT * FROM {t}")} for t in APPLY_ORDER}
            for ws in (a, b)]
    assert rows[0] == rows[1]
    with db.connect(county_url, autocommit=True) as conn:
        people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
    assert people == HOUSEHOLDS * 3 + 2
    a.close()
    b.close()


def test_enrolment_sync_revocation_and_an_unreachable_server_over_http(
        tmp_path: Path, county_url: str, server: str) -> None:
    from app.storage.workspace import Workspace
    from app.sync.session import NotEnrolled
    from tests.conftest import VILLAGE

    ws = Workspace.create(tmp_path / "x.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村")
    with HttpCounty(server) as county:
        with pytest.raises(NotEnrolled, match="尚未在县里注册"):
            session.sync(ws, county)
        with pytest.raises(SyncRefused, match="注册码不对"):
            enrol(ws, county, "AAAA-BBBB-CCCC")
        with db.connect(county_url, autocommit=True) as conn:
            code = Store(conn).issue_code(VILLAGE, 4)
        answer = enrol(ws, county, code, server_url=server)
        assert (answer.scope, answer.station, ws.station) == (VILLAGE, 4, 4)
        assert session.sync(ws, county).pushed > 0 and ws.sync.unsynced() == 0
        with db.connect(county_url, autocommit=True) as conn:
            assert Store(conn).revoke(ws.instance_id)
        with pytest.raises(SyncRefused, match="停用"):
            session.sync(ws, county)
    with HttpCounty(f"http://127.0.0.1:{_free_port()}", retries=1, backoff=0.01) as county, \
            pytest.raises(SyncUnavailable, match="无法连接县里的服务器"):
        session.sync(ws, county)
    ws.close()


def test_a_body_from_a_newer_protocol_is_refused_with_upgrade(server: str) -> None:
    import gzip
    import json

    body = gzip.compress(json.dumps({"protocol": 99, "kind": "hello"}).encode())
    r = httpx.post(f"{server}/v1/hello", content=body)
    assert r.status_code == 426
    from app.sync.protocol import Refusal, decode

    assert "升级" in decode(Refusal, r.content).message
