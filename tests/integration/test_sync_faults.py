"""The network fails in the middle of a sync: a reply lost after the county merged the chunk, a
request lost before it got there, the server killed and started again between two chunks. Every
record arrives at the county exactly once and the clinic ends with nothing unsynced."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from app.server import db
from app.server.store import Store
from app.storage.changes import APPLY_ORDER
from app.sync import session
from app.sync.client import HttpCounty
from app.sync.enrol import enrol
from tests.e2e.test_two_pcs_one_village import HOUSEHOLDS, _pc
from tests.integration.test_http_sync import _free_port, _wait_for


class Flaky(httpx.BaseTransport):
    """Loses the reply of every `every`-th push after the server handled it, and the request of
    the push after that before it was sent."""

    def __init__(self, every: int = 2) -> None:
        self.inner = httpx.HTTPTransport()
        self.every = every
        self.pushes = 0
        self.lost_replies = 0
        self.lost_requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/push":
            self.pushes += 1
            if self.pushes % (self.every + 1) == 0:
                self.lost_requests += 1
                raise httpx.ConnectError("cut before sending", request=request)
            if self.pushes % (self.every + 1) == self.every:
                response = self.inner.handle_request(request)
                response.read()
                self.lost_replies += 1
                raise httpx.ReadError("cut after the server answered", request=request)
        return self.inner.handle_request(request)


def _serve(county_url: str, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "app.cli.county", "serve", "--database", county_url,
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ})
    _wait_for(f"http://127.0.0.1:{port}", proc)
    return proc


@pytest.fixture
def port(county_url: str) -> Iterator[int]:
    yield _free_port()


def _county_rows(url: str) -> int:
    with psycopg.connect(url) as conn:
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in APPLY_ORDER)


def test_lost_replies_and_requests_lose_and_duplicate_nothing(tmp_path: Path, county_url: str,
                                                              port: int) -> None:
    proc = _serve(county_url, port)
    try:
        a = _pc(tmp_path, "a", 1, range(0, HOUSEHOLDS // 2))
        with db.connect(county_url, autocommit=True) as conn:
            code = Store(conn).issue_code(a.settings.division_code, 1)
        flaky = Flaky()
        with HttpCounty(f"http://127.0.0.1:{port}", transport=flaky, backoff=0.01) as county:
            enrol(a, county, code)
            local = sum(a.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in APPLY_ORDER)
            session.sync(a, county, chunk=20)
        assert flaky.lost_replies >= 2 and flaky.lost_requests >= 2
        assert a.sync.unsynced() == 0
        assert _county_rows(county_url) == local
        with psycopg.connect(county_url) as conn:      # each version accepted once
            assert conn.execute("SELECT count(*) FROM (SELECT 1 FROM row_versions GROUP BY table_name,"
                                " row_id, version_instance, version_counter HAVING count(*) > 1) d"
                                ).fetchone()[0] == 0
        a.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_server_killed_mid_session_and_started_again_loses_nothing(tmp_path: Path, county_url: str,
                                                             port: int) -> None:
    procs = [_serve(county_url, port)]
    a = _pc(tmp_path, "a", 1, range(0, HOUSEHOLDS // 2))
    with db.connect(county_url, autocommit=True) as conn:
        code = Store(conn).issue_code(a.settings.division_code, 1)
    restarted = []

    def start_again() -> None:
        time.sleep(0.3)
        procs.append(_serve(county_url, port))

    def restart(stage: str, done: int) -> None:
        """Kill the server after the first chunk; it comes back while the clinic retries."""
        if stage == "push" and not restarted:
            restarted.append(done)
            procs[-1].kill()
            procs[-1].wait(timeout=10)
            threads.append(threading.Thread(target=start_again))
            threads[-1].start()

    threads: list[threading.Thread] = []

    try:
        with HttpCounty(f"http://127.0.0.1:{port}", backoff=0.5) as county:
            enrol(a, county, code)
            local = sum(a.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in APPLY_ORDER)
            result = session.sync(a, county, chunk=25, progress=restart)
        for t in threads:
            t.join()
        assert restarted and len(procs) == 2 and result.pushed == local
        assert a.sync.unsynced() == 0 and _county_rows(county_url) == local
        a.close()
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(timeout=10)
