"""The merge base of synced rows: what the county last acknowledged, recovered from the outbox.

`server_seq` on a row is the county's sequence number of the row's version the county last
accepted (the row's base): a pull cursor, set by `acknowledge` or by applying a row the county
sent, never a "synced" flag. What is unsynced is the outbox: entries not yet acknowledged
(`state != 'synced'`). A row's base is the row itself when it has no such entries; otherwise it
is the row with those entries undone, newest first, from the values each kept in `prior`. A row
whose unacknowledged entries start with its insert has no base: the county never had it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.storage.changes import SYNCED_TABLES
from app.storage.engine import sqlite3


@dataclass(frozen=True)
class Base:
    """A row as the county last acknowledged it: its stored values, version and county number."""

    values: dict[str, Any]
    version: tuple[str, int]
    server_seq: int | None


def _check(table: str) -> None:
    if table not in SYNCED_TABLES:
        raise ValueError(f"{table} is not a synced table")


def acknowledge(conn: sqlite3.Connection, table: str, row_id: str, version: tuple[str, int],
                server_seq: int) -> int:
    """The county accepted this PC's `version` of a row as its number `server_seq`.

    That entry and every earlier unacknowledged entry of the row are marked acknowledged, and
    the row's `server_seq` moves up to it; later local edits stay pending on top of the new base.
    Returns how many entries were acknowledged (0 when this was known already). Call inside a
    transaction.
    """
    _check(table)
    if not conn.in_transaction:
        raise RuntimeError("acknowledge must run inside a transaction")
    entry = conn.execute(
        "SELECT seq FROM outbox WHERE table_name = ? AND row_id = ? AND version_instance = ?"
        " AND version_counter = ?", (table, row_id, version[0], version[1])).fetchone()
    if entry is None:
        raise KeyError(f"{table}/{row_id} has no outbox entry for version {version}")
    done = conn.execute(
        "UPDATE outbox SET state = 'synced', acked_seq = ? WHERE table_name = ? AND row_id = ?"
        " AND state != 'synced' AND seq <= ?", (server_seq, table, row_id, entry[0])).rowcount
    conn.execute(f"UPDATE {table} SET server_seq = ? WHERE id = ?"
                 " AND (server_seq IS NULL OR server_seq < ?)", (server_seq, row_id, server_seq))
    return int(done)


def acknowledge_many(conn: sqlite3.Connection, table: str,
                     acks: list[tuple[str, tuple[str, int], int]]) -> int:
    """`acknowledge` for many rows of one table at once: (row id, version, server_seq) each.

    The same effect, with a few statements for the lot; a version with no outbox entry fails the
    whole call before anything is written."""
    _check(table)
    if not conn.in_transaction:
        raise RuntimeError("acknowledge must run inside a transaction")
    if not acks:
        return 0
    wanted = json.dumps([[row_id, v[0], v[1], seq] for row_id, v, seq in acks])
    entries = conn.execute(
        "SELECT o.seq, o.row_id, j.value ->> 3 FROM json_each(?) j JOIN outbox o"
        " ON o.version_instance = j.value ->> 1 AND o.version_counter = j.value ->> 2"
        " AND o.table_name = ? AND o.row_id = j.value ->> 0", (wanted, table)).fetchall()
    if len(entries) != len(acks):
        found = {str(r[1]) for r in entries}
        missing = next(a for a in acks if a[0] not in found)
        raise KeyError(f"{table}/{missing[0]} has no outbox entry for version {missing[1]}")
    done = conn.executemany(
        "UPDATE outbox SET state = 'synced', acked_seq = ? WHERE table_name = ? AND row_id = ?"
        " AND state != 'synced' AND seq <= ?",
        [(int(server_seq), table, row_id, seq) for seq, row_id, server_seq in entries]).rowcount
    conn.executemany(f"UPDATE {table} SET server_seq = ? WHERE id = ?"
                     " AND (server_seq IS NULL OR server_seq < ?)",
                     [(int(server_seq), row_id, int(server_seq)) for _, row_id, server_seq in entries])
    return int(done)


def base(conn: sqlite3.Connection, table: str, row_id: str) -> Base | None:
    """The row as the county last acknowledged it (or as it was applied here); None if never."""
    _check(table)
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if row is None:
        raise KeyError(f"{table}/{row_id}")
    values = dict(row)
    seq = values.pop("server_seq")
    for op, prior in conn.execute(
            "SELECT op, prior FROM outbox WHERE table_name = ? AND row_id = ? AND state != 'synced'"
            " ORDER BY seq DESC", (table, row_id)):
        if op == "insert" or prior is None:      # never acknowledged, or written before schema 10
            return None
        values.update(json.loads(prior))
    return Base(values, (str(values["version_instance"]), int(values["version_counter"])),
                None if seq is None else int(seq))


def unsynced_count(conn: sqlite3.Connection) -> int:
    """Outbox entries the county has not acknowledged: the changes still to send."""
    return int(conn.execute("SELECT count(*) FROM outbox WHERE state != 'synced'").fetchone()[0])


def unsynced_in_file(path: object) -> int:
    """Unacknowledged changes in a closed database file of an enrolled PC (0 when it cannot be
    read or never enrolled): what a restore or a replacement would take out of the county's reach."""
    from app.storage.db import connect_read_only

    try:
        conn = connect_read_only(str(path))
    except Exception:          # a damaged or missing file has nothing to warn about
        return 0
    try:
        enrolled = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_identity'").fetchone()
        if not enrolled or not conn.execute("SELECT 1 FROM sync_identity").fetchone():
            return 0
        return unsynced_count(conn)
    except sqlite3.DatabaseError:
        return 0
    finally:
        conn.close()


def enrolled_in_file(path: object) -> bool:
    """Whether a database file (open elsewhere or closed) holds this installation's enrolment."""
    from app.storage.db import connect_read_only

    try:
        conn = connect_read_only(str(path))
    except Exception:          # a damaged or missing file is not enrolled as far as anyone can tell
        return False
    try:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_identity'").fetchone() is not None \
            and conn.execute("SELECT 1 FROM sync_identity s JOIN local_instance l"
                             " ON l.instance_id = s.instance_id").fetchone() is not None
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
