"""The clinic's side of sync in its database: what to send, what the county acknowledged, and
county versions coming in. The decisions are app.sync.merge's; this module reads and writes.

- `outgoing` reads the outbox: one change per row with unacknowledged entries, made on the row's
  base (the county version it was last based on, app/storage/versions.py). A row the county never
  had goes whole; any other row goes as the fields that differ from its base.
- `acknowledge` marks a version as accepted under the county's sequence number.
- `local` tells what a pulled county version lands on: the row here, its county number, and the
  fields changed here since its base that the county has not acknowledged.
- `put` writes a county version in apply mode and puts the still-pending local fields back on top
  as a new local write, so they are pushed again, now based on the county's version; a row that
  names a resident's file merged into another is moved to the kept file the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core.person_merge import PERSON_REFERENCES
from app.storage import person_merge, versions
from app.storage.changes import APPLY_ORDER, SYNCED_TABLES, VERSION_COLUMNS
from app.storage.moved_out import MOVED_KIND, MovedOut, moved_out

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

PULLED_KEY = "sync_pull_cursor"   # settings: where the next pull starts, as the county said
LAST_SYNC_KEY = "sync_last_done"   # settings: when the last sync finished (shown, never compared)


@dataclass(frozen=True)
class Outgoing:
    """A row's unacknowledged change as it goes to the county."""

    table: str
    id: str
    version: tuple[str, int]
    base_seq: int | None
    values: dict[str, Any]
    user: str
    first: int           # the outbox number of the row's first unacknowledged entry


@dataclass(frozen=True)
class Local:
    """What a pulled version lands on."""

    values: dict[str, Any] | None
    server_seq: int | None
    pending: dict[str, Any]


def _references(conn: Any, table: str) -> list[tuple[str, str, str]]:
    """(parent table, column, parent column) of each foreign key of a synced table."""
    return [(str(r[2]), str(r[3]), str(r[4] or "id"))
            for r in conn.execute(f"PRAGMA foreign_key_list({table})")]


def _data(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in VERSION_COLUMNS}


@dataclass(frozen=True)
class Identity:
    """This installation as the county enrolled it (app/storage/migrations/m0015_sync_identity)."""

    instance: str
    server_url: str
    scope: str
    station: int
    private_key: bytes
    public_key: bytes
    certificate: bytes
    county_key: bytes
    enrolled_at: str


@dataclass(frozen=True)
class FieldConflict:
    """A conflict the county recorded for this PC's village, as kept here."""

    id: int
    kind: str
    table: str
    row_id: str
    other_row_id: str | None
    field: str | None
    kept: Any            # the value the record holds (the county's accepted one)
    lost: Any            # the value set aside
    kept_instance: str
    lost_instance: str
    kept_user: str
    lost_user: str
    created_at: str
    resolution: str | None
    resolved_by: str
    sent: bool


class SyncRepo:
    """Reached as `ws.sync`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    @property
    def conn(self) -> Any:
        return self.ws.conn

    def unsynced(self) -> int:
        return versions.unsynced_count(self.conn)

    def identity(self) -> Identity | None:
        """How this installation enrolled; None before it has (or when the file is a copy whose
        instance id has changed since: the county enrolled the other PC's instance)."""
        row = self.conn.execute(
            "SELECT s.* FROM sync_identity s JOIN local_instance l ON l.instance_id = s.instance_id"
        ).fetchone()
        if row is None:
            return None
        return Identity(row["instance_id"], row["server_url"], row["scope"], int(row["station"]),
                        bytes(row["private_key"]), bytes(row["public_key"]), bytes(row["certificate"]),
                        bytes(row["county_key"]), row["enrolled_at"])

    def enrolled_elsewhere(self) -> bool:
        """The file holds an enrolment for another instance: it was copied from an enrolled PC."""
        return self.identity() is None and self.conn.execute(
            "SELECT 1 FROM sync_identity").fetchone() is not None

    def set_identity(self, identity: Identity) -> None:
        """Keep the enrolment (inside a transaction); replaces an earlier one."""
        self.conn.execute(
            "INSERT OR REPLACE INTO sync_identity (only_row, instance_id, server_url, scope, station,"
            " private_key, public_key, certificate, county_key, enrolled_at)"
            " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (identity.instance, identity.server_url, identity.scope, identity.station,
             identity.private_key, identity.public_key, identity.certificate, identity.county_key,
             identity.enrolled_at))

    def outgoing(self, *, after: int = 0, limit: int = 500) -> list[Outgoing]:
        """The next `limit` changed rows whose first unacknowledged entry is after outbox `after`.

        Rows come in the order of their first pending entry, so a parent made before its child is
        sent before it, and paging with `after = last.first` visits every row once.
        """
        heads = self.conn.execute(
            "SELECT o.table_name, o.row_id, o.seq, o.op FROM outbox o"
            " WHERE o.state != 'synced' AND o.seq > ? AND o.seq = (SELECT min(i.seq) FROM outbox i"
            " WHERE i.table_name = o.table_name AND i.row_id = o.row_id AND i.state != 'synced')"
            " ORDER BY o.seq LIMIT ?", (after, limit)).fetchall()
        wanted: dict[str, list[str]] = {}
        for table, row_id, _, _ in heads:
            if table in SYNCED_TABLES:
                wanted.setdefault(table, []).append(row_id)
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        users: dict[tuple[str, str], str] = {}
        for table, ids in wanted.items():
            listed = json.dumps(ids)
            for r in self.conn.execute(
                    f"SELECT * FROM {table} WHERE id IN (SELECT value FROM json_each(?))", (listed,)):
                rows[(table, r["id"])] = dict(r)
            # the user of each row's latest pending entry (SQLite takes the bare column from the
            # row holding the max)
            for row_id, username, _ in self.conn.execute(
                    "SELECT row_id, username, max(seq) FROM outbox WHERE table_name = ?"
                    " AND state != 'synced' AND row_id IN (SELECT value FROM json_each(?))"
                    " GROUP BY row_id", (table, listed)):
                users[(table, row_id)] = str(username or "")
        out = []
        for table, row_id, first, first_op in heads:
            values = rows.get((table, row_id))
            if values is None:
                continue
            base = None if first_op == "insert" else versions.base(self.conn, table, row_id)
            if base is None:
                changes = {k: v for k, v in values.items()
                           if k not in VERSION_COLUMNS or k == "updated_at"}
            else:
                old = base.values
                changes = {k: v for k, v in _data(values).items() if old.get(k) != v}
                changes["updated_at"] = values["updated_at"]
            out.append(Outgoing(
                table, row_id, (str(values["version_instance"]), int(values["version_counter"])),
                None if base is None else base.server_seq, changes, users.get((table, row_id), ""),
                int(first)))
        return out

    def acknowledge(self, table: str, row_id: str, version: tuple[str, int], server_seq: int) -> int:
        """The county accepted `version` of a row as its number `server_seq` (inside a transaction)."""
        return versions.acknowledge(self.conn, table, row_id, version, server_seq)

    def acknowledge_many(self, table: str, acks: list[tuple[str, tuple[str, int], int]]) -> int:
        """`acknowledge` for many rows of a table: (row id, version, server_seq) each."""
        return versions.acknowledge_many(self.conn, table, acks)

    def local(self, table: str, row_id: str) -> Local:
        row = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            return Local(None, None, {})
        values = dict(row)
        seq = values["server_seq"]
        if not self.conn.execute(
                "SELECT 1 FROM outbox WHERE table_name = ? AND row_id = ? AND state != 'synced'",
                (table, row_id)).fetchone():
            return Local(_data(values), seq, {})
        base = versions.base(self.conn, table, row_id)
        old = {} if base is None else base.values
        pending = {k: v for k, v in _data(values).items() if base is None or old.get(k) != v}
        return Local(_data(values), seq, pending)

    def put(self, table: str, row: Mapping[str, Any], *, pending: Mapping[str, Any] | None = None) -> None:
        """Write the county's version of a row (with its id, version and `server_seq`), then this
        PC's still-pending fields on top as a new local write. Call inside a transaction."""
        if not self.conn.in_transaction:
            raise RuntimeError("put must run inside a transaction")
        with self.ws.tracker.applying():
            self.ws.tracker.apply(table, row)
        if pending:
            self.ws.tracker.update(table, str(row["id"]), dict(pending))
        if table == "people":
            self.ws.people._reindex(str(row["id"]))
        self._follow_merge(table, row)

    def _follow_merge(self, table: str, row: Mapping[str, Any]) -> None:
        """A merge made on another PC reaches rows here that still name the merged file (typed
        before the merge arrived, or pulled from a third PC): they move to the kept file, as
        local edits pushed like any other (app.storage.person_merge.follow)."""
        if table == "people":
            if row.get("deleted") and row.get("merged_into"):
                person_merge.follow(self.ws, str(row["id"]), str(row["merged_into"]))
            return
        column = PERSON_REFERENCES.get(table)
        named = row.get(column) if column else None
        if named and not row.get("deleted"):
            into = person_merge.merged_into(self.conn, str(named))
            if into:
                person_merge.follow(self.ws, str(named), into)

    @staticmethod
    def order(table: str) -> int:
        """Where a table's rows go when applying: parents first."""
        return APPLY_ORDER.index(table)

    def last_sync(self) -> str:
        return self.ws.settings.get(LAST_SYNC_KEY)

    def note_done(self) -> None:
        """Remember when a sync finished, for people to read (nothing compares it)."""
        import datetime as dt

        with self.ws.transaction():
            self.ws.settings.set(**{LAST_SYNC_KEY: dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})

    def pull_cursor(self) -> str:
        return self.ws.settings.get(PULLED_KEY, "")

    def set_pull_cursor(self, cursor: str) -> None:
        self.ws.settings.set(**{PULLED_KEY: cursor})

    def missing_parent(self, table: str, row: Mapping[str, Any]) -> bool:
        """Whether a row points to a row this PC does not have (it came before its parent)."""
        for ref in _references(self.conn, table):
            value = row.get(ref[1])
            if value is not None and self.conn.execute(
                    f"SELECT 1 FROM {ref[0]} WHERE {ref[2]} = ?", (value,)).fetchone() is None:
                return True
        return False

    def settled(self, table: str, ids: list[str]) -> tuple[dict[str, int | None], set[str]]:
        """For rows of `table` by id: the county number of those held here ({id: server_seq}),
        and which have changes here the county has not acknowledged."""
        listed = json.dumps(ids)
        held = {str(r[0]): (None if r[1] is None else int(r[1])) for r in self.conn.execute(
            f"SELECT id, server_seq FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
            (listed,))}
        pending = {str(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT row_id FROM outbox WHERE table_name = ? AND state != 'synced'"
            " AND row_id IN (SELECT value FROM json_each(?))", (table, listed))}
        return held, pending

    def orphans(self, table: str, rows: Sequence[Mapping[str, Any]]) -> set[str]:
        """The ids of those rows that point to a row this PC does not have: `missing_parent` for
        many rows of one table, one statement per reference."""
        out: set[str] = set()
        for parent, column, key in _references(self.conn, table):
            wanted = sorted({str(r[column]) for r in rows if r.get(column) is not None})
            if not wanted:
                continue
            present = {str(v[0]) for v in self.conn.execute(
                f"SELECT {key} FROM {parent} WHERE {key} IN (SELECT value FROM json_each(?))",
                (json.dumps(wanted),))}
            out |= {str(r["id"]) for r in rows
                    if r.get(column) is not None and str(r[column]) not in present}
        return out

    def put_many(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """`put` for county versions of rows with nothing pending here, in one apply block."""
        if not rows:
            return
        if not self.conn.in_transaction:
            raise RuntimeError("put must run inside a transaction")
        with self.ws.tracker.applying():
            for row in rows:
                self.ws.tracker.apply(table, row)
        for row in rows:
            if table == "people":
                self.ws.people._reindex(str(row["id"]))
            self._follow_merge(table, row)

    def park(self, table: str, row: Mapping[str, Any]) -> None:
        """Keep a county row whose parent has not arrived yet, to be put when it has."""
        self.conn.execute(
            "INSERT INTO sync_parked (table_name, row_id, server_seq, row) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (table_name, row_id) DO UPDATE SET server_seq = excluded.server_seq,"
            " row = excluded.row WHERE excluded.server_seq > sync_parked.server_seq",
            (table, row["id"], row["server_seq"], json.dumps(dict(row), ensure_ascii=False)))

    def parked(self) -> list[tuple[str, dict[str, Any]]]:
        """Parked rows, parents' tables first."""
        rows = [(t, json.loads(r)) for t, r in self.conn.execute(
            "SELECT table_name, row FROM sync_parked ORDER BY server_seq")]
        return sorted(rows, key=lambda tr: APPLY_ORDER.index(tr[0]))

    def unpark(self, table: str, row_id: str) -> None:
        self.conn.execute("DELETE FROM sync_parked WHERE table_name = ? AND row_id = ?", (table, row_id))

    # --- the county's conflicts --------------------------------------------------------------

    def put_conflict(self, note: Mapping[str, Any]) -> None:
        """Keep a conflict as the county sent it (inside a transaction); a resolution made here and
        not yet sent is not overwritten by an older answer."""
        kept_v, lost_v = note.get("kept_version") or {}, note.get("lost_version") or {}
        self.conn.execute(
            "INSERT INTO sync_conflicts (id, server_seq, kind, table_name, row_id, other_row_id, field,"
            " partition, kept, lost, kept_instance, kept_counter, lost_instance, lost_counter,"
            " kept_user, lost_user, created_at, resolution, resolved_by, sent)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
            " ON CONFLICT (id) DO UPDATE SET server_seq = excluded.server_seq,"
            " resolution = excluded.resolution, resolved_by = excluded.resolved_by, sent = 1"
            " WHERE excluded.server_seq > sync_conflicts.server_seq AND (sync_conflicts.sent = 1"
            " OR excluded.resolution IS NOT NULL)",
            (note["id"], note["server_seq"], note["kind"], note["table"], note["row_id"],
             note.get("other_row_id"), note["field"],
             note["partition"], json.dumps(note["kept"], ensure_ascii=False),
             json.dumps(note["lost"], ensure_ascii=False), kept_v.get("instance", ""),
             kept_v.get("counter"), lost_v.get("instance", ""), lost_v.get("counter"),
             note.get("kept_user", ""), note.get("lost_user", ""), note["created_at"],
             note.get("resolution"), note.get("resolved_by", "")))

    def conflicts(self, *, open_only: bool = True) -> list[FieldConflict]:
        sql = f"SELECT * FROM sync_conflicts WHERE kind != '{MOVED_KIND}'"   # notices: moved_out
        if open_only:
            sql += " AND resolution IS NULL"
        return [FieldConflict(
            int(r["id"]), r["kind"], r["table_name"], r["row_id"], r["other_row_id"], r["field"],
            json.loads(r["kept"]),
            json.loads(r["lost"]), r["kept_instance"], r["lost_instance"], r["kept_user"],
            r["lost_user"], r["created_at"], r["resolution"], r["resolved_by"], bool(r["sent"]))
            for r in self.conn.execute(sql + " ORDER BY id")]

    def conflict(self, conflict_id: int) -> FieldConflict:
        from app.core.errors import NotFoundError

        found = [c for c in self.conflicts(open_only=False) if c.id == conflict_id]
        if not found:
            raise NotFoundError(f"没有编号为 {conflict_id} 的冲突")
        return found[0]

    def resolve(self, conflict_id: int, choice: str, value: Any = None) -> FieldConflict:
        """Resolve a conflict here: the record's field takes the kept value, the value set aside,
        or a new one (a tracked write, pushed like any other); the choice goes to the county at
        the next sync."""
        from app.core.errors import ConflictError

        c = self.conflict(conflict_id)
        if c.resolution is not None:
            raise ConflictError(f"冲突 {conflict_id} 已经处理过了（{c.resolution}）")
        chosen = {"kept": c.kept, "lost": c.lost, "value": value}[choice]
        with self.ws.transaction():
            if c.field and c.kind == "field" and choice != "kept":
                self.ws.tracker.update(c.table, c.row_id, {c.field: chosen})
            self.conn.execute("UPDATE sync_conflicts SET resolution = ?, resolved_by = ?, sent = 0"
                              " WHERE id = ?", (choice, self.ws.user, conflict_id))
            self.ws.audit("resolve_conflict", table=c.table, row_id=c.row_id,
                          detail=json.dumps({"conflict": conflict_id, "field": c.field,
                                             "choice": choice, "value": chosen}, ensure_ascii=False))
        return self.conflict(conflict_id)

    def unsent_resolutions(self) -> list[tuple[int, str, str]]:
        """(county id, choice, user) of resolutions made here the county has not had yet."""
        return [(int(r[0]), str(r[1]), str(r[2])) for r in self.conn.execute(
            "SELECT id, resolution, resolved_by FROM sync_conflicts WHERE sent = 0 ORDER BY id")]

    def pending_fields(self, table: str, row_id: str) -> list[str]:
        """The fields of a row's unacknowledged outbox entries (for messages and tests)."""
        names: set[str] = set()
        for (fields,) in self.conn.execute(
                "SELECT fields FROM outbox WHERE table_name = ? AND row_id = ? AND state != 'synced'",
                (table, row_id)):
            names |= set(json.loads(fields or "{}"))
        return sorted(names)

    def moved_out(self, household_id: str | None = None) -> list[MovedOut]:
        """Households the county says moved to a village outside this PC's scope, with this PC's
        changes to them the county no longer takes (app.storage.moved_out)."""
        me = self.identity()
        return moved_out(self.conn, me.scope if me else self.ws.settings.division_code, household_id)
