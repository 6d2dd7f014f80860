"""Schema 12: the same resident, or the same household, registered on two PCs is a conflict.

Until now `people_id_no` and `households_no` were unique indexes, so applying another PC's
person with a resident ID already on file here (or its household under a 户编号 already used in
the village) failed the whole write. Entry on one PC still refuses a second person with the same
ID and a second household with the same number (app.storage.people / households check first);
across PCs both rows are kept and `app.storage.conflicts.detect` reports the pair as a possible
duplicate, to be merged by a person, never by the index.
"""

from __future__ import annotations

from app.storage.engine import sqlite3


def up(conn: sqlite3.Connection) -> None:
    conn.execute("DROP INDEX IF EXISTS people_id_no")
    conn.execute("CREATE INDEX people_id_no ON people (id_type, id_no) WHERE id_no != '' AND deleted = 0")
    conn.execute("DROP INDEX IF EXISTS households_no")
    conn.execute("CREATE INDEX households_no ON households (village_code, household_no)"
                 " WHERE household_no != '' AND deleted = 0")
