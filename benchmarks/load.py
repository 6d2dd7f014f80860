"""Many clinics syncing at once against one county server: errors and chunk latency.

One `cunyi-county serve` (as shipped: one uvicorn process; `--workers N` runs the same application
under `uvicorn --factory --workers N` for comparison) on a PostgreSQL started in a temporary
folder. For each number of clinics N (`--clinics 300,1000`), a fresh county database:

- N clinics enrolled, each for its own village (synthetic codes of the demo county), through
  `Store.issue_code` and `Store.enrol` (the enrolment protocol's server side, in-process), each
  with its own Ed25519 key;
- the county seeded with each village's records: the first `--seed-households` households of
  the demo village and every record under them (people, follow-ups, exams, contracts, claims…),
  ids, codes and resident ID numbers rewritten per village, written straight into PostgreSQL
  (COPY into the tables and `row_versions`, numbered from `county_seq` as the merge would) —
  seeding through the protocol would take longer than the measurement. Of those households, the
  last `--other-households` are written by another PC of the village, so each clinic has their
  rows (~4 households' worth) to pull;
- then all N clinics sync at once (all started together; `--spread S` starts them evenly over S
  seconds instead), each as the clinic's session does it, over HTTP with the protocol's messages
  (`app.sync.protocol`, signed with `app.sync.identity`): knock, hello (the nonce signed), push one
  chunk of a day's work (20 people's phones changed on the county's version, 30 new follow-ups:
  50 changes), pull pages until the county has no more.

Measured: errors (HTTP errors, failed connections, refused changes: the goal is 0; sessions still
unfinished when the run's budget, `--budget` (900 s), runs out are counted apart), the latency
of each request as the client sees it (p50/p95/p99; a chunk is a push or a pull page; the goal is
p95 ≤ 1 s), each session's time, requests over the clinic's own 30 s read timeout (the client
here waits longer, so that they are counted rather than failed), CPU seconds of the client, the
server, PostgreSQL and the rest of the machine during the run, the peak number of PostgreSQL
connections, and the statements PostgreSQL spent most time on (pg_stat_statements, when the
cluster can load it). A request that fails on the way is retried as HttpCounty does (4 times,
backoff from 0.5 s); the failures retried are reported, and only a request that still fails
counts as an error. After the run, the county is checked to hold every change of the day (N × 50).

The client is one asyncio process with one httpx connection pool and runs on the same 2-core
machine: it competes with the server and PostgreSQL for the CPU (its CPU seconds are reported).

`python -m benchmarks.load [--clinics 300,1000] [--workers N]` runs it alone and prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TARGETS = {"load_errors": 0, "load_chunk_p95_s": 1.0}
GOAL_CLINICS = 300
SEED_HOUSEHOLDS = 40
OTHER_HOUSEHOLDS = 4
DAY_UPDATES = 20
DAY_NEW = 30
DAY_STAMP = "2031-01-15T08:00:00+00:00"   # updated_at of the day's changes: found on the county
CLINIC_TIMEOUT_S = 30.0                   # HttpCounty's read timeout
RETRIES, RETRY_BACKOFF_S = 4, 0.5         # HttpCounty's retries of a failed request
CLIENT_TIMEOUT_S = 900.0
BUDGET_S = 900.0                          # a run stops waiting for its clinics after this long
VILLAGES_PER_TOWNSHIP = 20
ROOT = Path(__file__).resolve().parent.parent


# --- the template village ---------------------------------------------------------------------

@dataclass
class Template:
    village: str                       # the demo village's 12-digit code
    instance: str                      # the demo database's instance id
    prefixes: list[str]                # distinct "xxxxxxxx-" heads of its ids (and instance)
    tables: dict[str, list[dict[str, Any]]]   # table → rows: {"id", "version", "values", "other"}
    rows: int = 0


def load_template(size: str, seed: int, households: int, other: int) -> Template:
    """The first `households` households of the demo village and every row under them."""
    import tempfile

    from app import demo
    from app.storage.changes import APPLY_ORDER
    from app.storage.workspace import Workspace
    from benchmarks.dataset import DEFAULT_CACHE, copy_database, dataset

    data = dataset(size, seed, cache_dir=DEFAULT_CACHE)
    with tempfile.TemporaryDirectory(prefix="cunyi-load-") as tmp:
        copy = copy_database(data.path, Path(tmp) / "template.db")
        ws, _ = Workspace.sign_in(copy, *demo.DEMO_USER)
        try:
            village, instance = ws.settings.division_code, ws.instance_id
            by_table: dict[str, list[Any]] = defaultdict(list)
            after = 0
            while batch := ws.sync.outgoing(after=after, limit=2000):
                for o in batch:
                    if o.values.get("partition") == village:
                        by_table[o.table].append(o)
                after = batch[-1].first
        finally:
            ws.close()
    homes = sorted(by_table["households"], key=lambda o: o.id)[:households]
    others = {o.id for o in homes[len(homes) - other:]} if other else set()
    owner: dict[str, bool] = {o.id: o.id in others for o in homes}   # id → written by the other PC
    tables: dict[str, list[dict[str, Any]]] = {"households": [
        {"id": o.id, "version": o.version[1], "values": dict(o.values), "other": owner[o.id]}
        for o in homes]}
    for table in APPLY_ORDER:
        if table in ("households", "divisions", "teams"):
            continue
        kept = []
        for o in by_table.get(table, []):
            refs = [owner[v] for v in o.values.values() if isinstance(v, str) and v in owner]
            if refs:
                owner[o.id] = refs[0]
                kept.append({"id": o.id, "version": o.version[1], "values": dict(o.values),
                             "other": refs[0]})
        if kept:
            tables[table] = kept
    heads = sorted({i[:9] for i in owner} | {instance[:9]})
    return Template(village, instance, heads, tables, sum(len(r) for r in tables.values()))


@dataclass
class Clinic:
    number: int
    village: str
    instance: str
    private_key: bytes = b""
    people: list[tuple[str, int]] = field(default_factory=list)    # (id, server_seq), its own
    followups: list[dict[str, Any]] = field(default_factory=list)  # a few of its own, to copy
    counter: int = 0                                                # its highest version counter


class Remap:
    """Rewrites a template value for clinic `number`: ids, village and township codes, resident
    ID numbers (so no two villages share a person)."""

    def __init__(self, template: Template, number: int) -> None:
        county, township = template.village[:6], template.village[:9]
        t, v = divmod(number, VILLAGES_PER_TOWNSHIP)
        self.township = f"{county}{101 + t:03d}"
        self.village = f"{self.township}{201 + v:03d}"
        self.pairs = [(head, f"{number:06x}{j:02x}-") for j, head in enumerate(template.prefixes)]
        self.pairs += [(template.village, self.village), (township + "000", self.township + "000")]
        # A resident ID: 6 digits of region, 8 of birth date, 3 of order, a check character.
        self.id_no = re.compile(r"(?<![0-9])[0-9]{6}(?=(?:19|20)[0-9]{9}[0-9X](?![0-9]))")
        self.id_head = f"{county[:2]}{number % 10_000:04d}"

    def text(self, s: str) -> str:
        for old, new in self.pairs:
            if old in s:
                s = s.replace(old, new)
        return self.id_no.sub(self.id_head, s) if "19" in s or "20" in s else s

    def values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {k: self.text(v) if isinstance(v, str) else v for k, v in values.items()}


# --- the county: database, enrolment, seed ------------------------------------------------------

def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    s = value if isinstance(value, str) else str(value)
    return (s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _typed(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "bigint":
        return int(value)
    if kind == "double precision":
        return float(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def enrol_all(url: str, template: Template, n: int) -> list[Clinic]:
    """N clinics, each enrolled for its own village with a key of its own."""
    from app import __version__
    from app.server import db as county_db
    from app.server.store import Store
    from app.storage.migrations import LATEST_VERSION
    from app.sync.identity import new_key_pair
    from app.sync.protocol import Enrol

    clinics = []
    with county_db.connect(url, autocommit=True) as conn:
        store = Store(conn)
        for k in range(n):
            remap = Remap(template, k)
            clinic = Clinic(k, remap.village, remap.text(template.instance))
            keys = new_key_pair()
            code = store.issue_code(clinic.village, 1)
            store.enrol(Enrol(code=code, instance=clinic.instance, public_key=keys.public.hex(),
                              division=clinic.village, schema_version=LATEST_VERSION,
                              app_version=__version__))
            clinic.private_key = keys.private
            clinics.append(clinic)
    return clinics


def seed(url: str, template: Template, clinics: Sequence[Clinic]) -> int:
    """Every clinic's village as the county would hold it after its first sync; rows written."""
    from app.server import db as county_db
    from app.server.store import Store
    from app.sync.merge import META

    total = template.rows * len(clinics)
    with county_db.connect(url, autocommit=True) as conn, \
            county_db.connect(url, autocommit=False) as rows_conn, \
            county_db.connect(url, autocommit=False) as versions_conn:
        got = conn.execute("SELECT setval('county_seq', nextval('county_seq') + %s)",
                           (total,)).fetchone()
        assert got is not None
        seq = int(got[0]) - total
        store = Store(conn)
        remaps = [Remap(template, c.number) for c in clinics]
        with versions_conn.cursor().copy(
                "COPY row_versions (server_seq, table_name, row_id, version_instance,"
                " version_counter, data) FROM STDIN") as versions:
            for table, rows in template.tables.items():
                types = store.types(table)
                cols = [c for c in types if c in rows[0]["values"] and c not in META]
                # One line per template row, rewritten per clinic: (table columns, data as JSON).
                lines = []
                for r in rows:
                    typed = {c: _typed(r["values"].get(c), types[c]) for c in cols}
                    data = json.dumps(typed, ensure_ascii=False, separators=(",", ":"))
                    instance = ("other-" if r["other"] else "") + template.instance
                    head = "\t".join([_copy_text(r["id"]), *(_copy_text(typed[c]) for c in cols),
                                      _copy_text(instance), str(r["version"])])
                    tail = "\t".join([table, _copy_text(r["id"]), _copy_text(instance),
                                      str(r["version"]), _copy_text(data)])
                    lines.append((head, tail, r))
                names = ", ".join(["id", *cols, "version_instance", "version_counter", "server_seq"])
                with rows_conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as out:
                    for clinic, remap in zip(clinics, remaps, strict=True):
                        for head, tail, r in lines:
                            seq += 1
                            out.write(f"{remap.text(head)}\t{seq}\n")
                            versions.write(f"{seq}\t{remap.text(tail)}\n")
                            if not r["other"]:
                                clinic.counter = max(clinic.counter, int(r["version"]))
                                if table == "people":
                                    clinic.people.append((remap.text(r["id"]), seq))
                                elif table == "follow_ups" and len(clinic.followups) < DAY_NEW:
                                    clinic.followups.append(remap.values(r["values"]))
        rows_conn.commit()
        versions_conn.commit()
        for table in (*template.tables, "row_versions"):   # so autovacuum does not start mid-run
            conn.execute(f"VACUUM ANALYZE {table}")
    return total


def day_changes(clinic: Clinic) -> list[Any]:
    """A day's work: DAY_UPDATES phones changed on the county's version, DAY_NEW new follow-ups."""
    import uuid

    from app.sync.protocol import Change, Version

    changes, counter = [], clinic.counter
    for i, (pid, seq) in enumerate(clinic.people[:DAY_UPDATES]):
        counter += 1
        changes.append(Change(table="people", id=pid, version=Version(instance=clinic.instance,
                              counter=counter), base=seq, user="demo",
                              values={"phone": f"139{clinic.number:04d}{i:04d}",
                                      "updated_at": DAY_STAMP}))
    for i in range(DAY_NEW):
        counter += 1
        values = dict(clinic.followups[i % len(clinic.followups)])
        new_id = str(uuid.uuid4())
        values.update(visit_date="2031-01-15", supersedes=None, origin_id=new_id,
                      updated_at=DAY_STAMP, deleted=0)
        changes.append(Change(table="follow_ups", id=new_id, version=Version(
            instance=clinic.instance, counter=counter), values=values, user="demo"))
    clinic.counter = counter
    return changes


# --- CPU accounting -------------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int, *, reaped: bool = False) -> float:
    """CPU seconds of a process (and of its children it has waited for, if `reaped`)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def _tree_cpu(pid: int) -> float:
    """A process, the children it reaped, and its live children (and theirs)."""
    return _proc_cpu(pid, reaped=True) + sum(_tree_cpu(c) for c in _children(pid))


def _machine_busy() -> float:
    parts = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(x) for x in parts]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICK


def _client_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# --- the server -----------------------------------------------------------------------------------

def serve(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """`cunyi-county serve` as shipped (workers 0), or the same app under uvicorn --workers N."""
    import httpx

    from tests.pgserver import free_port

    port = free_port()
    if workers:
        cmd = [sys.executable, "-m", "uvicorn", "benchmarks.county_app:app", "--factory",
               "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port),
               "--log-level", "warning"]
    else:
        cmd = [sys.executable, "-m", "app.cli.county", "serve", "--database", url,
               "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                            env={**os.environ, "CUNYI_COUNTY_DATABASE": url})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/v1/ping", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the county server did not start")


class Backends:
    """Samples the number of PostgreSQL connections of the county server every half second."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        from app.server import db as county_db

        with county_db.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(0.5):
                got = conn.execute("SELECT count(*) FROM pg_stat_activity"
                                   " WHERE application_name = 'cunyi-county'"
                                   " AND pid != pg_backend_pid()").fetchone()
                self.peak = max(self.peak, int(got[0]) if got else 0)

    def __enter__(self) -> Backends:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _statements(conn: Any) -> bool:
    """pg_stat_statements in this database, if the cluster preloads it."""
    import psycopg

    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        conn.execute("SELECT count(*) FROM pg_stat_statements")
    except psycopg.Error:
        return False
    return True


def _top_queries(conn: Any, limit: int = 8) -> list[dict[str, Any]]:
    """The statements PostgreSQL spent most time on during the run."""
    rows = conn.execute(
        "SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 160)"
        " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
        " WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT %s", (limit,))
    return [{"calls": int(c), "total_s": round(float(t) / 1000, 1),
             "mean_ms": round(float(t) / max(int(c), 1), 2), "query": str(q)} for c, t, q in rows]


def _sessions_opened(url: str) -> int:
    from app.server import db as county_db

    with county_db.connect(url, autocommit=True) as conn:
        got = conn.execute("SELECT sessions FROM pg_stat_database"
                           " WHERE datname = current_database()").fetchone()
    return int(got[0]) if got else 0


# --- the clinics, all at once ---------------------------------------------------------------------

@dataclass
class Tally:
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    sessions: list[float] = field(default_factory=list)
    refused: int = 0
    pulled: int = 0
    unfinished: int = 0
    retried: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.examples) < 5:
            self.examples.append(f"{kind}: {detail[:300]}")


async def _clinic(client: Any, clinic: Clinic, changes: list[Any], start: float,
                  tally: Tally) -> None:
    import httpx

    from app import __version__
    from app.storage.migrations import LATEST_VERSION
    from app.sync.identity import hello_payload, sign
    from app.sync.protocol import (
        Challenge,
        Hello,
        Knock,
        Message,
        ProtocolError,
        Pull,
        PullReply,
        Push,
        PushReply,
        Welcome,
        decode,
        encode,
    )

    async def post(kind: str, message: Message, answer: type[Any]) -> Any:
        body, delay = encode(message), RETRY_BACKOFF_S
        for attempt in range(RETRIES + 1):      # as HttpCounty does: a failed request is retried
            began = time.perf_counter()
            try:
                response = await client.post(f"/v1/{kind}", content=body)
                break
            except httpx.TransportError as exc:
                tally.retried[f"{kind}: {type(exc).__name__}"] += 1
                if attempt == RETRIES:
                    tally.error(f"{kind}: {type(exc).__name__}", str(exc))
                    return None
                await asyncio.sleep(delay)
                delay *= 2
        tally.latency[kind].append(time.perf_counter() - began)
        if response.status_code != 200:
            tally.error(f"{kind}: HTTP {response.status_code}", response.content[:200].hex())
            return None
        try:
            return decode(answer, response.content)
        except ProtocolError as exc:
            tally.error(f"{kind}: unreadable", str(exc))
            return None

    delay = start - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)
    began = time.perf_counter()
    challenge = await post("knock", Knock(instance=clinic.instance), Challenge)
    if challenge is None:
        return
    signature = sign(clinic.private_key,
                     hello_payload(clinic.instance, challenge.session, challenge.nonce))
    welcome = await post("hello", Hello(instance=clinic.instance, session=challenge.session,
                                        signature=signature.hex(), schema_version=LATEST_VERSION,
                                        app_version=__version__), Welcome)
    if welcome is None:
        return
    reply = await post("push", Push(session=welcome.session, chunk=0, changes=changes), PushReply)
    if reply is None:
        return
    refused = [a for a in reply.acks if a.outcome == "refused"]
    if refused:
        tally.refused += len(refused)
        tally.error("push: refused changes", refused[0].reason)
    cursor = ""
    while True:
        page = await post("pull", Pull(session=welcome.session, cursor=cursor), PullReply)
        if page is None:
            return
        tally.pulled += len(page.rows)
        cursor = page.cursor
        if not page.more:
            break
    tally.sessions.append(time.perf_counter() - began)


async def _all(base: str, clinics: Sequence[Clinic], days: Sequence[list[Any]],
               spread: float, budget: float) -> tuple[Tally, float]:
    import httpx

    from app.sync.client import MEDIA

    tally = Tally()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(base_url=base, limits=limits,
                                 timeout=httpx.Timeout(CLIENT_TIMEOUT_S, connect=60.0),
                                 headers={"Content-Type": MEDIA, "Accept": MEDIA}) as client:
        t0 = time.perf_counter() + 0.5
        n = len(clinics)
        began = time.perf_counter()
        tasks = [asyncio.ensure_future(
            _clinic(client, c, d, t0 + (spread * i / n if spread else 0.0), tally))
            for i, (c, d) in enumerate(zip(clinics, days, strict=True))]
        _, waiting = await asyncio.wait(tasks, timeout=budget + 0.5)
        wall = time.perf_counter() - began - 0.5
        for task in waiting:                      # still unfinished when the budget ran out
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        tally.unfinished = len(waiting)
    return tally, wall


def _pcts(values: Iterable[float]) -> dict[str, float | int | None]:
    v = sorted(values)
    if not v:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}

    def at(q: float) -> float:
        return round(v[min(len(v) - 1, int(q * len(v)))], 3)

    return {"n": len(v), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": round(v[-1], 3)}


def _drop(cluster: Any, name: str) -> None:
    """Drop a run's database; its last statements may take a while to notice that the server is
    gone (a query being JIT-compiled does not stop at once), and the cluster goes at the end anyway."""
    import psycopg

    for _ in range(30):
        try:
            cluster.drop_database(name)
            return
        except psycopg.Error:
            time.sleep(2)


def run_one(cluster: Any, template: Template, n: int, workers: int, spread: float,
            budget: float = BUDGET_S) -> dict[str, Any]:
    from app.server import db as county_db
    from app.server import migrations

    name = f"county_load_{n}"
    url = cluster.create_database(name)
    top: list[dict[str, Any]] | str = "pg_stat_statements is not available"
    try:
        with county_db.connect(url, autocommit=True) as conn:
            migrations.migrate(conn)
            statements = _statements(conn)
        started = time.perf_counter()
        clinics = enrol_all(url, template, n)
        enrol_s = time.perf_counter() - started
        started = time.perf_counter()
        seeded = seed(url, template, clinics)
        seed_s = time.perf_counter() - started
        days = [day_changes(c) for c in clinics]
        proc, base = serve(url, workers)
        try:
            postmaster = int((cluster.data / "postmaster.pid").read_text().splitlines()[0])
            opened = _sessions_opened(url)
            if statements:
                with county_db.connect(url, autocommit=True) as conn:
                    conn.execute("SELECT pg_stat_statements_reset()")
            cpu = (_client_cpu(), _tree_cpu(proc.pid), _tree_cpu(postmaster), _machine_busy())
            load_before = os.getloadavg()[0]
            with Backends(url) as backends:
                tally, wall = asyncio.run(_all(base, clinics, days, spread, budget))
            after = (_client_cpu(), _tree_cpu(proc.pid), _tree_cpu(postmaster), _machine_busy())
            opened = _sessions_opened(url) - opened - 1
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        with county_db.connect(url, autocommit=True) as conn:
            phones = conn.execute("SELECT count(*) FROM people WHERE updated_at = %s",
                                  (DAY_STAMP,)).fetchone()
            visits = conn.execute("SELECT count(*) FROM follow_ups WHERE updated_at = %s",
                                  (DAY_STAMP,)).fetchone()
            if statements:
                top = _top_queries(conn)
            conflicts = {str(k): int(v) for k, v in conn.execute(
                "SELECT kind || ' ' || table_name, count(*) FROM conflicts GROUP BY 1")}
            county_rows = sum(int(r[0]) for r in conn.execute(
                "SELECT n_live_tup FROM pg_stat_user_tables"
                " WHERE relname NOT IN ('row_versions', 'sync_sessions', 'instances',"
                " 'enrolment_codes', 'conflicts', 'schema_version', 'county_identity')"))
    finally:
        _drop(cluster, name)
    used = [round(b - a, 1) for a, b in zip(cpu, after, strict=True)]
    chunks = [*tally.latency["push"], *tally.latency["pull"]]
    every = [x for v in tally.latency.values() for x in v]
    errors = sum(tally.errors.values())
    day_on_county = (int(phones[0]) if phones else 0) + (int(visits[0]) if visits else 0)
    return {
        "clinics": n, "server": (f"uvicorn --workers {workers} (benchmarks.county_app)" if workers
                                 else "cunyi-county serve (one uvicorn process)"),
        "spread_s": spread,
        "county": {"seeded_rows": seeded, "rows_per_village": template.rows,
                   "rows_in_synced_tables": county_rows, "enrol_s": round(enrol_s, 1),
                   "seed_s": round(seed_s, 1)},
        "sessions_completed": len(tally.sessions), "budget_s": budget,
        "sessions_unfinished_in_budget": tally.unfinished, "errors": errors,
        "error_kinds": dict(tally.errors), "error_examples": tally.examples,
        "transport_failures_retried": dict(tally.retried), "top_queries": top,
        "requests": len(every), "pulled_rows": tally.pulled,
        "day_changes_on_county": day_on_county, "conflicts_on_county": conflicts, "day_changes_expected": n * (DAY_UPDATES + DAY_NEW),
        "latency_s": {"chunks": _pcts(chunks), **{k: _pcts(v) for k, v in tally.latency.items()},
                      "all_requests": _pcts(every)},
        "session_s": _pcts(tally.sessions),
        "over_clinic_timeout_30s": sum(1 for x in every if x > CLINIC_TIMEOUT_S),
        "wall_s": round(wall, 2), "sessions_per_s": round(len(tally.sessions) / wall, 1),
        "cpu_s": {"client": used[0], "server": used[1], "postgres": used[2],
                  "machine_busy": used[3],
                  "rest_of_machine": round(used[3] - used[0] - used[1] - used[2], 1),
                  "cores": os.cpu_count(), "load_average_before": round(load_before, 2)},
        "pg_backends_peak": backends.peak, "pg_connections_opened": opened,
    }


def run(counts: Sequence[int], *, workers: int = 0, spread: float = 0.0, size: str = "village",
        seed_households: int = SEED_HOUSEHOLDS, other: int = OTHER_HOUSEHOLDS,
        seed_value: int = 7, budget: float = BUDGET_S) -> dict[str, Any]:
    from tests import pgserver

    template = load_template(size, seed_value, seed_households, other)
    out: dict[str, Any] = {
        "template": {"size": size, "village": template.village, "households": seed_households,
                     "other_pc_households": other, "rows": template.rows,
                     "tables": {t: len(r) for t, r in template.tables.items()}},
        "day": {"changes": DAY_UPDATES + DAY_NEW, "updates": DAY_UPDATES, "new_follow_ups": DAY_NEW},
        "note": ("client and server share this machine's "
                 f"{os.cpu_count()} cores: the client's CPU seconds are in cpu_s.client"),
        "runs": [],
    }
    settings = {"max_connections": "300", "shared_preload_libraries": "pg_stat_statements",
                "pg_stat_statements.track": "all"}
    try:
        cluster = pgserver.start(settings)
    except pgserver.PgUnavailable:
        settings.pop("shared_preload_libraries")
        settings.pop("pg_stat_statements.track")
        cluster = pgserver.start(settings)
    with cluster:
        for n in counts:
            print(f"• {n} clinics", file=sys.stderr, flush=True)
            out["runs"].append(run_one(cluster, template, n, workers, spread, budget))
            print(json.dumps(out["runs"][-1], ensure_ascii=False), file=sys.stderr, flush=True)
    goal = next((r for r in out["runs"] if r["clinics"] == GOAL_CLINICS), out["runs"][0])
    p95 = goal["latency_s"]["chunks"]["p95"]
    out["targets"] = {
        "load_errors": {"value": goal["errors"], "goal": TARGETS["load_errors"],
                        "clinics": goal["clinics"], "met": goal["errors"] == 0
                        and goal["sessions_unfinished_in_budget"] == 0
                        and goal["day_changes_on_county"] == goal["day_changes_expected"]},
        "load_chunk_p95_s": {"value": p95, "goal": TARGETS["load_chunk_p95_s"],
                             "clinics": goal["clinics"],
                             "met": p95 is not None and p95 <= TARGETS["load_chunk_p95_s"]},
    }
    return out


def summary_lines(r: dict[str, Any]) -> list[str]:
    """One line per number of clinics, for `make bench`'s summary."""
    if "runs" not in r:
        return [f"多诊所同时同步：未测（{r.get('reason', '--skip-sync')}）"]
    lines = []
    for run_ in r["runs"]:
        c, cpu = run_["latency_s"]["chunks"], run_["cpu_s"]
        lines.append(
            f"{run_['clinics']} 个诊所同时同步（每个推送 {DAY_UPDATES + DAY_NEW} 条再拉取）："
            f"错误 {run_['errors']}，{run_['budget_s']:.0f} 秒内未完成 "
            f"{run_['sessions_unfinished_in_budget']}，数据块延迟 p50 {c['p50']} 秒、p95 {c['p95']} 秒、"
            f"p99 {c['p99']} 秒，会话 p95 {run_['session_s']['p95']} 秒，共 {run_['wall_s']} 秒；"
            f"CPU 客户端 {cpu['client']} 秒、服务器 {cpu['server']} 秒、PostgreSQL {cpu['postgres']} 秒")
    return lines


def _exit_on_sigterm() -> None:
    """A SIGTERM leaves through the `finally` blocks: the server and PostgreSQL are stopped."""
    import signal

    def leave(*_: object) -> None:
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, leave)


def main(argv: list[str] | None = None) -> int:
    _exit_on_sigterm()
    p = argparse.ArgumentParser(prog="python -m benchmarks.load")
    p.add_argument("--clinics", default="300,1000",
                   help="numbers of clinics, comma-separated, each run on a fresh county")
    p.add_argument("--workers", type=int, default=0,
                   help="0: cunyi-county serve as shipped; N: uvicorn --workers N, same app")
    p.add_argument("--spread", type=float, default=0.0,
                   help="start the clinics evenly over this many seconds (0: all at once)")
    p.add_argument("--budget", type=float, default=BUDGET_S,
                   help="seconds a run waits for its clinics; the rest are counted as unfinished")
    p.add_argument("--seed-households", type=int, default=SEED_HOUSEHOLDS)
    p.add_argument("--other-households", type=int, default=OTHER_HOUSEHOLDS)
    p.add_argument("--size", default="village", help="the demo village the records come from")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    counts = [int(x) for x in args.clinics.split(",") if x.strip()]
    result = run(counts, workers=args.workers, spread=args.spread, size=args.size,
                 seed_households=args.seed_households, other=args.other_households,
                 seed_value=args.seed, budget=args.budget)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
