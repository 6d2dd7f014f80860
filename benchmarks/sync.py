"""Sync with the county over HTTP on loopback: a village's first sync and a day's work.

- ours: a copy of the demo village enrols with a real `cunyi-county serve` (PostgreSQL started in
  a temporary folder, as the tests do) and runs `cunyi sync`'s session: every row pushed in chunks
  of 500, merged by the county, acknowledged; then a day's work (50 residents' phones changed) is
  synced again; then a new PC of the same village enrols and pulls the whole village. Measured:
  seconds, records per second, requests, bytes on the wire both ways, for the push and the pull.
- floor: the same rows as JSON lines compressed with gzip -9 (the least a transfer of these rows
  could weigh); bytes on the wire are reported as a ratio to it.

`python -m benchmarks.sync [--size village5k]` runs it alone and prints JSON.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.storage.changes import APPLY_ORDER
from app.storage.workspace import Workspace
from benchmarks.dataset import DEFAULT_CACHE, copy_database, dataset

TARGETS = {"sync_bytes_ratio_to_gzip9": 1.5, "sync_records_per_s": 20_000.0, "sync_day_kb": 15.0}
DAY_EDITS = 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _floor_bytes(ws: Workspace) -> tuple[int, int]:
    """(rows, gzip -9 bytes) of every synced row as JSON lines."""
    lines, rows = [], 0
    for table in APPLY_ORDER:
        for r in ws.conn.execute(f"SELECT * FROM {table}"):
            lines.append(json.dumps({"table": table, **dict(r)}, ensure_ascii=False))
            rows += 1
    return rows, len(gzip.compress("\n".join(lines).encode(), compresslevel=9))


def _serve(url: str) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "app.cli.county", "serve", "--database", url,
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/v1/ping", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("cunyi-county serve did not start")


def run(db: Path, work: Path) -> dict[str, Any]:
    from app import demo
    from app.server import db as county_db
    from app.server import migrations
    from app.server.store import Store
    from app.sync import session
    from app.sync.client import HttpCounty
    from app.sync.enrol import enrol
    from tests import pgserver

    copy = copy_database(db, work / "clinic.db")
    ws, _ = Workspace.sign_in(copy, *demo.DEMO_USER)
    rows, floor = _floor_bytes(ws)
    with pgserver.start() as cluster:
        url = cluster.create_database("county_bench")
        with county_db.connect(url, autocommit=True) as conn:
            migrations.migrate(conn)
            code = Store(conn).issue_code(ws.settings.division_code, 1)
        proc, base = _serve(url)
        try:
            with HttpCounty(base) as county:
                enrol(ws, county, code, server_url=base)
                started = time.perf_counter()
                first = session.sync(ws, county)
                seconds = time.perf_counter() - started
                sent, received, requests = county.bytes_sent, county.bytes_received, county.requests
            people = [r[0] for r in ws.conn.execute(
                "SELECT id FROM people WHERE deleted = 0 ORDER BY id LIMIT ?", (DAY_EDITS,))]
            for i, pid in enumerate(people):
                p = ws.people.get(pid)
                p.phone = f"1390{i:07d}"
                ws.people.update(p)
            with HttpCounty(base) as county:
                started = time.perf_counter()
                day = session.sync(ws, county)
                day_seconds = time.perf_counter() - started
                day_bytes = county.bytes_sent + county.bytes_received
                day_requests = county.requests
            with county_db.connect(url, autocommit=True) as conn:
                code = Store(conn).issue_code(ws.settings.division_code, 2)
            fresh = Workspace.create(work / "fresh.db", clinic_name="新电脑",
                                     division_code=ws.settings.division_code,
                                     division_name="新电脑所在村", station=2)
            try:
                with HttpCounty(base) as county:
                    enrol(fresh, county, code, server_url=base)
                    started = time.perf_counter()
                    pulled = session.sync(fresh, county)
                    pull_seconds = time.perf_counter() - started
                    pull_bytes = county.bytes_sent + county.bytes_received
                    pull_requests = county.requests
            finally:
                fresh.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            ws.close()
    wire = sent + received
    out = {
        "rows": rows, "pushed": first.pushed, "pulled": first.pulled,
        "seconds": round(seconds, 2), "records_per_s": round(first.pushed / seconds),
        "requests": requests, "bytes_sent": sent, "bytes_received": received,
        "floor_gzip9_bytes": floor, "bytes_ratio_to_floor": round(wire / floor, 2),
        "day_records": day.pushed, "day_seconds": round(day_seconds, 2), "day_bytes": day_bytes,
        "day_requests": day_requests,
        "pull_records": pulled.pulled, "pull_seconds": round(pull_seconds, 2),
        "pull_records_per_s": round(pulled.pulled / pull_seconds), "pull_requests": pull_requests,
        "pull_bytes": pull_bytes, "pull_bytes_ratio_to_floor": round(pull_bytes / floor, 2),
    }
    out["targets"] = {
        "sync_bytes_ratio_to_gzip9": {"goal": TARGETS["sync_bytes_ratio_to_gzip9"],
                                      "met": out["bytes_ratio_to_floor"] <= TARGETS["sync_bytes_ratio_to_gzip9"]},
        "sync_records_per_s": {"goal": TARGETS["sync_records_per_s"],
                               "met": out["records_per_s"] >= TARGETS["sync_records_per_s"]},
        "sync_pull_records_per_s": {"goal": TARGETS["sync_records_per_s"],
                                    "met": out["pull_records_per_s"] >= TARGETS["sync_records_per_s"]},
        "sync_pull_bytes_ratio_to_gzip9": {
            "goal": TARGETS["sync_bytes_ratio_to_gzip9"],
            "met": out["pull_bytes_ratio_to_floor"] <= TARGETS["sync_bytes_ratio_to_gzip9"]},
        "sync_day_kb": {"goal": TARGETS["sync_day_kb"], "met": day_bytes / 1024 <= TARGETS["sync_day_kb"]},
    }
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.sync")
    p.add_argument("--size", default="village5k")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    data = dataset(args.size, args.seed, cache_dir=DEFAULT_CACHE)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(data.path, Path(tmp))
    result = {"size": args.size, "people": data.people, **result}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
