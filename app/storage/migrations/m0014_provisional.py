"""Schema 14: 档案号 are provisional until the county confirms this installation's station.

- `people.record_issuer`: the instance id that issued the row's number ('' for numbers from
  before this schema and numbers typed or imported as they were). Synced, so every PC knows whose
  block a number came from.
- `people.record_provisional`: 1 while the issuer's station is not confirmed by the county.
  Synced: another PC's provisional numbers may repeat one of this file's, and are settled by
  their issuer when the county answers it.
- `people.former_record_nos`: the numbers the person had before a renumbering (a JSON list,
  oldest first). Synced; searched and resolved like the current number, so printed QR codes
  still find the person.
- `station_confirmation`: local, not synced, at most one row: the station the county confirmed
  for this installation, who recorded the answer and when. No row: the station in
  `local_instance` is the one typed at `cunyi init`, and the numbers issued under it are
  provisional (app.storage.record_numbers).
- `people_record_no` stays unique, but over confirmed numbers only, so a row another PC issued
  provisionally is applied even when its number repeats one here; `people_record_lookup` is the
  plain index every lookup by number uses; `people_renumbered` lists the few renumbered people,
  whose former numbers are looked up and counted as issued.

A file from before this schema was in use on one PC, the village's only one: its numbers cannot
repeat another PC's, and have been printed and reported under the old rules. They stay as they
are, confirmed, and so does the station it was set up with: the migration records that station
as confirmed ("升级时沿用"), so nothing is renumbered and the county learns the station at
enrolment. A new file (no `local_instance` row yet) starts unconfirmed.
"""

from __future__ import annotations

from app.storage.changes import now_iso
from app.storage.engine import sqlite3

CONFIRMATION_SQL = """
CREATE TABLE IF NOT EXISTS station_confirmation (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    station INTEGER NOT NULL CHECK (station BETWEEN 1 AND 9),
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL
)"""
CARRIED_OVER = "升级时沿用"


def up(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE people ADD COLUMN record_issuer TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE people ADD COLUMN record_provisional INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE people ADD COLUMN former_record_nos TEXT NOT NULL DEFAULT '[]'")
    conn.execute(CONFIRMATION_SQL)
    row = conn.execute("SELECT station FROM local_instance").fetchone()
    if row is not None:
        conn.execute("INSERT INTO station_confirmation (only_row, station, confirmed_by, confirmed_at)"
                     " VALUES (1, ?, ?, ?)", (int(row[0]), CARRIED_OVER, now_iso()))
    conn.execute("DROP INDEX IF EXISTS people_record_no")
    conn.execute("CREATE UNIQUE INDEX people_record_no ON people (record_no)"
                 " WHERE record_provisional = 0")
    conn.execute("CREATE INDEX people_record_lookup ON people (record_no)")
    conn.execute("CREATE INDEX people_renumbered ON people (record_no) WHERE former_record_nos != '[]'")
