"""Schema 3: follow-ups, referral results, general visits, health exams and result feedback.

All five are append-only facts. A correction is a new row whose `supersedes` names the row it
corrects; `origin_id` names the first version, so later facts about a visit or an exam (a 转诊结果,
a result given back) attach to it whatever its corrections. Reads take the rows nobody supersedes.
Form fields that no query needs live in the `details` JSON of their row. The indexes cover the
工作台's queries (app/storage/tasks.py): each patient's latest visit and a year's face-to-face count
are read from `follow_ups_person` alone, a person's latest exam from `health_exams_person`, the
results to give back from `health_exams_date`.
"""

from __future__ import annotations

from app.storage.engine import sqlite3
from app.storage.migrations.tracking import SYNC_COLUMNS_SQL, install_tracking

SYNCED_TABLES = ("follow_ups", "referral_results", "general_visits", "health_exams", "exam_returns")

SQL = f"""
CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CHECK (kind IN ('高血压', '糖尿病')),
    visit_date TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('门诊', '家庭', '电话')),
    doctor TEXT NOT NULL DEFAULT '',
    sbp INTEGER,
    dbp INTEGER,
    weight REAL,
    height REAL,
    heart_rate INTEGER,
    glucose REAL,
    complication INTEGER NOT NULL DEFAULT 0,
    adverse_reaction INTEGER NOT NULL DEFAULT 0,
    classification TEXT NOT NULL,
    measure TEXT NOT NULL,
    next_date TEXT,
    refers INTEGER NOT NULL DEFAULT 0,
    suggested_class TEXT NOT NULL DEFAULT '',
    suggested_measure TEXT NOT NULL DEFAULT '',
    suggested_next TEXT,
    suggested_referral INTEGER NOT NULL DEFAULT 0,
    suggested_urgent INTEGER NOT NULL DEFAULT 0,
    details TEXT NOT NULL DEFAULT '{{}}',
    supersedes TEXT REFERENCES follow_ups (id),
    origin_id TEXT NOT NULL,
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX follow_ups_person ON follow_ups (person_id, kind, visit_date, method, deleted, id);
CREATE INDEX follow_ups_supersedes ON follow_ups (supersedes) WHERE supersedes IS NOT NULL;
CREATE TABLE referral_results (
    id TEXT PRIMARY KEY,
    followup_id TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('到位', '不到位')),
    checked_on TEXT NOT NULL,
    doctor TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX referral_results_followup ON referral_results (followup_id, deleted, id, result, checked_on);
CREATE TABLE general_visits (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    visit_date TEXT NOT NULL,
    method TEXT NOT NULL,
    content TEXT NOT NULL,
    doctor TEXT NOT NULL DEFAULT '',
    next_date TEXT,
    note TEXT NOT NULL DEFAULT '',
    supersedes TEXT REFERENCES general_visits (id),
    origin_id TEXT NOT NULL,
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX general_visits_person ON general_visits (person_id, visit_date);
CREATE INDEX general_visits_supersedes ON general_visits (supersedes) WHERE supersedes IS NOT NULL;
CREATE TABLE health_exams (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    exam_date TEXT NOT NULL,
    doctor TEXT NOT NULL DEFAULT '',
    height REAL,
    weight REAL,
    sbp INTEGER,
    dbp INTEGER,
    glucose REAL,
    conclusion TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{{}}',
    supersedes TEXT REFERENCES health_exams (id),
    origin_id TEXT NOT NULL,
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX health_exams_person ON health_exams (person_id, exam_date, deleted, id);
CREATE INDEX health_exams_date ON health_exams (exam_date, person_id, origin_id, deleted, id);
CREATE INDEX health_exams_origin ON health_exams (origin_id, deleted);
CREATE INDEX health_exams_supersedes ON health_exams (supersedes) WHERE supersedes IS NOT NULL;
CREATE TABLE exam_returns (
    id TEXT PRIMARY KEY,
    exam_id TEXT NOT NULL,
    returned_on TEXT NOT NULL,
    doctor TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX exam_returns_exam ON exam_returns (exam_id, deleted, id, returned_on);
CREATE INDEX people_birth ON people (birth_date);
"""


def up(conn: sqlite3.Connection) -> None:
    for statement in filter(str.strip, SQL.split(";\n")):
        conn.execute(statement)
    for table in SYNCED_TABLES:
        conn.execute(f"CREATE INDEX {table}_unsynced ON {table} (server_seq) WHERE server_seq IS NULL")
        install_tracking(conn, table)
