"""The tracked write path: the only way rows of synced tables are written.

Each write bumps this installation's counter, appends an outbox entry and stamps the row with
(instance, counter), all in the caller's transaction. The triggers in migrations/tracking.py
refuse any other write, so nothing can slip past the outbox.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
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


class Tracker:
    """Writes rows of synced tables for one connection; call inside a transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @property
    def instance_id(self) -> str:
        return str(self.conn.execute("SELECT instance_id FROM local_instance").fetchone()[0])

    def _next_version(self) -> tuple[str, int]:
        row = self.conn.execute(
            "UPDATE local_instance SET counter = counter + 1 RETURNING instance_id, counter"
        ).fetchone()
        return str(row[0]), int(row[1])

    def _stamp(self, table: str, row_id: str, op: str) -> tuple[str, int]:
        if not self.conn.in_transaction:
            raise RuntimeError("tracked writes must run inside a transaction")
        instance, counter = self._next_version()
        self.conn.execute(
            "INSERT INTO outbox (table_name, row_id, version_instance, version_counter, op, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (table, row_id, instance, counter, op, now_iso()),
        )
        return instance, counter

    def insert(self, table: str, values: Mapping[str, Any], *, partition: str) -> str:
        """Insert a new row (an id is made when none is given); return its id."""
        self._check(table)
        self.check_scope(table, partition)
        row = {k: to_db(v) for k, v in values.items()}
        row_id = str(row.get("id") or uuid7())
        row["id"] = row_id
        instance, counter = self._stamp(table, row_id, "insert")
        row.update(
            partition=partition, version_instance=instance, version_counter=counter,
            server_seq=None, deleted=0, updated_at=now_iso(),
        )
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
        instance, counter = self._stamp(table, row_id, op)
        changed.update(version_instance=instance, version_counter=counter, updated_at=now_iso())
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
        self.conn.executemany(
            "INSERT INTO outbox (table_name, row_id, version_instance, version_counter, op, created_at)"
            " VALUES (?, ?, ?, ?, 'insert', ?)",
            [(table, r["id"], instance, r["version_counter"], stamp) for r in prepared])
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
                 "_at": now_iso()}
        self.conn.execute(
            "INSERT INTO outbox (table_name, row_id, version_instance, version_counter, op, created_at)"
            " SELECT :_table, id, :_instance, :_first - 1 + row_number() OVER (ORDER BY id), 'update',"
            f" :_at {pick}", {**params, **stamp})
        self.conn.execute(
            f"UPDATE {table} SET partition = {target}, version_instance = :_instance,"
            " version_counter = (SELECT o.version_counter FROM outbox o WHERE o.table_name = :_table"
            f" AND o.row_id = {table}.id AND o.version_instance = :_instance"
            " AND o.version_counter >= :_first), updated_at = :_at"
            f" WHERE ({where}) AND {table}.partition IS NOT {target}", {**params, **stamp})
        return n

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
