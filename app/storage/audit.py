"""The audit log's one writer, its chain verification and the check made each time a file opens.

Each entry carries the hash of the one before (app.core.audit_chain). Opening a database verifies
only what was added since the last verified entry (its number and hash are kept in the local
settings); `verify_log` checks everything. The guard triggers are compared with the ones the
migrations make; a missing or altered one is reported, then restored, and the restore is logged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from app.core.audit_chain import GENESIS, AuditEntry, Break, entry_hash, verify_chain
from app.storage.db import transaction
from app.storage.engine import sqlite3
from app.storage.guards import TriggerProblem, describe_problems, restore_triggers, trigger_problems

ANCHOR_KEY = "audit_verified_through"
CHAIN_SCHEMA = 6  # the migration that added the chain
_COLUMNS = "seq, at, username, action, table_name, row_id, detail, prev_hash, hash"


def append(conn: sqlite3.Connection, *, at: str, username: str, action: str,
           table: str | None, row_id: str | None, detail: str) -> None:
    """Write one entry chained to the last one (the only place audit rows are written)."""
    with transaction(conn):
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) < CHAIN_SCHEMA:
            # A file not yet migrated (as the upgrade tests build them): schema 6 chains it.
            conn.execute("INSERT INTO audit_log (at, username, action, table_name, row_id, detail)"
                         " VALUES (?, ?, ?, ?, ?, ?)", (at, username, action, table, row_id, detail))
            return
        row = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        prev = str(row[0]) if row and row[0] else GENESIS
        conn.execute(
            "INSERT INTO audit_log (at, username, action, table_name, row_id, detail, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (at, username, action, table, row_id, detail, prev,
             entry_hash(prev, at, username, action, table, row_id, detail)),
        )


def entries(conn: sqlite3.Connection, after: int = 0) -> Iterator[AuditEntry]:
    """The stored entries numbered above `after`, in storage order."""
    for r in conn.execute(f"SELECT {_COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq", (after,)):
        yield AuditEntry(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], r[5], str(r[6]), r[7], r[8])


def last_written(conn: sqlite3.Connection) -> int:
    """The highest entry number the log ever issued, so entries cut from its end are noticed."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").fetchone()
    return int(row[0]) if row else 0


@dataclass
class LogReport:
    """What a verification found: breaks in the chain and guard triggers found missing/altered."""

    entries: int = 0
    breaks: list[Break] = field(default_factory=list)
    triggers: list[TriggerProblem] = field(default_factory=list)
    restored: bool = False
    restore_error: str = ""

    @property
    def intact(self) -> bool:
        return not self.breaks and not self.triggers

    def warnings(self, *, chain: bool = True) -> list[str]:
        """One Chinese line per finding: the guard triggers first, then the first chain break."""
        lines: list[str] = []
        if self.triggers:
            done = "，已重建并记入审计日志" if self.restored else f"，未能重建（{self.restore_error}）"
            lines.append(f"警告：数据库的防篡改触发器被删除或改动（{describe_problems(self.triggers)}）{done}")
        if self.breaks and chain:
            more = f"（另有 {len(self.breaks) - 1} 处）" if len(self.breaks) > 1 else ""
            lines.append(f"警告：{self.breaks[0].describe()}{more}。"
                         "运行 cunyi audit verify 查看")
        return lines


def verify_log(conn: sqlite3.Connection) -> LogReport:
    """Verify the whole chain from its first entry (`cunyi audit verify`)."""
    try:
        rows = list(entries(conn))
        return LogReport(entries=len(rows), breaks=verify_chain(rows, last_written=last_written(conn)))
    except sqlite3.DatabaseError as exc:
        return LogReport(breaks=[_unreadable(exc)])


def _unreadable(exc: sqlite3.DatabaseError) -> Break:
    """The log table itself was dropped or rebuilt, so no entry can be checked."""
    return Break(1, "", "changed", f"审计日志表本身被删除或改动，无法核验（{exc}）")


def _anchor(conn: sqlite3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (ANCHOR_KEY,)).fetchone()
    if row:
        seq, _, digest = str(row[0]).partition(" ")
        if seq.isdigit() and len(digest) == 64:
            return int(seq), digest
    return 0, GENESIS


def verify_since_anchor(conn: sqlite3.Connection) -> list[Break]:
    """Verify what was added since the last verified entry; the whole log if that one moved."""
    seq, digest = _anchor(conn)
    if seq:
        row = conn.execute("SELECT at, hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        count = conn.execute("SELECT count(*) FROM audit_log WHERE seq <= ?", (seq,)).fetchone()[0]
        if row is None or row[1] != digest or count != seq:
            breaks = verify_log(conn).breaks
            return breaks or [Break(seq, str(row[0]) if row else "", "changed",
                                    "已核验过的记录被改写，整条链被重新计算过")]
        start_at = str(row[0])
    else:
        start_at = ""
    rows = list(entries(conn, after=seq))
    breaks = verify_chain(rows, start_seq=seq, start_hash=digest, start_at=start_at,
                          last_written=last_written(conn))
    if not breaks and rows and rows[-1].hash:
        try:
            with transaction(conn):
                conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key)"
                             " DO UPDATE SET value = excluded.value",
                             (ANCHOR_KEY, f"{rows[-1].seq} {rows[-1].hash}"))
        except sqlite3.OperationalError:
            pass  # a read-only file: verified again from the same place next time
    return breaks


def check_on_open(conn: sqlite3.Connection, username: str, now: str) -> LogReport:
    """The check made on every open: guard triggers (reported, then restored) and the new entries."""
    report = LogReport(triggers=trigger_problems(conn))
    if report.triggers:
        try:
            with transaction(conn):
                restore_triggers(conn, report.triggers)
                append(conn, at=now, username=username, action="restore_guard_triggers",
                       table=None, row_id=None, detail=describe_problems(report.triggers))
            report.restored = True
        except sqlite3.DatabaseError as exc:
            report.restore_error = str(exc)  # read-only, locked, or the table itself is gone
    try:
        report.breaks = verify_since_anchor(conn)
    except sqlite3.DatabaseError as exc:
        report.breaks = [_unreadable(exc)]
    return report
