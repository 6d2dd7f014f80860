"""Schema 4: medical claims (就医结算), append-only; a reversal (冲账) is a row that names another.

Number 3 is taken by the follow-up tables of another branch; this migration depends only on
schema 2 (people, households).
"""

from __future__ import annotations

from app.storage.engine import sqlite3
from app.storage.migrations.tracking import SYNC_COLUMNS_SQL, install_tracking

SYNCED_TABLES = ("claims",)

# Money is decimal text to the fen. `fees` and `paid` are JSON objects of decimal text (fee
# category → amount; layer name → amount as printed on the slip); `categories` a JSON list.
# `settled_year` (the discharge year) is kept on the row so a year's list is one index scan; the
# village group is the person's household's, joined when listing (households_village index).
# Several reversals of one claim (made offline on two PCs) are tolerated: the first one counts.
SQL = f"""
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    source TEXT NOT NULL CHECK (source IN ('结算单', '预估')),
    episode TEXT NOT NULL CHECK (episode IN ('住院', '门诊', '门诊慢特病')),
    hospital TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL,
    scope TEXT NOT NULL,
    referred INTEGER NOT NULL DEFAULT 0,
    admitted TEXT NOT NULL,
    discharged TEXT NOT NULL,
    settled_year INTEGER NOT NULL,
    diagnosis TEXT NOT NULL DEFAULT '',
    disease TEXT NOT NULL DEFAULT '',
    total TEXT NOT NULL,
    out_of_catalogue TEXT NOT NULL DEFAULT '0.00',
    fees TEXT NOT NULL DEFAULT '{{}}',
    paid TEXT NOT NULL DEFAULT '{{}}',
    self_pay TEXT,
    categories TEXT NOT NULL DEFAULT '[]',
    county TEXT NOT NULL DEFAULT '',
    settlement_no TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    entered_by TEXT NOT NULL DEFAULT '',
    entered_on TEXT NOT NULL,
    reverses TEXT REFERENCES claims (id),
    reason TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX claims_person_year ON claims (person_id, settled_year, discharged);
CREATE INDEX claims_year ON claims (settled_year, discharged);
CREATE INDEX claims_reverses ON claims (reverses) WHERE reverses IS NOT NULL;
CREATE INDEX claims_settlement_no ON claims (settlement_no) WHERE settlement_no != ''
"""


def up(conn: sqlite3.Connection) -> None:
    for statement in filter(str.strip, SQL.split(";\n")):
        conn.execute(statement)
    for table in SYNCED_TABLES:
        conn.execute(f"CREATE INDEX {table}_unsynced ON {table} (server_seq) WHERE server_seq IS NULL")
        install_tracking(conn, table)
