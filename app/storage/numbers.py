"""The highest numbers this file has handed out, kept so a restored copy never hands them out again.

Numbers are found from the rows that carry them (people.record_no and the former numbers a
renumbering left in people.former_record_nos, contracts.contract_no). A
restore replaces those rows with older ones, so before it does, the highest serials of the file
being replaced are written into `issued_numbers` of the restored copy; allocation takes the larger
of the rows and that table. The table is local to the installation and is not synced.
"""

from __future__ import annotations

from app.core.identity import SERIAL_BLOCK, contract_serial, station_serial_range
from app.storage.engine import sqlite3

TABLE_SQL = """
CREATE TABLE IF NOT EXISTS issued_numbers (
    kind TEXT NOT NULL CHECK (kind IN ('record', 'contract')),
    scope TEXT NOT NULL,
    highest INTEGER NOT NULL,
    PRIMARY KEY (kind, scope)
)"""

Floors = dict[tuple[str, str], int]

# A contract number of today's shape: 12-digit village, station, year, serial.
_CONTRACT_GLOB = "[0-9]" * 12 + "-[1-9]-" + "[0-9]" * 4 + "-[0-9]*"
_CONTRACT_PREFIX_LEN = 20


def record_scope(village_code: str, station: int) -> str:
    return f"{village_code}/{station}"


def floor(conn: sqlite3.Connection, kind: str, scope: str) -> int | None:
    """The highest serial recorded as issued before a restore, or None."""
    if not _has_table(conn, "issued_numbers"):
        return None
    row = conn.execute(
        "SELECT highest FROM issued_numbers WHERE kind = ? AND scope = ?", (kind, scope)).fetchone()
    return int(row[0]) if row else None


def highest_record_serial(conn: sqlite3.Connection, village_code: str, station: int) -> int | None:
    """The highest 档案号 serial of a station in a village, from its people and its floor."""
    low, high = station_serial_range(station)
    row = conn.execute(
        "SELECT max(record_no) FROM people WHERE record_no BETWEEN ? AND ?",
        (f"{village_code}{low:05d}", f"{village_code}{high:05d}"),
    ).fetchone()
    found = [int(row[0][12:])] if row and row[0] else []
    if _has_former(conn):       # numbers a renumbering took away stay taken
        row = conn.execute(
            "SELECT max(j.value) FROM people p, json_each(p.former_record_nos) j"
            " WHERE p.former_record_nos != '[]' AND j.value BETWEEN ? AND ?",
            (f"{village_code}{low:05d}", f"{village_code}{high:05d}"),
        ).fetchone()
        found += [int(row[0][12:])] if row and row[0] else []
    kept = floor(conn, "record", record_scope(village_code, station))
    return max([*found, *([kept] if kept is not None else [])], default=None)


def highest_contract_serial(conn: sqlite3.Connection, prefix: str) -> int | None:
    """The highest serial of the contract numbers under `prefix`, from the rows and the floor."""
    row = conn.execute(
        "SELECT max(CAST(substr(contract_no, ?) AS INTEGER)) FROM contracts"
        " WHERE substr(contract_no, 1, ?) = ? AND contract_no GLOB ?",
        (len(prefix) + 1, len(prefix), prefix, _CONTRACT_GLOB),
    ).fetchone()
    found = [int(row[0])] if row and row[0] is not None else []
    kept = floor(conn, "contract", prefix)
    return max([*found, *([kept] if kept is not None else [])], default=None)


def issued(conn: sqlite3.Connection) -> Floors:
    """Every (kind, scope) this file has handed numbers in, with the highest serial of each."""
    out: Floors = {}

    def keep(key: tuple[str, str], serial: int) -> None:
        out[key] = max(serial, out.get(key, 0))

    if _has_table(conn, "people"):
        numbers = "SELECT record_no AS no FROM people"
        if _has_former(conn):
            numbers += (" UNION ALL SELECT j.value FROM people p, json_each(p.former_record_nos) j"
                        " WHERE p.former_record_nos != '[]'")
        for village, serial in conn.execute(
                "SELECT substr(no, 1, 12), CAST(substr(no, 13) AS INTEGER)"
                f" FROM ({numbers}) WHERE length(no) = 17 AND no GLOB '[0-9]*'"):
            if serial >= 1:
                keep(("record", record_scope(village, (serial - 1) // SERIAL_BLOCK + 1)), serial)
    if _has_table(conn, "contracts"):
        for number, in conn.execute(
                "SELECT contract_no FROM contracts WHERE contract_no GLOB ?", (_CONTRACT_GLOB,)):
            prefix = number[:_CONTRACT_PREFIX_LEN]
            serial = contract_serial(number, prefix)
            if serial is not None:
                keep(("contract", prefix), serial)
    if _has_table(conn, "issued_numbers"):
        for kind, scope, highest in conn.execute("SELECT kind, scope, highest FROM issued_numbers"):
            keep((kind, scope), int(highest))
    return out


def carry(conn: sqlite3.Connection, floors: Floors) -> None:
    """Raise this file's floors to at least `floors` (call inside a transaction)."""
    conn.execute(TABLE_SQL)
    conn.executemany(
        "INSERT INTO issued_numbers (kind, scope, highest) VALUES (?, ?, ?)"
        " ON CONFLICT (kind, scope) DO UPDATE SET highest = max(highest, excluded.highest)",
        [(kind, scope, highest) for (kind, scope), highest in floors.items()],
    )


def _has_former(conn: sqlite3.Connection) -> bool:
    """Whether people keep their former numbers (schema 14 and later)."""
    return any(str(r[1]) == "former_record_nos" for r in conn.execute("PRAGMA table_info(people)"))


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None
