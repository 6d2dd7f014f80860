"""This installation's block of 档案号 and the county's answer about it: `workspace.record_numbers`.

Until the county confirms the station (enrolment; today `cunyi numbers confirm`), every number
this installation allocates is provisional (`people.record_provisional = 1`, `record_issuer` its
instance id). The county's answer settles them in one transaction, through the tracked path:
a provisional number inside the confirmed block that no confirmed number holds is confirmed as it
is; any other is renumbered into the block after the highest serial ever issued there (rows,
former numbers and the floors a restore carried), the old number appended to the person's
`former_record_nos`, so search and QR-code lookups still find the person by it. Other PCs'
provisional rows are theirs to settle and are left alone. See DOMAIN.md, rule 2.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.core.errors import ConflictError
from app.core.identity import (
    contract_no_prefix,
    health_record_no,
    next_contract_no,
    settle_serials,
    station_serial_range,
)
from app.core.users import check_may_confirm_station
from app.storage import numbers
from app.storage.changes import Changes, now_iso
from app.storage.engine import sqlite3
from app.storage.people import reindex_person
from app.storage.users import SYSTEM_USER

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

# The rows whose numbers this installation issued: under its instance id now or an earlier one
# of its own (a restore gives the file a new id and keeps the old ones in instance_history). A
# file copied from another PC took a new id then (app.storage.device): the ids before that copy
# were the other PC's, and so are the numbers they issued.
OWN_ISSUER = ("(record_issuer IN (SELECT instance_id FROM instance_history WHERE rowid >="
              " coalesce((SELECT max(rowid) FROM instance_history WHERE reason = 'copied from another PC'), 0))"
              " OR record_issuer = (SELECT instance_id FROM local_instance))")
AUDIT_BATCH = 200     # renumberings named in one audit entry


@dataclass(frozen=True)
class Block:
    """This installation's serial block and how far it has been used."""

    station: int
    first: int                 # the block's first and last serial
    last: int
    confirmed: bool            # the county has confirmed the station
    confirmed_by: str = ""
    confirmed_at: str = ""
    issued: int = 0            # numbers this installation issued (its rows, deleted ones too)
    provisional: int = 0       # of which still provisional


@dataclass(frozen=True)
class Confirmation:
    """What confirming a station did."""

    station: int
    kept: int = 0                                   # provisional numbers confirmed as they were
    renumbered: list[tuple[str, str, str]] = field(default_factory=list)  # (person id, old, new)
    changes: Changes = field(default_factory=Changes)


def confirmation(conn: sqlite3.Connection) -> tuple[int, str, str] | None:
    """(station, by, at) the county confirmed for this file, or None (also before schema 14)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                    " AND name = 'station_confirmation'").fetchone() is None:
        return None
    row = conn.execute("SELECT station, confirmed_by, confirmed_at FROM station_confirmation").fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


def carry_confirmation(conn: sqlite3.Connection, answer: tuple[int, str, str] | None) -> None:
    """Give a restored copy the county's answer the file it replaces had (call in a transaction):
    the station is the installation's, not the data's; the copy's provisional numbers are
    settled by the next `confirm` with that station."""
    if answer is None or confirmation(conn) is not None or conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'station_confirmation'").fetchone() is None:
        return
    station, by, at = answer
    conn.execute("INSERT INTO station_confirmation (only_row, station, confirmed_by, confirmed_at)"
                 " VALUES (1, ?, ?, ?)", (station, by, at))
    conn.execute("UPDATE local_instance SET station = ?", (station,))


class RecordNumbersRepo:
    """The installation's 档案号 block and its confirmation: `workspace.record_numbers`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def confirmed(self) -> bool:
        return confirmation(self.ws.conn) is not None

    def block(self) -> Block:
        station = self.ws.station
        first, last = station_serial_range(station)
        answer = confirmation(self.ws.conn)
        issued, provisional = self.ws.conn.execute(
            f"SELECT count(*), coalesce(sum(record_provisional), 0) FROM people WHERE {OWN_ISSUER}"
        ).fetchone()
        return Block(station=station, first=first, last=last, confirmed=answer is not None,
                     confirmed_by=answer[1] if answer else "", confirmed_at=answer[2] if answer else "",
                     issued=int(issued), provisional=int(provisional))

    def confirm(self, station: int, *, by: str) -> Confirmation:
        """Record the county's answer: this installation's station is `station`.

        Each provisional number this installation issued is confirmed, or renumbered into the
        block (see the module's docstring), with one audit entry per batch of renumberings.
        All in one transaction; confirming again with the same station changes nothing, with
        another one is refused (the county's answer, once recorded, is not changed here).
        """
        first, last = station_serial_range(station)
        if self.ws.user != SYSTEM_USER:
            check_may_confirm_station(self.ws.users.acting())
        conn = self.ws.conn
        changes = Changes()
        renumbered: list[tuple[str, str, str]] = []
        kept = 0
        with self.ws.transaction():
            answer = confirmation(conn)
            if answer is not None and answer[0] != station:
                raise ConflictError(f"本机的机位号已由县里确认为 {answer[0]}，不能改为 {station}",
                                    field="station")
            if answer is None:
                guessed = self.ws.station
                conn.execute(
                    "INSERT INTO station_confirmation (only_row, station, confirmed_by, confirmed_at)"
                    " VALUES (1, ?, ?, ?)", (station, by, now_iso()))
                conn.execute("UPDATE local_instance SET station = ?", (station,))
                self.ws.audit("confirm_station", detail=json.dumps(
                    {"station": station, "block": [first, last], "by": by}, ensure_ascii=False))
            by_village: dict[str, list[sqlite3.Row]] = defaultdict(list)
            for row in conn.execute(
                    "SELECT id, record_no, former_record_nos FROM people"
                    f" WHERE record_provisional = 1 AND {OWN_ISSUER} ORDER BY record_no, id"):
                by_village[row["record_no"][:12]].append(row)
            for village, rows in sorted(by_village.items()):
                moved = self._settle(village, rows, station, changes)
                kept += len(rows) - len(moved)
                renumbered.extend(moved)
            if answer is None and guessed != station:
                self._renumber_contracts(guessed, station, changes)
            for start in range(0, len(renumbered), AUDIT_BATCH):
                batch = renumbered[start:start + AUDIT_BATCH]
                self.ws.audit("renumber_records", table="people", detail=json.dumps(
                    {"station": station, "renumbered": [[old, new] for _, old, new in batch]},
                    ensure_ascii=False))
        return Confirmation(station=station, kept=kept, renumbered=renumbered, changes=changes)

    def _renumber_contracts(self, guessed: int, station: int, changes: Changes) -> None:
        """Contracts this installation signed under the station it guessed take the county's.

        Their numbers carry the station (`village-station-year-serial`); two PCs that guessed the
        same station may have issued the same ones. Each moves to the next serial of its village
        and year under the confirmed station, through the tracked path; the old number is noted
        in the audit log, where a lookup by it still finds the contract.
        """
        conn = self.ws.conn
        own = OWN_ISSUER.replace("record_issuer", "o.version_instance")
        rows = conn.execute(
            "SELECT c.id, c.contract_no FROM contracts c WHERE EXISTS (SELECT 1 FROM outbox o"
            f" WHERE o.table_name = 'contracts' AND o.row_id = c.id AND o.op = 'insert' AND {own})"
            " ORDER BY c.contract_no, c.id").fetchall()
        for row_id, number in rows:
            parts = str(number).split("-")
            if len(parts) != 4 or parts[1] != str(guessed) or not parts[2].isdigit():
                continue
            village, year = parts[0], int(parts[2])
            prefix = contract_no_prefix(village, station, year)
            new = next_contract_no(village, station, year, numbers.highest_contract_serial(conn, prefix))
            self.ws.tracker.update("contracts", row_id, {"contract_no": new})
            changes.add("contracts", row_id)
            self.ws.audit("renumber_contract", table="contracts", row_id=row_id,
                          detail=json.dumps({"from": number, "to": new}, ensure_ascii=False))

    def _settle(self, village: str, rows: list[sqlite3.Row], station: int,
                changes: Changes) -> list[tuple[str, str, str]]:
        """Confirm or renumber one village's provisional rows of this installation."""
        conn = self.ws.conn
        first, last = station_serial_range(station)
        taken = {int(r[0][12:]) for r in conn.execute(
            "SELECT record_no FROM people WHERE record_provisional = 0 AND record_no BETWEEN ? AND ?",
            (f"{village}{first:05d}", f"{village}{last:05d}"))}
        serials = [int(r["record_no"][12:]) for r in rows]
        settled = settle_serials(station, serials, taken,
                                 numbers.highest_record_serial(conn, village, station))
        moved = []
        for row, old, new in zip(rows, serials, settled, strict=True):
            values: dict[str, object] = {"record_provisional": 0}
            if new != old:
                number = health_record_no(village, new)
                former = json.loads(row["former_record_nos"] or "[]")
                values.update(record_no=number, former_record_nos=[*former, row["record_no"]])
                moved.append((str(row["id"]), str(row["record_no"]), number))
            self.ws.tracker.update("people", str(row["id"]), values)
            changes.add("people", str(row["id"]))
            if new != old:
                reindex_person(conn, str(row["id"]))
        return moved
