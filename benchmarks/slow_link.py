"""Sync over a slow rural link: 1 Mbit/s each way, 300 ms round trips, connections cut mid-chunk.

netem is not available here, so the link is made of two parts:
- the rate: a network namespace joined to this one by a veth pair, with `tc qdisc … tbf rate
  1mbit burst 32kbit latency 400ms` on both ends (so each direction is limited on its own);
- the delay: `benchmarks/delay_proxy.py`, on this side's end of the pair, holding every piece of
  data 150 ms each way (a round trip of 300 ms; a new connection pays one round trip more, as its
  TCP handshake would).

The county server (`cunyi-county serve`, PostgreSQL started in a temporary folder as the tests
do) runs in this namespace on loopback; the clinic's sync runs in the other namespace, as a child
interpreter (`ip netns exec … python -m benchmarks.slow_link --worker …`) that signs in to a copy
of the demo village, enrols, syncs with the real session code (`app.sync.session.sync` over
`HttpCounty`) through the proxy, and prints JSON.

Measured, each against its goal:
- the village's first sync: seconds, against the time the floor's bytes need at 1 Mbit/s (the
  floor: gzip -9 of the same rows as JSON lines, `benchmarks.sync._floor_bytes`, measured in the
  same run); goal ≤ 1.5×. The time is broken down: bytes each way at the link's rate, round
  trips × 300 ms, and the server's time to answer (the proxy times it, beside the server);
- a day's work (50 people's phones changed): seconds and bytes; goals ≤ 2 s and ≤ 15 KB;
- with connections cut mid-chunk (the proxy aborts planned connections after so many bytes of a
  request or of an answer), on a fresh county and a fresh copy of a smaller village (`--loss-size`,
  `village` by default: ~1/3 of the rows, to keep the run short): the sync still completes, and
  every row of the clinic is on the county exactly once, at the clinic's version (rows per table
  and (id, version) compared with PostgreSQL; versions counted twice in `row_versions`).
- a link check: bytes sent straight through the tbf link (no proxy) each way, to show the rate
  the link really gives (tbf counts Ethernet/IP/TCP headers, so a payload gets ~95 % of 1 Mbit/s).

Not modelled: the proxy terminates TCP on this side, so TCP's slow start and its window over a
300 ms path are not what the clinic's TCP sees (its path to the proxy has no delay); loss is whole
connections cut, not packets dropped. TLS (`--tls-cert`) would add a round trip per connection.

Needs root and `ip netns`; otherwise prints a JSON note with "status": "skipped" and why.
`python -m benchmarks.slow_link [--size village5k] [--loss-size village]` runs it alone.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.delay_proxy import DelayProxy, Direction

RATE_BIT_S = 1_000_000          # tbf "1mbit" is 10^6 bit/s
ONE_WAY_S = 0.150               # a 300 ms round trip
TBF = ["rate", "1mbit", "burst", "32kbit", "latency", "400ms"]
DAY_EDITS = 50
LOSS_SIZE = "village"           # the village synced with connections cut (~1/3 of village5k's rows)
PROBE_BYTES = 256 * 1024
TARGETS = {"slow_link_first_sync_ratio_to_floor_time": 1.5, "slow_link_day_s": 2.0,
           "slow_link_day_kb": 15.0, "slow_link_cut_lost_or_duplicated": 0}
# Connections cut, in order (each retry opens a new connection, which takes the next entry): in
# the middle of a pushed chunk's body, in the middle of an answer (the chunk was merged, its
# acknowledgement lost), and again each way further on.
CUTS: list[tuple[Direction, int]] = [("up", 120_000), ("down", 40_000), ("up", 300_000),
                                     ("down", 120_000)]
ROOT = Path(__file__).resolve().parent.parent


# --- the link -------------------------------------------------------------------------------

def _run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=30)


def unavailable() -> str | None:
    """Why the link cannot be made here, or None."""
    if os.geteuid() != 0:
        return "needs root (ip netns, tc)"
    for tool in ("ip", "tc"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed (iproute2)"
    try:
        subprocess.run(["ip", "netns", "list"], check=True, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"`ip netns` does not work here: {exc}"
    return None


class Link:
    """A namespace `ns` joined by a veth pair: this side `host_ip`, the other `ns_ip`, tbf on both."""

    def __init__(self) -> None:
        tag = f"{os.getpid() % 100_000}"
        self.ns = f"cunyi-slow-{tag}"
        self.host_if, self.ns_if = f"cys{tag}a", f"cys{tag}b"
        third = 100 + os.getpid() % 150
        self.host_ip, self.ns_ip = f"10.213.{third}.1", f"10.213.{third}.2"

    def up(self) -> Link:
        try:
            _run("ip", "netns", "add", self.ns)
            _run("ip", "link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if)
            _run("ip", "link", "set", self.ns_if, "netns", self.ns)
            _run("ip", "addr", "add", f"{self.host_ip}/30", "dev", self.host_if)
            _run("ip", "link", "set", self.host_if, "up")
            self.exec("ip", "addr", "add", f"{self.ns_ip}/30", "dev", self.ns_if)
            self.exec("ip", "link", "set", self.ns_if, "up")
            self.exec("ip", "link", "set", "lo", "up")
            _run("tc", "qdisc", "add", "dev", self.host_if, "root", "tbf", *TBF)
            self.exec("tc", "qdisc", "add", "dev", self.ns_if, "root", "tbf", *TBF)
        except BaseException:
            self.down()
            raise
        return self

    def exec(self, *cmd: str) -> None:
        _run("ip", "netns", "exec", self.ns, *cmd)

    def down(self) -> None:
        """Remove the namespace and both ends of the pair, whatever was made."""
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["ip", "netns", "del", self.ns], capture_output=True, timeout=30)
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["ip", "link", "del", self.host_if], capture_output=True, timeout=30)

    def worker(self, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Run this module's worker in the namespace; its JSON."""
        cmd = ["ip", "netns", "exec", self.ns, sys.executable, "-m", "benchmarks.slow_link",
               "--worker", json.dumps(spec)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(f"worker {spec['mode']} failed ({done.returncode}): "
                               f"{done.stderr.strip()[-2000:]}")
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@contextlib.contextmanager
def link() -> Iterator[Link]:
    made = Link()
    made.up()
    try:
        yield made
    finally:
        made.down()


# --- the link check -------------------------------------------------------------------------

@contextlib.contextmanager
def _sink(host: str) -> Iterator[int]:
    """A TCP server that reads PROBE_BYTES, answers one byte, then sends PROBE_BYTES back."""
    srv = socket.socket()
    srv.bind((host, 0))
    srv.listen()
    srv.settimeout(60)

    def serve() -> None:
        with contextlib.suppress(OSError):
            conn, _ = srv.accept()
            with conn:
                got = 0
                while got < PROBE_BYTES and (data := conn.recv(65536)):
                    got += len(data)
                conn.sendall(b"!")
                conn.sendall(os.urandom(PROBE_BYTES))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(srv.getsockname()[1])
    finally:
        srv.close()
        thread.join(timeout=5)


def _probe(host: str, port: int) -> dict[str, Any]:
    with socket.create_connection((host, port), timeout=60) as s:
        started = time.perf_counter()
        s.sendall(os.urandom(PROBE_BYTES))
        assert s.recv(1) == b"!"
        up = time.perf_counter() - started
        started, got = time.perf_counter(), 0
        while got < PROBE_BYTES and (data := s.recv(65536)):
            got += len(data)
        down = time.perf_counter() - started
    return {"bytes": PROBE_BYTES, "up_s": round(up, 3), "down_s": round(down, 3),
            "up_kbit_s": round(PROBE_BYTES * 8 / up / 1000), "down_kbit_s": round(got * 8 / down / 1000)}


# --- the clinic's side, in the namespace ------------------------------------------------------

def _worker(spec: dict[str, Any]) -> dict[str, Any]:
    if spec["mode"] == "probe":
        return _probe(spec["host"], spec["port"])
    import httpx

    from app import demo
    from app.storage.workspace import Workspace
    from app.sync import session
    from app.sync.client import HttpCounty, SyncUnavailable
    from app.sync.enrol import enrol

    class Counting(httpx.HTTPTransport):
        attempts = 0
        failures = 0

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            Counting.attempts += 1
            try:
                response = super().handle_request(request)
                response.read()
            except httpx.TransportError:
                Counting.failures += 1
                raise
            return response

    url = spec["url"]
    ws, _ = Workspace.sign_in(Path(spec["db"]), *demo.DEMO_USER)
    out: dict[str, Any] = {}
    try:
        if spec.get("code"):
            with HttpCounty(url) as county:
                started = time.perf_counter()
                enrol(ws, county, spec["code"], server_url=url)
                out["enrol_s"] = round(time.perf_counter() - started, 3)
        if spec.get("day"):
            people = [r[0] for r in ws.conn.execute(
                "SELECT id FROM people WHERE deleted = 0 ORDER BY id LIMIT ?", (spec["day"],))]
            for i, pid in enumerate(people):
                p = ws.people.get(pid)
                p.phone = f"1380{i:07d}"
                ws.people.update(p)
        out["unsynced_before"] = ws.sync.unsynced()
        sessions: list[dict[str, Any]] = []
        started = time.perf_counter()
        while len(sessions) < spec.get("sessions", 5):
            with HttpCounty(url, transport=Counting()) as county:
                began = time.perf_counter()
                done: dict[str, Any]
                try:
                    r = session.sync(ws, county)
                    done = {"pushed": r.pushed, "pulled": r.pulled, "conflicts": r.conflicts,
                            "refused": len(r.refused), "parked": r.parked}
                except SyncUnavailable as exc:      # what `cunyi sync` says; the user syncs again
                    done = {"failed": str(exc)}
                sessions.append({**done, "seconds": round(time.perf_counter() - began, 3),
                                 "requests": county.requests, "bytes_sent": county.bytes_sent,
                                 "bytes_received": county.bytes_received})
            if "failed" not in done:
                break
        out["seconds"] = round(time.perf_counter() - started, 3)
        out["sessions"] = sessions
        out["completed"] = bool(sessions) and "failed" not in sessions[-1]
        out["attempts"], out["transport_failures"] = Counting.attempts, Counting.failures
        out["unsynced_after"] = ws.sync.unsynced()
        for key in ("requests", "bytes_sent", "bytes_received", "pushed", "pulled"):
            out[key] = sum(s.get(key, 0) for s in sessions)
    finally:
        ws.close()
    return out


# --- the county's side, checked against the clinic --------------------------------------------

def compare(clinic_db: Path, county_url: str) -> dict[str, Any]:
    """Every synced row of the clinic on the county once, at the same version? Per table."""
    from app import demo
    from app.server import db as county_db
    from app.storage.changes import APPLY_ORDER
    from app.storage.workspace import Workspace

    ws, _ = Workspace.sign_in(clinic_db, *demo.DEMO_USER)
    tables: dict[str, Any] = {}
    lost = extra = stale = 0
    try:
        with county_db.connect(county_url, autocommit=True) as conn:
            for table in APPLY_ORDER:
                mine = {str(r[0]): (str(r[1]), int(r[2])) for r in ws.conn.execute(
                    f"SELECT id, version_instance, version_counter FROM {table}")}
                theirs = {str(r[0]): (str(r[1]), int(r[2])) for r in conn.execute(
                    f"SELECT id, version_instance, version_counter FROM {table}")}
                t_lost = len(mine.keys() - theirs.keys())
                t_extra = len(theirs.keys() - mine.keys())
                t_stale = sum(1 for k in mine.keys() & theirs.keys() if mine[k] != theirs[k])
                tables[table] = {"clinic": len(mine), "county": len(theirs)}
                if t_lost or t_extra or t_stale:
                    tables[table].update(lost=t_lost, extra=t_extra, other_version=t_stale)
                lost, extra, stale = lost + t_lost, extra + t_extra, stale + t_stale
            got = conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM row_versions GROUP BY table_name, row_id,"
                " version_instance, version_counter HAVING count(*) > 1) AS d").fetchone()
            twice = int(got[0]) if got else 0
            unsynced = ws.sync.unsynced()
    finally:
        ws.close()
    return {"lost": lost, "extra_on_county": extra, "other_version": stale,
            "versions_stored_twice": twice, "clinic_unsynced": unsynced,
            "rows_clinic": sum(t["clinic"] for t in tables.values()),
            "rows_county": sum(t["county"] for t in tables.values()), "tables": tables}


# --- the run ----------------------------------------------------------------------------------

def _county(cluster: Any, name: str, division: str) -> tuple[str, str]:
    """A new county database, migrated, and a one-time code for `division`: (url, code)."""
    from app.server import db as county_db
    from app.server import migrations
    from app.server.store import Store

    url = cluster.create_database(name)
    with county_db.connect(url, autocommit=True) as conn:
        migrations.migrate(conn)
        code = Store(conn).issue_code(division, 1)
    return url, code


def _clinic(size: str, seed: int, work: Path) -> tuple[Path, str, int, int, int]:
    """A copy of the demo database of `size`: (path, village code, people, rows, floor bytes)."""
    from app import demo
    from app.storage.workspace import Workspace
    from benchmarks.dataset import DEFAULT_CACHE, copy_database, dataset
    from benchmarks.sync import _floor_bytes

    data = dataset(size, seed, cache_dir=DEFAULT_CACHE)
    copy = copy_database(data.path, work / f"clinic-{size}.db")
    ws, _ = Workspace.sign_in(copy, *demo.DEMO_USER)
    try:
        rows, floor = _floor_bytes(ws)
        division = ws.settings.division_code
    finally:
        ws.close()
    return copy, division, data.people, rows, floor


def _breakdown(seconds: float, proxy: dict[str, Any], floor_s: float) -> dict[str, Any]:
    """Where the time went: each direction's bytes at the link's rate, round trips (one per
    request, one per new connection), the server; the rest is the clinic's own work (reading its
    outbox, landing answers, compressing) and TCP."""
    up_s = proxy["bytes_up"] * 8 / RATE_BIT_S
    down_s = proxy["bytes_down"] * 8 / RATE_BIT_S
    trips = proxy["answers"] + proxy["connections"]
    trips_s = trips * 2 * ONE_WAY_S
    server_s = proxy["server_wait_s"]
    return {
        "up_bytes_at_rate_s": round(up_s, 2), "down_bytes_at_rate_s": round(down_s, 2),
        "round_trips": trips, "round_trips_s": round(trips_s, 2),
        "server_answering_s": round(server_s, 2),
        "rest_s": round(seconds - up_s - down_s - trips_s - server_s, 2),
        "ratio_without_server_time": round((seconds - server_s) / floor_s, 2),
    }


def run(work: Path, size: str, seed: int, loss_size: str) -> dict[str, Any]:
    from benchmarks.sync import _serve
    from tests import pgserver

    clinic, division, people, rows, floor = _clinic(size, seed, work)
    floor_s = floor * 8 / RATE_BIT_S
    out: dict[str, Any] = {"size": size, "people": people, "rows": rows,
                           "floor_gzip9_bytes": floor, "floor_at_1mbit_s": round(floor_s, 2),
                           "link": {"rate": "1mbit (tbf, both ways)", "round_trip_ms":
                                    round(2000 * ONE_WAY_S), "tbf": " ".join(TBF)}}
    with pgserver.start() as cluster, link() as net:
        with _sink(net.host_ip) as port:
            out["link"]["check"] = net.worker({"mode": "probe", "host": net.host_ip, "port": port},
                                              timeout=120)
        url, code = _county(cluster, "county_slow", division)
        proc, base = _serve(url)
        try:
            server_port = int(base.rsplit(":", 1)[1])
            with DelayProxy((net.host_ip, 0), ("127.0.0.1", server_port), delay=ONE_WAY_S) as proxy:
                via = f"http://{net.host_ip}:{proxy.port}"
                first = net.worker({"mode": "sync", "db": str(clinic), "url": via, "code": code},
                                   timeout=3 * 3600)
                first["proxy"] = vars(proxy.stats())
                first["ratio_to_floor_time"] = round(first["seconds"] / floor_s, 2)
                first["breakdown"] = _breakdown(first["seconds"], first["proxy"], floor_s)
                out["first_sync"] = first
                proxy.reset_stats()
                day = net.worker({"mode": "sync", "db": str(clinic), "url": via, "day": DAY_EDITS},
                                 timeout=600)
                day["proxy"] = vars(proxy.stats())
                day["body_bytes"] = day["bytes_sent"] + day["bytes_received"]
                day["wire_bytes"] = day["proxy"]["bytes_up"] + day["proxy"]["bytes_down"]
                day["breakdown"] = _breakdown(day["seconds"], day["proxy"], floor_s)
                del day["breakdown"]["ratio_without_server_time"]
                out["day"] = day
            out["first_sync"]["county_check"] = compare(clinic, url)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        out["cut"] = _cut_run(cluster, net, work, loss_size, seed)
    f, d, c = out["first_sync"], out["day"], out["cut"]
    bad = (c["check"]["lost"] + c["check"]["extra_on_county"] + c["check"]["other_version"]
           + c["check"]["versions_stored_twice"] + c["check"]["clinic_unsynced"])
    out["targets"] = {
        "slow_link_first_sync_ratio_to_floor_time": {
            "value": f["ratio_to_floor_time"],
            "goal": TARGETS["slow_link_first_sync_ratio_to_floor_time"],
            "met": f["ratio_to_floor_time"] <= TARGETS["slow_link_first_sync_ratio_to_floor_time"]},
        "slow_link_day_s": {"value": d["seconds"], "goal": TARGETS["slow_link_day_s"],
                            "met": d["seconds"] <= TARGETS["slow_link_day_s"]},
        "slow_link_day_kb": {"value": round(d["body_bytes"] / 1024, 1),
                             "goal": TARGETS["slow_link_day_kb"],
                             "met": d["body_bytes"] / 1024 <= TARGETS["slow_link_day_kb"]},
        "slow_link_cut_lost_or_duplicated": {
            "value": bad, "goal": TARGETS["slow_link_cut_lost_or_duplicated"],
            "met": bool(c["completed"]) and bad == 0},
    }
    return out


def _cut_run(cluster: Any, net: Link, work: Path, size: str, seed: int) -> dict[str, Any]:
    """A fresh county and a fresh copy of `size`, synced with connections cut as CUTS plans."""
    from benchmarks.sync import _serve

    clinic, division, people, rows, floor = _clinic(size, seed, work)
    url, code = _county(cluster, "county_cut", division)
    proc, base = _serve(url)
    try:
        server_port = int(base.rsplit(":", 1)[1])
        with DelayProxy((net.host_ip, 0), ("127.0.0.1", server_port), delay=ONE_WAY_S) as proxy:
            via = f"http://{net.host_ip}:{proxy.port}"
            net.worker({"mode": "sync", "db": str(clinic), "url": via, "code": code, "sessions": 0},
                       timeout=600)                       # enrol only
            proxy.reset_stats()
            proxy.set_cuts(CUTS)
            got = net.worker({"mode": "sync", "db": str(clinic), "url": via, "sessions": 10},
                             timeout=3 * 3600)
            got["proxy"] = vars(proxy.stats())
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {"size": size, "people": people, "rows": rows, "floor_gzip9_bytes": floor,
            "cuts_planned": [list(c) for c in CUTS], "cuts_made": got["proxy"]["cuts"],
            "completed": got["completed"], "sessions": len(got["sessions"]),
            "attempts": got["attempts"], "transport_failures": got["transport_failures"],
            "seconds": got["seconds"], "pushed": got["pushed"], "requests": got["requests"],
            "check": compare(clinic, url), "sync": got}


def summary_lines(r: dict[str, Any]) -> list[str]:
    """The figures in a few lines, for `make bench`'s summary."""
    if r.get("status") != "ok":
        return [f"慢速链路：未测（{r.get('reason', '--skip-sync')}）"]
    f, d, c, b = r["first_sync"], r["day"], r["cut"], r["first_sync"]["breakdown"]
    chk = c["check"]
    return [
        f"慢速链路（1 Mbit/s，往返 300 ms）首次同步 {r['size']}（{r['rows']} 行）：{f['seconds']:.1f} 秒，"
        f"下限 {r['floor_gzip9_bytes']} 字节需 {r['floor_at_1mbit_s']} 秒（×{f['ratio_to_floor_time']}）；"
        f"其中上行 {b['up_bytes_at_rate_s']} 秒、下行 {b['down_bytes_at_rate_s']} 秒、"
        f"往返 {b['round_trips']} 次 {b['round_trips_s']} 秒、服务器 {b['server_answering_s']} 秒"
        f"（不计服务器 ×{b['ratio_without_server_time']}）",
        f"慢速链路一天的工作（{d['pushed']} 条）：{d['seconds']:.2f} 秒，{d['body_bytes']} 字节"
        f"（含 HTTP 头 {d['wire_bytes']} 字节），{d['requests']} 次请求",
        f"慢速链路中途切断 {len(c['cuts_made'])} 次（{c['size']}，{c['rows']} 行）："
        f"{'完成' if c['completed'] else '未完成'}，{c['sessions']} 次会话，"
        f"{c['transport_failures']} 次请求失败后重试，{c['seconds']:.1f} 秒；县里少 {chk['lost']} 行、"
        f"多 {chk['extra_on_county']} 行、版本不同 {chk['other_version']} 行、"
        f"重复版本 {chk['versions_stored_twice']} 个，本机未同步 {chk['clinic_unsynced']} 条",
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.slow_link")
    p.add_argument("--size", default="village5k", help="the village synced whole (default village5k)")
    p.add_argument("--loss-size", default=LOSS_SIZE,
                   help="the village synced with connections cut (default village, ~1/3 the rows)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(json.loads(args.worker)), ensure_ascii=False))
        return 0
    from benchmarks.load import _exit_on_sigterm

    _exit_on_sigterm()          # the namespace, the server and PostgreSQL are removed on SIGTERM
    why = unavailable()
    if why:
        result: dict[str, Any] = {"status": "skipped", "reason": why}
    else:
        with tempfile.TemporaryDirectory(prefix="cunyi-slow-") as tmp:
            result = {"status": "ok", **run(Path(tmp), args.size, args.seed, args.loss_size)}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
