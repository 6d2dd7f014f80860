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
chunk that commits late is never skipped by a cursor that has moved past its numbers.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from psycopg.types.json import Jsonb

from app.core.scope import ancestors, sees
from app.server.db import COUNTY_TABLES, Connection
from app.sync.merge import META, FieldConflict, Held, Incoming, MergeError, merge_push
from app.sync.protocol import (
    PROTOCOL_VERSION,
    Ack,
    Change,
    Hello,
    Outcome,
    Pull,
    PullReply,
    Push,
    PushReply,
    RefusalCode,
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


class Store:
    """The county database as the sync protocol sees it. One per connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- devices and sessions -----------------------------------------------------------------

    def register(self, instance: str, scope: str, station: int | None, *,
                 public_key: bytes = b"", certificate: bytes = b"") -> None:
        """Record an enrolled device (enrolment proper issues the key and certificate)."""
        with self.conn.transaction():
            self.conn.execute(
                "INSERT INTO instances (instance_id, scope, station, public_key, certificate)"
                " VALUES (%s, %s, %s, %s, %s)", (instance, scope, station, public_key, certificate))

    def device(self, instance: str) -> Device:
        row = self.conn.execute("SELECT scope, station, revoked_at FROM instances"
                                " WHERE instance_id = %s", (instance,)).fetchone()
        if row is None:
            raise Refused("auth", "这台电脑尚未在县里登记（注册），请先用县里给的注册码注册")
        if row[2] is not None:
            raise Refused("revoked", "这台电脑的同步资格已被县里停用，请联系县级管理员")
        return Device(instance, str(row[0]), None if row[1] is None else int(row[1]))

    def hello(self, message: Hello) -> Welcome:
        if message.protocol > PROTOCOL_VERSION:
            raise Refused("upgrade", "县里的服务器版本较旧，暂不能接收这一版的同步，请联系县级管理员升级服务器")
        device = self.device(message.instance)
        session = str(uuid.uuid4())
        with self.conn.transaction():
            self.conn.execute("INSERT INTO sync_sessions (id, instance_id, stage) VALUES (%s, %s, 'hello')",
                              (session, device.instance))
        return Welcome(session=session, scope=device.scope, station=device.station or 1)

    def _session(self, session: str) -> Device:
        row = self.conn.execute("SELECT instance_id FROM sync_sessions WHERE id = %s",
                                (session,)).fetchone()
        if row is None:
            raise Refused("auth", "同步会话已失效，请重新同步")
        return self.device(str(row[0]))

    # --- push -------------------------------------------------------------------------------

    def push(self, message: Push) -> PushReply:
        with self.conn.transaction():
            device = self._session(message.session)
            self.conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                              (_LOCK_SPACE, device.instance))
            acks = [self._merge(device, c) for c in message.changes]
            self.conn.execute(
                "UPDATE sync_sessions SET stage = 'push', updated_at = now(),"
                " cursor = jsonb_set(cursor, '{pushed}', to_jsonb(%s::int)) WHERE id = %s",
                (message.chunk, message.session))
            self.conn.execute("UPDATE instances SET last_sync = now() WHERE instance_id = %s",
                              (device.instance,))
        return PushReply(session=message.session, chunk=message.chunk, acks=acks)

    def _merge(self, device: Device, c: Change) -> Ack:
        table, version = c.table, c.version.pair()
        row = self.conn.execute(f"SELECT * FROM {table} WHERE id = %s FOR UPDATE",
                                (c.id,)).fetchone()
        cols = self.columns(table)
        held = None if row is None else _held(dict(zip(cols, row, strict=True)))
        target = c.values.get("partition", held.values.get("partition") if held else None)
        if not self._may_write(device, table, held, target):
            return Ack(table=table, id=c.id, version=c.version, outcome="refused", server_seq=None,
                       reason=f"这条记录（分区 {target}）不在本机的范围（{device.scope}）内")
        applied = self.conn.execute(
            "SELECT 1 FROM row_versions WHERE table_name = %s AND row_id = %s"
            " AND version_instance = %s AND version_counter = %s",
            (table, c.id, version[0], version[1])).fetchone() is not None
        base = None
        if c.base is not None and held is not None and c.base != held.server_seq:
            got = self.conn.execute(
                "SELECT data FROM row_versions WHERE server_seq = %s AND table_name = %s"
                " AND row_id = %s", (c.base, table, c.id)).fetchone()
            base = None if got is None else dict(got[0])
        try:
            out = merge_push(Incoming(table, c.id, version, c.base, c.values, c.user), held, base,
                             already_applied=applied)
        except MergeError as exc:
            return Ack(table=table, id=c.id, version=c.version, outcome="refused", server_seq=None,
                       reason=str(exc)[:200])
        if out.stamp == "incoming":
            try:
                seq = self._store(table, c.id, out.values or {}, version, row is None)
            except ValueError as exc:
                return Ack(table=table, id=c.id, version=c.version, outcome="refused",
                           server_seq=None, reason=str(exc)[:200])
            return Ack(table=table, id=c.id, version=c.version,
                       outcome="inserted" if out.action == "insert" else "applied", server_seq=seq)
        assert held is not None
        if not applied:
            self._version(table, c.id, version, dict(c.values))
        if out.stamp == "county":
            seq = self._next_seq()
            self._store(table, c.id, out.values or {}, (COUNTY_INSTANCE, seq), False, seq=seq)
        for conflict in out.conflicts:
            self._conflict(conflict, str((out.values or held.values).get("partition", "")))
        current = self._row(table, c.id)
        outcome: Outcome = ("merged" if out.stored else
                            "known" if out.action == "noop" else "unchanged")
        return Ack(table=table, id=c.id, version=c.version, outcome=outcome, server_seq=None,
                   row=current, conflicts=len(out.conflicts))

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

    def _next_seq(self) -> int:
        return int(self._one("SELECT nextval('county_seq')")[0])

    def _version(self, table: str, row_id: str, version: tuple[str, int], data: Mapping[str, Any],
                 *, seq: int | None = None) -> int:
        got = self._one(
            "INSERT INTO row_versions (server_seq, table_name, row_id, version_instance,"
            " version_counter, data) VALUES (coalesce(%s, nextval('county_seq')), %s, %s, %s, %s, %s)"
            " RETURNING server_seq",
            (seq, table, row_id, version[0], version[1], Jsonb(dict(data))))
        return int(got[0])

    def _store(self, table: str, row_id: str, values: Mapping[str, Any], version: tuple[str, int],
               new: bool, *, seq: int | None = None) -> int:
        """Keep a version in row_versions and make it the table's current row; its number."""
        types = self.types(table)
        data = {k: _typed(k, v, types) for k, v in values.items() if k in types and k not in META}
        seq = self._version(table, row_id, version, data, seq=seq)
        stamp = {"version_instance": version[0], "version_counter": version[1], "server_seq": seq}
        if new:
            cols = {"id": row_id, **data, **stamp}
            names = ", ".join(cols)
            marks = ", ".join(["%s"] * len(cols))
            self.conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(cols.values()))
        else:
            cols = {**data, **stamp}
            sets = ", ".join(f"{k} = %s" for k in cols)
            self.conn.execute(f"UPDATE {table} SET {sets}, txid = pg_current_xact_id() WHERE id = %s",
                              [*cols.values(), row_id])
        return seq

    def _conflict(self, c: FieldConflict, partition: str) -> None:
        self.conn.execute(
            "INSERT INTO conflicts (kind, table_name, row_id, field, partition, a_value, b_value,"
            " a_version, b_version, a_instance, b_instance, a_user, b_user)"
            " VALUES ('field', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (c.table, c.id, c.field, partition, Jsonb(c.kept), Jsonb(c.lost),
             Jsonb({"instance": c.kept_version[0], "counter": c.kept_version[1]}),
             Jsonb({"instance": c.lost_version[0], "counter": c.lost_version[1]}),
             c.kept_version[0], c.lost_version[0], c.kept_user, c.lost_user))

    def _row(self, table: str, row_id: str) -> Row:
        cols = self.columns(table)
        got = self._one(f"SELECT * FROM {table} WHERE id = %s", (row_id,))
        return _as_row(table, dict(zip(cols, got, strict=True)))

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
                        f"SELECT *, txid::text AS txid_text FROM {table} AS t"
                        " WHERE (partition = ANY(%s) OR partition LIKE %s)"
                        " AND (t.txid, t.server_seq) > (%s::xid8, %s) AND t.txid < %s::xid8"
                        " ORDER BY t.txid, t.server_seq LIMIT %s",
                        (places, village_like, str(after_tx), after_seq, horizon,
                         message.limit + 1)):
                    values = dict(zip(cols, got, strict=True))
                    found.append((int(values.pop("txid_text")), int(values["server_seq"]), table, values))
            found.sort(key=lambda f: (f[0], f[1]))
            page = found[: message.limit]
            rows = [_as_row(table, values) for _, _, table, values in page]
            cursor = f"{page[-1][0]}:{page[-1][1]}" if page else message.cursor
            self.conn.execute("UPDATE sync_sessions SET stage = 'pull', updated_at = now() WHERE id = %s",
                              (message.session,))
        return PullReply(session=message.session, rows=rows, cursor=cursor,
                         more=len(found) > len(page))

    # --- schema -----------------------------------------------------------------------------

    def columns(self, table: str) -> list[str]:
        return [*self.types(table), "txid"]

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


def _cursor(text: str) -> tuple[int, int]:
    if not text:
        return 0, 0
    try:
        tx, seq = text.split(":")
        return int(tx), int(seq)
    except ValueError:
        raise Refused("bad_request", "同步位置无法识别，请重新同步") from None
