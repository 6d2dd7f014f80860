"""The county's store on PostgreSQL: merges what clinics push, serves what they pull.

Each pushed chunk is merged in one transaction under an advisory lock of the clinic that sent
it, record by record with app.sync.merge (the same rules the clinics' tests check): a version
already applied is a no-op; a new record is inserted; a change made on the county's current
version fast-forwards it; anything else is merged field by field against the base the clinic
named, the county's value kept where both changed a field and the clinic's kept as a conflict.
Every version the county accepts is numbered from one sequence and kept in `row_versions`, so a
later change made on it can be merged against it.

A pull returns the rows of the clinic's scope (its villages and the rows above them) in the order
(txid, server_seq), only from transactions older than every transaction still running, so a
chunk that commits late is never skipped by a cursor that has moved past its numbers. Rows whose
current version the clinic itself wrote are not sent back: it holds them already. A household
moved to another village leaves a notice in its old village's partition (`_note_moves`), so the
PCs that no longer receive it learn why.
"""

from __future__ import annotations

import functools
import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg.types.json import Jsonb

from app.core import breaches
from app.core.errors import ValidationError
from app.core.identity import MAX_STATION, parse_division_code, station_serial_range
from app.core.scope import ancestors, covers, sees
from app.server.db import COUNTY_TABLES, Connection
from app.sync.identity import (
    Certificate,
    IdentityError,
    KeyPair,
    code_hash,
    hello_payload,
    issue_certificate,
    new_code,
    new_key_pair,
    verify,
)
from app.sync.merge import META, FieldConflict, Held, Incoming, MergeError, merge_push
from app.sync.protocol import (
    PROTOCOL_VERSION,
    Ack,
    Challenge,
    Change,
    ConfigPull,
    ConfigReply,
    ConflictNote,
    Enrol,
    Enrolled,
    Hello,
    Knock,
    Outcome,
    Pull,
    PullReply,
    Push,
    PushReply,
    RefusalCode,
    Resolve,
    ResolveReply,
    Row,
    Version,
    Welcome,
)

COUNTY_INSTANCE = "county"          # the version instance of rows the county's merge made
ABOVE_VILLAGE = frozenset({"divisions", "teams"})
_LOCK_SPACE = 0x63756E79            # advisory lock keys of clinics: ("cuny", hash of the instance)


class Refused(Exception):
    """A request the county will not serve; `code` and the Chinese message go back to the clinic."""

    def __init__(self, code: RefusalCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Device:
    instance: str
    scope: str
    station: int | None
    public_key: bytes = b""


class Store:
    """The county database as the sync protocol sees it. One per connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- the county's key, enrolment ---------------------------------------------------------

    def county_key(self) -> KeyPair:
        """The county's signing key pair, made the first time it is needed."""
        row = self.conn.execute("SELECT private_key, public_key FROM county_identity").fetchone()
        if row is None:
            pair = new_key_pair()
            self.conn.execute("INSERT INTO county_identity (only_row, private_key, public_key)"
                              " VALUES (1, %s, %s) ON CONFLICT DO NOTHING", (pair.private, pair.public))
            row = self._one("SELECT private_key, public_key FROM county_identity")
        return KeyPair(bytes(row[0]), bytes(row[1]))

    def issue_code(self, scope: str, station: int | None = None, *, days: int = 7) -> str:
        """A one-time code that enrols one installation for `scope` (with `station` if given)."""
        level = parse_division_code(scope).level
        if level == "county":
            raise ValidationError("注册码的范围应为一个村或一个乡镇（卫生院）", field="scope")
        if station is not None:
            station_serial_range(station)
        code = new_code()
        with self.conn.transaction():
            self.county_key()
            self.conn.execute(
                "INSERT INTO enrolment_codes (code_hash, scope, station, expires_at)"
                " VALUES (%s, %s, %s, now() + make_interval(days => %s))",
                (code_hash(code), scope, station, days))
        return code

    def enrol(self, message: Enrol) -> Enrolled:
        """Redeem a one-time code: record the device and sign its certificate."""
        try:
            digest = code_hash(message.code)
        except IdentityError as exc:
            raise Refused("auth", str(exc)) from None
        with self.conn.transaction():
            row = self.conn.execute(
                "SELECT scope, station, used_by, expires_at < now() FROM enrolment_codes"
                " WHERE code_hash = %s FOR UPDATE", (digest,)).fetchone()
            if row is None:
                raise Refused("auth", "注册码不对，请核对县里给的注册码")
            scope, station, used_by, expired = str(row[0]), row[1], row[2], bool(row[3])
            if used_by is not None:
                raise Refused("auth", "这个注册码已经用过了（每个注册码只能注册一台电脑）；"
                                      "请向县里要一个新的注册码")
            if expired:
                raise Refused("auth", "这个注册码已过期，请向县里要一个新的注册码")
            if not covers(scope, message.division) and message.division != scope:
                raise Refused("scope", f"这个注册码是给 {scope} 的，本机设置的村（乡镇）代码是 "
                                       f"{message.division}")
            if self.conn.execute("SELECT 1 FROM instances WHERE instance_id = %s",
                                 (message.instance,)).fetchone():
                raise Refused("auth", "这个数据库已经注册过；复制来的数据库不能再次注册，"
                                      "请在原来的电脑上同步")
            station = int(station) if station is not None else self._free_station(scope)
            county = self.county_key()
            public = bytes.fromhex(message.public_key)
            cert = issue_certificate(county.private, Certificate(message.instance, public, scope, station))
            self.conn.execute(
                "INSERT INTO instances (instance_id, scope, station, public_key, certificate)"
                " VALUES (%s, %s, %s, %s, %s)", (message.instance, scope, station, public, cert))
            self.conn.execute("UPDATE enrolment_codes SET used_by = %s, used_at = now()"
                              " WHERE code_hash = %s", (message.instance, digest))
        return Enrolled(certificate=cert.decode(), county_key=county.public.hex(), scope=scope,
                        station=station)

    def _free_station(self, scope: str) -> int:
        used = {int(r[0]) for r in self.conn.execute(
            "SELECT station FROM instances WHERE scope = %s AND revoked_at IS NULL"
            " AND station IS NOT NULL", (scope,))}
        free = [s for s in range(1, MAX_STATION + 1) if s not in used]
        if not free:
            raise Refused("scope", f"{scope} 的 {MAX_STATION} 个机位号都已分配，请县里先停用不再使用的电脑")
        return free[0]

    def revoke(self, instance: str) -> bool:
        with self.conn.transaction():
            return self.conn.execute(
                "UPDATE instances SET revoked_at = now() WHERE instance_id = %s AND revoked_at IS NULL",
                (instance,)).rowcount == 1

    # --- sessions ---------------------------------------------------------------------------

    def device(self, instance: str) -> Device:
        row = self.conn.execute("SELECT scope, station, revoked_at, public_key FROM instances"
                                " WHERE instance_id = %s", (instance,)).fetchone()
        if row is None:
            raise Refused("auth", "这台电脑尚未在县里登记（注册），请先用县里给的注册码注册")
        if row[2] is not None:
            raise Refused("revoked", "这台电脑的同步资格已被县里停用，请联系县级管理员")
        return Device(instance, str(row[0]), None if row[1] is None else int(row[1]), bytes(row[3]))

    def knock(self, message: Knock) -> Challenge:
        """A one-time nonce for the device to sign (the session is open only once it has)."""
        self.device(message.instance)
        session, nonce = str(uuid.uuid4()), secrets.token_hex(32)
        with self.conn.transaction():
            self.reclaim()
            self.conn.execute(
                "INSERT INTO sync_sessions (id, instance_id, stage, cursor) VALUES (%s, %s, 'knock', %s)",
                (session, message.instance, Jsonb({"nonce": nonce})))
        return Challenge(session=session, nonce=nonce)

    def hello(self, message: Hello) -> Welcome:
        if message.protocol > PROTOCOL_VERSION:
            raise Refused("upgrade", "县里的服务器版本较旧，暂不能接收这一版的同步，请联系县级管理员升级服务器")
        device = self.device(message.instance)
        with self.conn.transaction():
            row = self.conn.execute(
                "SELECT cursor->>'nonce' FROM sync_sessions WHERE id = %s AND instance_id = %s"
                " AND stage = 'knock' AND updated_at > now() - interval '10 minutes' FOR UPDATE",
                (message.session, message.instance)).fetchone()
            payload = hello_payload(message.instance, message.session, str(row[0]) if row else "")
            if row is None or not verify(device.public_key, bytes.fromhex(message.signature), payload):
                raise Refused("auth", "同步请求的签名不对（本机的密钥与县里登记的不符），请重新注册")
            self.conn.execute("UPDATE sync_sessions SET stage = 'hello', cursor = '{}', updated_at = now()"
                              " WHERE id = %s", (message.session,))
        return Welcome(session=message.session, scope=device.scope, station=device.station or 1)

    def reclaim(self, *, idle: str = "1 day") -> int:
        """Forget sessions nobody has used for `idle` (a knock never answered, a sync cut off):
        what they merged is merged, and a clinic that comes back opens a new one."""
        return self.conn.execute("DELETE FROM sync_sessions WHERE updated_at < now() - %s::interval",
                                 (idle,)).rowcount

    def _session(self, session: str) -> Device:
        row = self.conn.execute("SELECT instance_id FROM sync_sessions WHERE id = %s"
                                " AND stage IN ('hello', 'push', 'pull')", (session,)).fetchone()
        if row is None:
            raise Refused("auth", "同步会话已失效，请重新同步")
        return self.device(str(row[0]))

    # --- push -------------------------------------------------------------------------------

    def push(self, message: Push) -> PushReply:
        with self.conn.transaction():
            device = self._session(message.session)
            self.conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                              (_LOCK_SPACE, device.instance))
            moving = self._partitions_before(message.changes)
            acks = self._merge_chunk(device, message.changes)
            if moving:
                self._note_moves(device, moving, message.changes, acks)
            written: dict[str, set[str]] = {}
            for a in acks:
                if a.outcome in ("inserted", "applied", "merged"):
                    written.setdefault(a.table, set()).add(a.id)
            touched = {str(c.values.get("partition") or "") for c in message.changes} | {
                str(a.row.values.get("partition") or "") for a in acks if a.row is not None}
            self._breaches(sorted(p for p in touched if sees(device.scope, p)
                                  and p not in ancestors(device.scope)), written)
            self.conn.execute(
                "UPDATE sync_sessions SET stage = 'push', updated_at = now(),"
                " cursor = jsonb_set(cursor, '{pushed}', to_jsonb(%s::int)) WHERE id = %s",
                (message.chunk, message.session))
            self.conn.execute("UPDATE instances SET last_sync = now() WHERE instance_id = %s",
                              (device.instance,))
        return PushReply(session=message.session, chunk=message.chunk, acks=acks)

    def _merge_chunk(self, device: Device, changes: Sequence[Change]) -> list[Ack]:
        """Merge a chunk's changes: each table's records are read, decided and written in a few
        statements, not a few per record. A record named twice in one chunk (a bundle can carry
        two versions of it) is merged in a second round, after the first is written."""
        acks: list[Ack | None] = [None] * len(changes)
        pending = list(enumerate(changes))
        while pending:
            seen: set[tuple[str, str]] = set()
            now: dict[str, list[tuple[int, Change]]] = {}
            later = []
            for i, c in pending:
                if (c.table, c.id) in seen:
                    later.append((i, c))
                    continue
                seen.add((c.table, c.id))
                now.setdefault(c.table, []).append((i, c))
            for table, items in now.items():
                for i, ack in _Chunk(self, device, table, items).run():
                    acks[i] = ack
            pending = later
        assert all(a is not None for a in acks)
        return [a for a in acks if a is not None]

    def _partitions_before(self, changes: list[Change]) -> dict[str, str]:
        """The county's partition of each household these changes move (they name a partition)."""
        ids = [c.id for c in changes if c.table == "households" and "partition" in c.values]
        if not ids:
            return {}
        return {str(r[0]): str(r[1]) for r in self.conn.execute(
            "SELECT id, partition FROM households WHERE id = ANY(%s)", (ids,))}

    def _note_moves(self, device: Device, before: Mapping[str, str], changes: list[Change],
                    acks: list[Ack]) -> None:
        """A household that left its village: a notice in the old village's partition, so its PCs
        learn that the county no longer sends them the household (app.storage.moved_out). It is
        resolved from the start: there is nothing to choose."""
        users = {c.id: c.user for c in changes if c.table == "households"}
        for ack in acks:
            if ack.table != "households" or ack.id not in before or ack.outcome == "refused":
                continue
            old = before[ack.id]
            new = str(self._one("SELECT partition FROM households WHERE id = %s", (ack.id,))[0])
            if new == old:
                continue
            name = self.conn.execute("SELECT name FROM divisions WHERE code = %s AND deleted = 0",
                                     (new,)).fetchone()
            self.conn.execute(
                "INSERT INTO conflicts (kind, table_name, row_id, field, partition, a_value, b_value,"
                " a_instance, a_user, resolution, resolved_by, resolved_at)"
                " VALUES ('household_moved', 'households', %s, 'village_code', %s, %s, %s, %s, %s,"
                " %s, 'county', now())",
                (ack.id, old, Jsonb(new), Jsonb(str(name[0]) if name else None), device.instance,
                 users.get(ack.id, "")[:64], Jsonb("notice")))

    def _may_write(self, device: Device, table: str, held: Held | None, target: Any) -> bool:
        places = [str(target or "")]
        if held is not None:
            places.append(str(held.values.get("partition", "")))
        if table in ABOVE_VILLAGE:      # a clinic adds its own teams and divisions, never others'
            return all(p == device.scope or p in ancestors(device.scope) or sees(device.scope, p)
                       for p in places)
        return all(sees(device.scope, p) and p not in ancestors(device.scope) for p in places)

    def _one(self, sql: str, params: Any = ()) -> Any:
        got = self.conn.execute(sql, params).fetchone()
        if got is None:
            raise LookupError(sql)
        return got

    def _breaches(self, villages: list[str], written: Mapping[str, set[str]]) -> int:
        """Record, once, each fork and cross-record breach that the rows just `written` (ids by
        table) make in these villages (app.core.breaches), so both clinics of the village see it
        at their next pull. Only the rules those tables can break are checked, and only through
        the keys the written rows share with others."""
        if not villages or not written:
            return 0
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS chunk_written (id TEXT PRIMARY KEY)"
                          " ON COMMIT DELETE ROWS")
        self.conn.execute("DELETE FROM chunk_written")
        self.conn.execute("INSERT INTO chunk_written SELECT unnest(%s::text[])",
                          (sorted(set().union(*written.values())),))
        new = 0
        for kind, table, sql in breaches.queries(villages, touched="SELECT id FROM chunk_written"):
            if not breaches.sources(kind, table) & written.keys():
                continue
            pairs = self.conn.execute(sql).fetchall()
            if not pairs:
                continue
            ids = sorted({str(i) for pair in pairs for i in pair})
            sides = {str(r[0]): r for r in self.conn.execute(
                f"SELECT id, partition, version_instance, version_counter FROM {table}"
                " WHERE id = ANY(%s)", (ids,))}
            for a, b in pairs:
                ra, rb = sides[str(a)], sides[str(b)]
                new += self.conn.execute(
                    "INSERT INTO conflicts (kind, table_name, row_id, other_row_id, partition,"
                    " a_version, b_version, a_instance, b_instance)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (kind, table_name, row_id, other_row_id)"
                    " WHERE other_row_id IS NOT NULL DO NOTHING",
                    (kind, table, a, b, ra[1], Jsonb({"instance": ra[2], "counter": ra[3]}),
                     Jsonb({"instance": rb[2], "counter": rb[3]}), ra[2], rb[2])).rowcount
        return new

    def _rows(self, table: str, ids: Sequence[str], *, lock: bool = False) -> dict[str, dict[str, Any]]:
        """The county's current rows of `table` with these ids, by id (column names as keys)."""
        cols = self.columns(table)
        got = self.conn.execute(
            f"SELECT {', '.join(cols)} FROM {table} WHERE id = ANY(%s)"
            f"{' FOR UPDATE' if lock else ''}", (list(ids),))
        return {str(r[0]): dict(zip(cols, r, strict=True)) for r in got}

    # --- pull -------------------------------------------------------------------------------

    def pull(self, message: Pull) -> PullReply:
        with self.conn.transaction():
            device = self._session(message.session)
            after_tx, after_seq = _cursor(message.cursor)
            horizon = self._one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")[0]
            places = [device.scope, *ancestors(device.scope)]
            village_like = device.scope[:9] + "%" if device.scope.endswith("000") else device.scope
            found: list[tuple[int, int, str, dict[str, Any]]] = []
            for table in COUNTY_TABLES:
                cols = [*self.columns(table), "txid_text"]
                for got in self.conn.execute(
                        f"SELECT {', '.join(cols[:-1])}, txid::text AS txid_text FROM {table} AS t"
                        " WHERE (partition = ANY(%s) OR partition LIKE %s) AND version_instance != %s"
                        " AND (t.txid, t.server_seq) > (%s::xid8, %s) AND t.txid < %s::xid8"
                        " ORDER BY t.txid, t.server_seq LIMIT %s",
                        (places, village_like, device.instance, str(after_tx), after_seq, horizon,
                         message.limit + 1)):
                    values = dict(zip(cols, got, strict=True))
                    found.append((int(values.pop("txid_text")), int(values["server_seq"]), table, values))
            for got in self.conn.execute(
                    f"SELECT {NOTE_COLUMNS}, c.txid::text FROM conflicts c"
                    " WHERE (c.partition = ANY(%s) OR c.partition LIKE %s)"
                    " AND (c.txid, c.server_seq) > (%s::xid8, %s) AND c.txid < %s::xid8"
                    " ORDER BY c.txid, c.server_seq LIMIT %s",
                    (places, village_like, str(after_tx), after_seq, horizon, message.limit + 1)):
                found.append((int(got[-1]), int(got[1]), "", {"note": got[:-1]}))
            found.sort(key=lambda f: (f[0], f[1]))
            page = found[: message.limit]
            rows = [_as_row(table, values) for _, _, table, values in page if table]
            notes = [_note(values["note"]) for _, _, table, values in page if not table]
            cursor = f"{page[-1][0]}:{page[-1][1]}" if page else message.cursor
            self.conn.execute("UPDATE sync_sessions SET stage = 'pull', updated_at = now() WHERE id = %s",
                              (message.session,))
        return PullReply(session=message.session, rows=rows, conflicts=notes, cursor=cursor,
                         more=len(found) > len(page))

    # --- conflicts --------------------------------------------------------------------------

    def resolve(self, message: Resolve) -> ResolveReply:
        """Record how a clinic resolved conflicts of its scope; the notes as they now stand."""
        with self.conn.transaction():
            device = self._session(message.session)
            notes = []
            for r in message.resolutions:
                got = self.conn.execute(
                    "SELECT partition, resolution FROM conflicts WHERE id = %s FOR UPDATE",
                    (r.id,)).fetchone()
                if got is None or not sees(device.scope, str(got[0])):
                    continue
                if got[1] is None:
                    self.conn.execute(
                        "UPDATE conflicts SET resolution = %s, resolved_by = %s, resolved_at = now(),"
                        " server_seq = nextval('county_seq'), txid = pg_current_xact_id() WHERE id = %s",
                        (Jsonb(r.choice), f"{device.instance}/{r.user}"[:128], r.id))
                notes.append(_note(self._one(f"SELECT {NOTE_COLUMNS} FROM conflicts c WHERE id = %s",
                                             (r.id,))))
        return ResolveReply(session=message.session, conflicts=notes)

    # --- configuration ------------------------------------------------------------------------

    def config(self, message: ConfigPull) -> ConfigReply:
        """The signed configuration published for the session's clinic (app/server/config.py)."""
        from app.server.config import CountyConfig

        return CountyConfig(self).reply(message)

    # --- schema -----------------------------------------------------------------------------

    def columns(self, table: str) -> list[str]:
        """A county table's columns, `id` first and `txid` last."""
        return ["id", *(c for c in self.types(table) if c != "id"), "txid"]

    @functools.cache  # noqa: B019  (one Store per connection; the schema does not change under it)
    def types(self, table: str) -> dict[str, str]:
        """Column → data type of a county table, in table order (txid left out)."""
        if table not in COUNTY_TABLES:
            raise ValueError(table)
        return {str(n): str(t) for n, t in self.conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_name = %s AND column_name != 'txid' ORDER BY ordinal_position", (table,))}


def _typed(name: str, value: Any, types: Mapping[str, str]) -> Any:
    """A value as its county column's type (the clinic's SQLite is loosely typed)."""
    if value is None:
        return None
    kind = types[name]
    try:
        if kind == "bigint":
            return int(value)
        if kind == "double precision":
            return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"字段 {name} 的值 {value!r} 不是数字") from None
    return value if isinstance(value, str) else (json.dumps(value) if isinstance(value, list | dict)
                                                 else str(value))


def _held(values: dict[str, Any]) -> Held:
    return Held({k: v for k, v in values.items() if k != "txid"},
                (str(values["version_instance"]), int(values["version_counter"])),
                int(values["server_seq"]))


def _as_row(table: str, values: Mapping[str, Any]) -> Row:
    data = {k: v for k, v in values.items() if k not in META and k not in ("txid", "txid_text")}
    return Row(table=table, id=str(values["id"]), server_seq=int(values["server_seq"]),
               version=Version(instance=str(values["version_instance"]),
                               counter=int(values["version_counter"])), values=data)


NOTE_COLUMNS = ("c.id, c.server_seq, c.kind, c.table_name, c.row_id, c.other_row_id, c.field,"
                " c.partition, c.a_value,"
                " c.b_value, c.a_version, c.b_version, c.a_user, c.b_user,"
                " to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                " c.resolution, c.resolved_by")


def _note(r: Any) -> ConflictNote:
    def version(v: Any) -> Version | None:
        return None if not v else Version(instance=str(v["instance"]), counter=int(v["counter"]))

    return ConflictNote(id=int(r[0]), server_seq=int(r[1]), kind=str(r[2]), table=str(r[3]),
                        row_id=str(r[4]), other_row_id=r[5], field=r[6], partition=str(r[7]),
                        kept=r[8], lost=r[9], kept_version=version(r[10]),
                        lost_version=version(r[11]), kept_user=str(r[12]), lost_user=str(r[13]),
                        created_at=str(r[14]), resolution=None if r[15] is None else str(r[15]),
                        resolved_by=str(r[16]))


def _cursor(text: str) -> tuple[int, int]:
    if not text:
        return 0, 0
    try:
        tx, seq = text.split(":")
        return int(tx), int(seq)
    except ValueError:
        raise Refused("bad_request", "同步位置无法识别，请重新同步") from None


class _Chunk:
    """One table's share of a pushed chunk, merged in bulk: the held rows, the versions already
    applied and the bases the clinic named are read with one statement each; each change is
    decided by app.sync.merge exactly as it would be alone; the versions, rows and conflicts that
    follow are written with one COPY or one pipelined statement per kind."""

    def __init__(self, store: Store, device: Device, table: str, items: list[tuple[int, Change]]) -> None:
        self.store, self.conn, self.device, self.table, self.items = store, store.conn, device, table, items
        self.types = store.types(table)
        self.versions: list[tuple[int | None, str, tuple[str, int], dict[str, Any]]] = []
        self.inserts: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.conflicts: list[tuple[FieldConflict, str]] = []

    def run(self) -> list[tuple[int, Ack]]:
        table, changes = self.table, [c for _, c in self.items]
        ids = [c.id for c in changes]
        held_rows = self.store._rows(table, ids, lock=True)
        applied = {(str(r[0]), str(r[1]), int(r[2])) for r in self.conn.execute(
            "SELECT v.row_id, v.version_instance, v.version_counter FROM row_versions v"
            " JOIN unnest(%s::text[], %s::text[], %s::bigint[]) AS u(id, inst, ctr)"
            " ON v.row_id = u.id AND v.version_instance = u.inst AND v.version_counter = u.ctr"
            " WHERE v.table_name = %s",
            (ids, [c.version.instance for c in changes], [c.version.counter for c in changes],
             table))}
        wanted = [c.base for c in changes if c.base is not None and c.id in held_rows
                  and c.base != held_rows[c.id]["server_seq"]]
        bases = {(int(r[0]), str(r[1])): dict(r[2]) for r in self.conn.execute(
            "SELECT server_seq, row_id, data FROM row_versions WHERE server_seq = ANY(%s)"
            " AND table_name = %s", (wanted, table))} if wanted else {}
        decided: list[tuple[int, Change, Any]] = []
        for i, c in self.items:
            row = held_rows.get(c.id)
            decided.append((i, c, self._decide(c, row, applied, bases)))
        seqs = self._sequence_numbers()
        acks: list[tuple[int, Ack]] = []
        merged: list[str] = []
        for i, c, plan in decided:
            if isinstance(plan, Ack):
                acks.append((i, plan))
            elif plan == "incoming":
                acks.append((i, Ack(table=table, id=c.id, version=c.version,
                                    outcome="inserted" if c.id not in held_rows else "applied",
                                    server_seq=seqs[c.id])))
            else:
                merged.append(c.id)
        self._write(seqs)
        current = self.store._rows(table, merged) if merged else {}
        for i, c, plan in decided:
            if isinstance(plan, tuple):
                outcome, conflicts = plan
                acks.append((i, Ack(table=table, id=c.id, version=c.version, outcome=outcome,
                                    server_seq=None, row=_as_row(table, current[c.id]),
                                    conflicts=conflicts)))
        return acks

    def _refused(self, c: Change, reason: str) -> Ack:
        return Ack(table=self.table, id=c.id, version=c.version, outcome="refused", server_seq=None,
                   reason=reason[:200])

    def _decide(self, c: Change, row: dict[str, Any] | None, applied: set[tuple[str, str, int]],
                bases: Mapping[tuple[int, str], dict[str, Any]]) -> Any:
        """An Ack (refused), "incoming" (the clinic's version becomes current) or (outcome, number
        of conflicts) for a merge; the writes it needs are queued."""
        table, version = self.table, c.version.pair()
        held = None if row is None else _held(row)
        target = c.values.get("partition", held.values.get("partition") if held else None)
        if not self.store._may_write(self.device, table, held, target):
            return self._refused(c, f"这条记录（分区 {target}）不在本机的范围（{self.device.scope}）内")
        was_applied = (c.id, version[0], version[1]) in applied
        base = None
        if c.base is not None and held is not None and c.base != held.server_seq:
            base = bases.get((c.base, c.id))
        try:
            out = merge_push(Incoming(table, c.id, version, c.base, c.values, c.user), held, base,
                             already_applied=was_applied)
        except MergeError as exc:
            return self._refused(c, str(exc))
        if out.stamp == "incoming":
            try:
                data = self._typed(out.values or {})
            except ValueError as exc:
                return self._refused(c, str(exc))
            self.versions.append((None, c.id, version, data))
            (self.inserts if row is None else self.updates).append(
                {"id": c.id, **data, "version_instance": version[0], "version_counter": version[1]})
            return "incoming"
        assert held is not None
        if not was_applied:
            self.versions.append((-1, c.id, version, dict(c.values)))
        if out.stamp == "county":
            try:
                data = self._typed(out.values or {})
            except ValueError as exc:
                return self._refused(c, str(exc))
            self.versions.append((0, c.id, (COUNTY_INSTANCE, 0), data))
            self.updates.append({"id": c.id, **data, "version_instance": COUNTY_INSTANCE,
                                 "version_counter": 0})
        partition = str((out.values or held.values).get("partition", ""))
        self.conflicts += [(f, partition) for f in out.conflicts]
        outcome: Outcome = ("merged" if out.stored else
                            "known" if out.action == "noop" else "unchanged")
        return outcome, len(out.conflicts)

    def _typed(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {k: _typed(k, v, self.types) for k, v in values.items()
                if k in self.types and k not in META}

    def _sequence_numbers(self) -> dict[str, int]:
        """Draw the county's numbers for the versions queued, in queue order; a county version's
        counter is its own number. Returns the number of each record's new current version."""
        n = len(self.versions)
        if not n:
            return {}
        numbers = sorted(int(r[0]) for r in self.conn.execute(
            "SELECT nextval('county_seq') FROM generate_series(1, %s)", (n,)))
        current: dict[str, int] = {}
        for k, (kind, row_id, version, data) in enumerate(self.versions):
            seq = numbers[k]
            if kind == 0:                       # the county's own merged version
                version = (COUNTY_INSTANCE, seq)
            self.versions[k] = (seq, row_id, version, data)
            if kind != -1:
                current[row_id] = seq
        for row in (*self.inserts, *self.updates):
            row["server_seq"] = current[row["id"]]
            if row["version_instance"] == COUNTY_INSTANCE and row["version_counter"] == 0:
                row["version_counter"] = row["server_seq"]
        return current

    def _write(self, seqs: Mapping[str, int]) -> None:
        table = self.table
        if self.versions:
            with self.conn.cursor().copy(
                    "COPY row_versions (server_seq, table_name, row_id, version_instance,"
                    " version_counter, data) FROM STDIN") as copy:
                for seq, row_id, version, data in self.versions:
                    copy.write_row((seq, table, row_id, version[0], version[1],
                                    json.dumps(data, ensure_ascii=False)))
        for cols, rows in _by_columns(self.inserts).items():
            with self.conn.cursor().copy(
                    f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[k] for k in cols])
        for cols, rows in _by_columns(self.updates).items():
            sets = ", ".join(f"{k} = %s" for k in cols if k != "id")
            self.conn.cursor().executemany(
                f"UPDATE {table} SET {sets}, txid = pg_current_xact_id() WHERE id = %s",
                [[*(row[k] for k in cols if k != "id"), row["id"]] for row in rows])
        if self.conflicts:
            self.conn.cursor().executemany(
                "INSERT INTO conflicts (kind, table_name, row_id, field, partition, a_value, b_value,"
                " a_version, b_version, a_instance, b_instance, a_user, b_user)"
                " VALUES ('field', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [(c.table, c.id, c.field, partition, Jsonb(c.kept), Jsonb(c.lost),
                  Jsonb({"instance": c.kept_version[0], "counter": c.kept_version[1]}),
                  Jsonb({"instance": c.lost_version[0], "counter": c.lost_version[1]}),
                  c.kept_version[0], c.lost_version[0], c.kept_user, c.lost_user)
                 for c, partition in self.conflicts])


def _by_columns(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return groups
