"""Schema 17: configuration the county sent (service packages, policy packs, rule settings).

One row per item in force here, as the county signed it (`id` and `version` are the county's; the
signature is kept to show where it came from). A newer item of the same kind, key and scope
replaces the row; a withdrawn one deletes it. `value` is a setting's value (NULL for the other
kinds), so a setting can be read without parsing the body. The highest version applied is the
setting `county_config_version`. Local and never pushed: the county is the only writer.
"""

from __future__ import annotations

from app.storage.engine import sqlite3

SQL = """
CREATE TABLE IF NOT EXISTS county_config (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('service_package', 'policy_pack', 'setting')),
    key TEXT NOT NULL,
    scope TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    value TEXT,
    published_at TEXT NOT NULL,
    signature TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    UNIQUE (kind, key, scope)
);
"""


def up(conn: sqlite3.Connection) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            conn.execute(statement)
