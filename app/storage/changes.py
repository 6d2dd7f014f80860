"""The tracked write path: the only way rows of synced tables are written.

Each write bumps this installation's counter, appends an outbox entry (the fields it changed,
their values before, the signed-in user) and stamps the row with (instance, counter), all in the
caller's transaction. The triggers in migrations/tracking.py refuse any other write, so nothing
can slip past the outbox. Rows written elsewhere come in through `apply`, in apply mode only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from app.core.ids import uuid7
from app.core.scope import check_may_write
from app.storage.engine import sqlite3

SYNCED_TABLES = frozenset({
    "divisions", "households", "poverty_events", "help_persons", "people", "diagnoses",
    "teams", "contracts", "contract_members", "service_deliveries",
    "follow_ups", "referral_results", "general_visits", "health_exams", "exam_returns",
    "claims",
})
# Parents before children: the order `Tracker.apply` needs rows in (foreign keys are checked
# at each statement). tests/unit/storage/test_tracking.py checks it against the schema.
APPLY_ORDER = (
    "divisions", "households", "people", "poverty_events", "help_persons", "diagnoses",
    "teams", "contracts", "contract_members", "service_deliveries",
    "follow_ups", "referral_results", "general_visits", "health_exams", "exam_returns",
    "claims",
)
# Row columns that are bookkeeping, not data: never listed among the fields a write changed.
VERSION_COLUMNS = frozenset({"id", "version_instance", "version_counter", "server_seq", "updated_at"})
# Synced rows above a village: partitioned by their own division code, outside the village rule.
ABOVE_VILLAGE = frozenset({"divisions", "teams"})
FORMER_CODES_KEY = "former_division_codes"   # settings: codes the clinic had before a correction


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Changes:
    """What a mutation touched, so the UI refreshes only what it must."""

    tables: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    def add(self, table: str, row_id: str) -> None:
        self.tables.add(table)
        self.ids.add(row_id)

    def merge(self, other: Changes) -> Changes:
        self.tables |= other.tables
        self.ids |= other.ids
        self.warnings += other.warnings
        return self

    def __bool__(self) -> bool:
        return bool(self.tables)


def to_db(value: Any) -> Any:
    """Python values as stored: dates as ISO text, lists as JSON, booleans as 0/1."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


def to_json(values: Mapping[str, Any]) -> str:
    """Stored values as compact JSON, as the outbox keeps them (one encoder: half the time)."""
    return _ENCODER.encode(values)


def _data(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in VERSION_COLUMNS}


class Tracker:
    """Writes rows of synced tables for one connection; call inside a transaction.

    `user` is the signed-in username the outbox records with each write; None for the system's
    own writes (migrations, creating a database, anything done before someone signs in).
    """

    def __init__(self, conn: sqlite3.Connection, user: str | None = None) -> None:
        self.conn = conn
        self.user = user
        self._described: bool | None = None   # whether the outbox has schema 10's columns

    def _outbox_sql(self) -> str:
        if self._described is None:
            self._described = "fields" in {
                str(r[1]) for r in self.conn.execute("PRAGMA table_info(outbox)")}
        if self._described:
            return ("INSERT INTO outbox (table_name, row_id, version_instance, version_counter, op,"
                    " created_at, fields, prior, username) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        return ("INSERT INTO outbox (table_name, row_id, version_instance, version_counter, op,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)")

    def _entry(self, table: str, row_id: str, version: tuple[str, int], op: str, at: str,
               fields: Mapping[str, Any], prior: Mapping[str, Any] | None) -> tuple[Any, ...]:
        base = (table, row_id, version[0], version[1], op, at)
        if not self._described:
            return base
        return (*base, to_json(fields), None if prior is None else to_json(prior), self.user)

    @property
    def instance_id(self) -> str:
        return str(self.conn.execute("SELECT instance_id FROM local_instance").fetchone()[0])

    def _next_version(self) -> tuple[str, int]:
        row = self.conn.execute(
            "UPDATE local_instance SET counter = counter + 1 RETURNING instance_id, counter"
        ).fetchone()
        return str(row[0]), int(row[1])

    def _stamp(self, table: str, row_id: str, op: str, fields: Mapping[str, Any],
               prior: Mapping[str, Any] | None, at: str) -> tuple[str, int]:
        if not self.conn.in_transaction:
            raise RuntimeError("tracked writes must run inside a transaction")
        version = self._next_version()
        sql = self._outbox_sql()
        self.conn.execute(sql, self._entry(table, row_id, version, op, at, fields, prior))
        return version

    def insert(self, table: str, values: Mapping[str, Any], *, partition: str) -> str:
        """Insert a new row (an id is made when none is given); return its id."""
        self._check(table)
        self.check_scope(table, partition)
        row = {k: to_db(v) for k, v in values.items()}
        row_id = str(row.get("id") or uuid7())
        row["id"] = row_id
        row.update(partition=partition, deleted=0)
        at = now_iso()
        instance, counter = self._stamp(table, row_id, "insert", _data(row), None, at)
        row.update(version_instance=instance, version_counter=counter, server_seq=None, updated_at=at)
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
        return row_id

    def update(self, table: str, row_id: str, values: Mapping[str, Any]) -> bool:
        """Change some fields of a row; nothing is written (no version) when nothing changes."""
        self._check(table)
        current = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if current is None:
            raise KeyError(f"{table}/{row_id}")
        changed = {
            k: to_db(v) for k, v in values.items() if k != "id" and current[k] != to_db(v)
        }
        if not changed:
            return False
        self.check_scope(table, current["partition"])
        if "partition" in changed:
            self.check_scope(table, changed["partition"])
        op = "delete" if changed.get("deleted") == 1 else "update"
        prior = {k: current[k] for k in (*changed, "version_instance", "version_counter", "updated_at")}
        at = now_iso()
        instance, counter = self._stamp(table, row_id, op, _data(changed), prior, at)
        changed.update(version_instance=instance, version_counter=counter, updated_at=at)
        sets = ", ".join(f"{k} = ?" for k in changed)
        self.conn.execute(
            f"UPDATE {table} SET {sets} WHERE id = ?", [*changed.values(), row_id]
        )
        return True

    def tombstone(self, table: str, row_id: str) -> bool:
        return self.update(table, row_id, {"deleted": 1})

    def insert_many(
        self, table: str, rows: Iterable[Mapping[str, Any]], *, partition_key: str
    ) -> list[str]:
        """Insert many rows, each with its own version; `partition_key` names the partition field."""
        ids = []
        for values in rows:
            values = dict(values)
            partition = str(values.pop(partition_key))
            ids.append(self.insert(table, values, partition=partition))
        return ids

    def bulk_insert(self, table: str, rows: Sequence[Mapping[str, Any]], *, partition: str) -> list[str]:
        """Insert many new rows with the same columns at once: one block of counters, then the
        outbox entries, then the rows (so the guard triggers find their versions). For bulk
        loads such as demo data; each row still gets its own version and outbox entry."""
        self._check(table)
        if not rows:
            return []
        if not self.conn.in_transaction:
            raise RuntimeError("tracked writes must run inside a transaction")
        self.check_scope(table, partition)
        top = self.conn.execute(
            "UPDATE local_instance SET counter = counter + ? RETURNING instance_id, counter", (len(rows),)
        ).fetchone()
        instance, first = str(top[0]), int(top[1]) - len(rows) + 1
        stamp = now_iso()
        prepared = []
        for n, values in enumerate(rows):
            row = {k: to_db(v) for k, v in values.items()}
            row["id"] = str(row.get("id") or uuid7())
            row.update(partition=partition, version_instance=instance, version_counter=first + n,
                       server_seq=None, deleted=0, updated_at=stamp)
            prepared.append(row)
        cols = list(prepared[0])
        if any(len(r) != len(cols) or r.keys() != prepared[0].keys() for r in prepared):
            raise ValueError("bulk_insert rows must all have the same columns")
        sql = self._outbox_sql()
        if self._described:           # the fields' JSON made by SQLite: a third of the time
            data = [c for c in cols if c not in VERSION_COLUMNS]
            pairs = ", ".join(f"'{c}', ?" for c in data)
            self.conn.executemany(
                "INSERT INTO outbox (table_name, row_id, version_instance, version_counter, op,"
                f" created_at, fields, username) VALUES (?, ?, ?, ?, 'insert', ?, json_object({pairs}), ?)",
                [(table, r["id"], instance, r["version_counter"], stamp, *[r[c] for c in data], self.user)
                 for r in prepared])
        else:
            self.conn.executemany(sql, [
                self._entry(table, r["id"], (instance, r["version_counter"]), "insert", stamp, {}, None)
                for r in prepared])
        marks = ", ".join("?" for _ in cols)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                              [[r[c] for c in cols] for r in prepared])
        return [r["id"] for r in prepared]

    def repartition(self, table: str, where: str, params: Mapping[str, Any], partition: str) -> int:
        """Move the rows matching `where` (SQL on `table` by its name, named parameters) to a
        partition, set-wise: one block of counters, one INSERT of their outbox entries and one
        UPDATE, each row still with its own version. Rows already there are left alone."""
        self._check(table)
        self.check_scope(table, partition)
        return self._repartition(table, where, {**params, "_partition": partition}, ":_partition")

    def repartition_to(self, table: str, partition_sql: str) -> int:
        """Move every row whose partition is not `partition_sql` (an SQL expression on the row,
        by the table's name) to it; rows for which it is NULL are left alone. For repairs."""
        self._check(table)
        return self._repartition(table, f"{partition_sql} IS NOT NULL", {}, partition_sql)

    def _repartition(self, table: str, where: str, params: dict[str, Any], target: str) -> int:
        if not self.conn.in_transaction:
            raise RuntimeError("tracked writes must run inside a transaction")
        pick = f"FROM {table} WHERE ({where}) AND {table}.partition IS NOT {target}"
        n = int(self.conn.execute(f"SELECT count(*) {pick}", params).fetchone()[0])
        if n == 0:
            return 0
        top = self.conn.execute(
            "UPDATE local_instance SET counter = counter + ? RETURNING instance_id, counter", (n,)
        ).fetchone()
        stamp = {"_table": table, "_instance": str(top[0]), "_first": int(top[1]) - n + 1,
                 "_at": now_iso(), "_user": self.user}
        self._outbox_sql()
        described = (
            ", fields, prior, username", f", json_object('partition', {target}), json_object("
            f"'partition', {table}.partition, 'version_instance', {table}.version_instance,"
            f" 'version_counter', {table}.version_counter, 'updated_at', {table}.updated_at), :_user"
        ) if self._described else ("", "")
        self.conn.execute(
            "INSERT INTO outbox (table_name, row_id, version_instance, version_counter, op,"
            f" created_at{described[0]}) SELECT :_table, id, :_instance,"
            " :_first - 1 + row_number() OVER (ORDER BY id), 'update',"
            f" :_at{described[1]} {pick}", {**params, **stamp})
        self.conn.execute(
            f"UPDATE {table} SET partition = {target}, version_instance = :_instance,"
            " version_counter = (SELECT o.version_counter FROM outbox o WHERE o.table_name = :_table"
            f" AND o.row_id = {table}.id AND o.version_instance = :_instance"
            " AND o.version_counter >= :_first), updated_at = :_at"
            f" WHERE ({where}) AND {table}.partition IS NOT {target}", {**params, **stamp})
        return n

    @contextmanager
    def applying(self) -> Iterator[None]:
        """Apply mode for the block: the guard triggers accept rows stamped by other instances.

        Only inside the caller's transaction: the flag is set in it and cleared before the block
        ends, so a crash or a rollback takes it back too. Committing inside the block is refused.
        """
        if not self.conn.in_transaction:
            raise RuntimeError("apply mode must be turned on inside a transaction")
        self.conn.execute("UPDATE local_instance SET applying = 1")
        try:
            yield
        finally:
            committed = not self.conn.in_transaction
            self.conn.execute("UPDATE local_instance SET applying = 0")
            if committed:
                raise RuntimeError("the transaction ended inside apply mode")

    def apply(self, table: str, row: Mapping[str, Any]) -> bool:
        """Write a version of a row made elsewhere as it is, stamps and all; whether it changed.

        In apply mode only (`with tracker.applying():`). A new row is inserted; an existing one
        is updated to the version given (every column given, `server_seq` included), and its
        unacknowledged local outbox entries are closed: the caller has merged them into this
        version or means to write the merge after it. A version already held, or an older one
        of the same instance, is a no-op. Rows must come parents first: tables in APPLY_ORDER,
        and within a table a row before the rows that point to it (the contract a renewal
        renews, the record a correction supersedes, the claim a reversal reverses).
        """
        self._check(table)
        flag = self.conn.execute("SELECT applying FROM local_instance").fetchone()
        if not self.conn.in_transaction or flag is None or not flag[0]:
            raise RuntimeError("apply() runs only inside `with tracker.applying():`")
        values = {k: to_db(v) for k, v in row.items()}
        row_id = values["id"]
        held = self.conn.execute(
            f"SELECT version_instance, version_counter FROM {table} WHERE id = ?", (row_id,)
        ).fetchone()
        if held is None:
            marks = ", ".join("?" for _ in values)
            self.conn.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})",
                              list(values.values()))
            return True
        if held[0] == values["version_instance"] and int(held[1]) >= int(values["version_counter"]):
            return False
        sets = {k: v for k, v in values.items() if k != "id"}
        self.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                          [*sets.values(), row_id])
        self.conn.execute("UPDATE outbox SET state = 'synced' WHERE table_name = ? AND row_id = ?"
                          " AND state != 'synced'", (table, row_id))
        return True

    def check_scope(self, table: str, partition: str) -> None:
        """Refuse a write to a village outside this clinic's own village (or township)."""
        if table in ABOVE_VILLAGE:
            return
        settings = dict(self.conn.execute(
            "SELECT key, value FROM settings WHERE key IN ('division_code', ?)", (FORMER_CODES_KEY,)))
        former = [c for c in settings.get(FORMER_CODES_KEY, "").split(",") if c]
        check_may_write(settings.get("division_code", ""), partition, former)

    @staticmethod
    def _check(table: str) -> None:
        if table not in SYNCED_TABLES:
            raise ValueError(f"{table} is not a synced table")
