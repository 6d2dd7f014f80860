"""Schema 1: instance, outbox, divisions, households and their history, people, diagnoses, users, audit."""

from __future__ import annotations

from app.storage.engine import sqlite3
from app.storage.migrations.tracking import SYNC_COLUMNS_SQL, install_tracking

SYNCED_TABLES = (
    "divisions", "households", "poverty_events", "help_persons", "people", "diagnoses",
)

LOCAL_SQL = """
CREATE TABLE local_instance (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    instance_id TEXT NOT NULL,
    counter INTEGER NOT NULL DEFAULT 0,
    station INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE instance_history (
    instance_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    version_instance TEXT NOT NULL,
    version_counter INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent_usb', 'synced')),
    sent_at TEXT
);
CREATE UNIQUE INDEX outbox_version ON outbox (version_instance, version_counter);
CREATE INDEX outbox_row ON outbox (table_name, row_id);
CREATE INDEX outbox_pending ON outbox (state) WHERE state != 'synced';
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('village_doctor', 'township_admin', 'county_admin')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    table_name TEXT,
    row_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE search_index (
    token TEXT NOT NULL,
    person_id TEXT NOT NULL,
    PRIMARY KEY (token, person_id)
) WITHOUT ROWID;
CREATE INDEX search_index_person ON search_index (person_id);
"""

SYNCED_SQL = f"""
CREATE TABLE divisions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('county', 'township', 'village')),
    parent_code TEXT,
    {SYNC_COLUMNS_SQL}
);
CREATE TABLE households (
    id TEXT PRIMARY KEY,
    village_code TEXT NOT NULL,
    group_name TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    household_no TEXT NOT NULL DEFAULT '',
    head_id TEXT,
    poverty_status TEXT NOT NULL DEFAULT 'general',
    poverty_causes TEXT NOT NULL DEFAULT '[]',
    exit_year INTEGER,
    housing TEXT NOT NULL DEFAULT '',
    water TEXT NOT NULL DEFAULT '',
    toilet TEXT NOT NULL DEFAULT '',
    fuel TEXT NOT NULL DEFAULT '',
    kitchen_exhaust TEXT NOT NULL DEFAULT '',
    livestock_pen TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX households_village ON households (village_code, group_name);
CREATE INDEX households_status ON households (poverty_status);
CREATE UNIQUE INDEX households_no ON households (village_code, household_no)
    WHERE household_no != '' AND deleted = 0;
CREATE TABLE poverty_events (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    status TEXT NOT NULL,
    since TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX poverty_events_household ON poverty_events (household_id, since);
CREATE TABLE help_persons (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    since TEXT,
    until TEXT,
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX help_persons_household ON help_persons (household_id);
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    record_no TEXT NOT NULL,
    name TEXT NOT NULL,
    sex TEXT NOT NULL DEFAULT '',
    birth_date TEXT,
    id_type TEXT NOT NULL DEFAULT 'resident',
    id_no TEXT NOT NULL DEFAULT '',
    person_no TEXT NOT NULL DEFAULT '',
    relation TEXT NOT NULL DEFAULT '其他',
    phone TEXT NOT NULL DEFAULT '',
    ethnicity TEXT NOT NULL DEFAULT '',
    education TEXT NOT NULL DEFAULT '',
    occupation TEXT NOT NULL DEFAULT '',
    marital TEXT NOT NULL DEFAULT '',
    insurance_type TEXT NOT NULL DEFAULT '',
    insurance_no TEXT NOT NULL DEFAULT '',
    assistance TEXT NOT NULL DEFAULT '[]',
    disabilities TEXT NOT NULL DEFAULT '[]',
    disability_grade TEXT NOT NULL DEFAULT '',
    caretaker TEXT NOT NULL DEFAULT '',
    blood_type TEXT NOT NULL DEFAULT '',
    allergies TEXT NOT NULL DEFAULT '',
    past_history TEXT NOT NULL DEFAULT '',
    family_history TEXT NOT NULL DEFAULT '',
    health_state TEXT NOT NULL DEFAULT '',
    labour_skill TEXT NOT NULL DEFAULT '',
    living_status TEXT NOT NULL DEFAULT '在册',
    status_date TEXT,
    status_note TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE UNIQUE INDEX people_record_no ON people (record_no);
CREATE UNIQUE INDEX people_id_no ON people (id_type, id_no) WHERE id_no != '' AND deleted = 0;
CREATE INDEX people_household ON people (household_id);
CREATE INDEX people_person_no ON people (person_no) WHERE person_no != '';
CREATE TABLE diagnoses (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    condition TEXT NOT NULL,
    confirmed_on TEXT,
    hospital TEXT NOT NULL DEFAULT '',
    treatment_class TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX diagnoses_person ON diagnoses (person_id);
CREATE INDEX diagnoses_condition ON diagnoses (condition);
"""


def up(conn: sqlite3.Connection) -> None:
    for sql in (LOCAL_SQL, SYNCED_SQL):
        for statement in filter(str.strip, sql.split(";\n")):
            conn.execute(statement)
    for table in SYNCED_TABLES:
        conn.execute(f"CREATE INDEX {table}_unsynced ON {table} (server_seq) WHERE server_seq IS NULL")
        install_tracking(conn, table)
