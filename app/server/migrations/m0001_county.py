"""Server schema 1: the county's copy of every synced table, the versions it accepted, devices,
enrolment codes, conflicts and sync sessions.

Each synced table has the clinic's name and the clinic's columns, typed as the clinic stores them
(TEXT stays TEXT: dates, money and JSON lists are text on both sides; INTEGER becomes BIGINT and
REAL DOUBLE PRECISION), with the clinic's NOT NULLs and defaults, so one indicator query runs on
either database. What the clinic's tables have and these do not: foreign keys, CHECKs and unique
indexes. Rows arrive in chunks in any order, two PCs can fork a chain or register one resident
twice, and all of it must be storable; the merge decides what is current and records the rest as
conflicts. `server_seq` is the county's sequence number of the version a row holds (the matching
row of `row_versions`), drawn from one county-wide sequence. `txid` is the transaction that wrote
the row's current version: a pull reads only rows of transactions older than every transaction
still running (the snapshot's xmin) and pages by (txid, server_seq), so a row whose transaction
commits late, with a lower sequence number than rows already pulled, is never skipped.

A clinic migration that adds a column to a synced table needs a server migration that adds it
here too: tests/integration/test_county_schema.py fails until it does.
"""

from __future__ import annotations

# The bookkeeping columns every synced table ends with (the clinic's SYNC_COLUMNS_SQL, with
# server_seq required: a row is stored here only as a version the county has sequenced).
SYNC_COLUMNS = """
    partition TEXT NOT NULL,
    version_instance TEXT NOT NULL,
    version_counter BIGINT NOT NULL,
    server_seq BIGINT NOT NULL UNIQUE,
    deleted BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    txid XID8 NOT NULL DEFAULT pg_current_xact_id()"""

SQL = f"""
CREATE SEQUENCE county_seq AS BIGINT;

CREATE TABLE divisions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT,
    {SYNC_COLUMNS}
);
CREATE INDEX divisions_partition ON divisions (partition, txid, server_seq);

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
    exit_year BIGINT,
    housing TEXT NOT NULL DEFAULT '',
    water TEXT NOT NULL DEFAULT '',
    toilet TEXT NOT NULL DEFAULT '',
    fuel TEXT NOT NULL DEFAULT '',
    kitchen_exhaust TEXT NOT NULL DEFAULT '',
    livestock_pen TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS}
);
CREATE INDEX households_partition ON households (partition, txid, server_seq);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL,
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
    record_issuer TEXT NOT NULL DEFAULT '',
    record_provisional BIGINT NOT NULL DEFAULT 0,
    former_record_nos TEXT NOT NULL DEFAULT '[]',
    {SYNC_COLUMNS}
);
CREATE INDEX people_partition ON people (partition, txid, server_seq);

CREATE TABLE poverty_events (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL,
    status TEXT NOT NULL,
    since TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS}
);
CREATE INDEX poverty_events_partition ON poverty_events (partition, txid, server_seq);

CREATE TABLE help_persons (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    since TEXT,
    until TEXT,
    {SYNC_COLUMNS}
);
CREATE INDEX help_persons_partition ON help_persons (partition, txid, server_seq);

CREATE TABLE diagnoses (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    condition TEXT NOT NULL,
    confirmed_on TEXT,
    hospital TEXT NOT NULL DEFAULT '',
    treatment_class TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS}
);
CREATE INDEX diagnoses_partition ON diagnoses (partition, txid, server_seq);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    township_code TEXT NOT NULL,
    members TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS}
);
CREATE INDEX teams_partition ON teams (partition, txid, server_seq);

CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    contract_no TEXT NOT NULL DEFAULT '',
    household_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT 'household',
    packages TEXT NOT NULL DEFAULT '[]',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    fee_medicare TEXT NOT NULL DEFAULT '0.00',
    fee_phs TEXT NOT NULL DEFAULT '0.00',
    fee_finance TEXT NOT NULL DEFAULT '0.00',
    fee_personal TEXT NOT NULL DEFAULT '0.00',
    status TEXT NOT NULL DEFAULT 'draft',
    renewed_from TEXT,
    dissolved_on TEXT,
    dissolution_reason TEXT NOT NULL DEFAULT '',
    dissolution_note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS}
);
CREATE INDEX contracts_partition ON contracts (partition, txid, server_seq);

CREATE TABLE contract_members (
    id TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    {SYNC_COLUMNS}
);
CREATE INDEX contract_members_partition ON contract_members (partition, txid, server_seq);

CREATE TABLE service_deliveries (
    id TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    service TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    done_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS}
);
CREATE INDEX service_deliveries_partition ON service_deliveries (partition, txid, server_seq);

CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    visit_date TEXT NOT NULL,
    method TEXT NOT NULL,
    doctor TEXT NOT NULL DEFAULT '',
    sbp BIGINT,
    dbp BIGINT,
    weight DOUBLE PRECISION,
    height DOUBLE PRECISION,
    heart_rate BIGINT,
    glucose DOUBLE PRECISION,
    complication BIGINT NOT NULL DEFAULT 0,
    adverse_reaction BIGINT NOT NULL DEFAULT 0,
    classification TEXT NOT NULL,
    measure TEXT NOT NULL,
    next_date TEXT,
    refers BIGINT NOT NULL DEFAULT 0,
    suggested_class TEXT NOT NULL DEFAULT '',
    suggested_measure TEXT NOT NULL DEFAULT '',
    suggested_next TEXT,
    suggested_referral BIGINT NOT NULL DEFAULT 0,
    suggested_urgent BIGINT NOT NULL DEFAULT 0,
    details TEXT NOT NULL DEFAULT '{{}}',
    supersedes TEXT,
    origin_id TEXT NOT NULL,
    {SYNC_COLUMNS}
);
CREATE INDEX follow_ups_partition ON follow_ups (partition, txid, server_seq);

CREATE TABLE referral_results (
    id TEXT PRIMARY KEY,
    followup_id TEXT NOT NULL,
    result TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    doctor TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    supersedes TEXT,
    {SYNC_COLUMNS}
);
CREATE INDEX referral_results_partition ON referral_results (partition, txid, server_seq);

CREATE TABLE general_visits (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    visit_date TEXT NOT NULL,
    method TEXT NOT NULL,
    content TEXT NOT NULL,
    doctor TEXT NOT NULL DEFAULT '',
    next_date TEXT,
    note TEXT NOT NULL DEFAULT '',
    supersedes TEXT,
    origin_id TEXT NOT NULL,
    {SYNC_COLUMNS}
);
CREATE INDEX general_visits_partition ON general_visits (partition, txid, server_seq);

CREATE TABLE health_exams (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    exam_date TEXT NOT NULL,
    doctor TEXT NOT NULL DEFAULT '',
    height DOUBLE PRECISION,
    weight DOUBLE PRECISION,
    sbp BIGINT,
    dbp BIGINT,
    glucose DOUBLE PRECISION,
    conclusion TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{{}}',
    supersedes TEXT,
    origin_id TEXT NOT NULL,
    {SYNC_COLUMNS}
);
CREATE INDEX health_exams_partition ON health_exams (partition, txid, server_seq);

CREATE TABLE exam_returns (
    id TEXT PRIMARY KEY,
    exam_id TEXT NOT NULL,
    returned_on TEXT NOT NULL,
    doctor TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    supersedes TEXT,
    {SYNC_COLUMNS}
);
CREATE INDEX exam_returns_partition ON exam_returns (partition, txid, server_seq);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    source TEXT NOT NULL,
    episode TEXT NOT NULL,
    hospital TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL,
    scope TEXT NOT NULL,
    referred BIGINT NOT NULL DEFAULT 0,
    admitted TEXT NOT NULL,
    discharged TEXT NOT NULL,
    settled_year BIGINT NOT NULL,
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
    reverses TEXT,
    reason TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS}
);
CREATE INDEX claims_partition ON claims (partition, txid, server_seq);

-- Every version of a synced row the county accepted, by its sequence number: the merge finds a
-- clinic's base here (the clinic names it by server_seq). A version already applied is a no-op,
-- decided per record by (table, row, instance, counter), which is unique.
CREATE TABLE row_versions (
    server_seq BIGINT PRIMARY KEY DEFAULT nextval('county_seq'),
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    version_instance TEXT NOT NULL,
    version_counter BIGINT NOT NULL,
    data JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX row_versions_version
    ON row_versions (table_name, row_id, version_instance, version_counter);
CREATE INDEX row_versions_instance ON row_versions (version_instance, version_counter);

-- Enrolled devices. scope: the village (or township) division code the device may read and
-- write; station: the number the county assigned, which confirms the clinic's provisional one.
CREATE TABLE instances (
    instance_id TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    station INTEGER,
    public_key BYTEA NOT NULL,
    certificate BYTEA NOT NULL,
    enrolled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ,
    last_sync TIMESTAMPTZ
);
CREATE INDEX instances_scope ON instances (scope);

-- The county's own Ed25519 key pair: it signs the devices' certificates (made by init).
CREATE TABLE county_identity (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    private_key BYTEA NOT NULL,
    public_key BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One-time enrolment codes, kept only as a hash; used_by names the instance that redeemed it.
CREATE TABLE enrolment_codes (
    code_hash BYTEA PRIMARY KEY,
    scope TEXT NOT NULL,
    station INTEGER,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_by TEXT,
    used_at TIMESTAMPTZ
);

-- What the merge did not apply silently. kind: 'field' (one field changed differently on two
-- sides), 'fork' (a chain corrected twice), a cross-record rule, or 'duplicate' (one resident
-- registered twice; other_row_id is the second record). Side a is the county's accepted version
-- (the winner everywhere), side b the other: each with its value, version
-- ({{"instance": …, "counter": …}}), instance and user. partition says which clinics see it;
-- server_seq (from the same sequence as the rows, renewed when it changes) lets them pull it.
CREATE TABLE conflicts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'field',
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    other_row_id TEXT,
    field TEXT,
    partition TEXT NOT NULL,
    a_value JSONB,
    b_value JSONB,
    a_version JSONB,
    b_version JSONB,
    a_instance TEXT NOT NULL DEFAULT '',
    b_instance TEXT NOT NULL DEFAULT '',
    a_user TEXT NOT NULL DEFAULT '',
    b_user TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolution JSONB,
    resolved_by TEXT NOT NULL DEFAULT '',
    resolved_at TIMESTAMPTZ,
    server_seq BIGINT NOT NULL UNIQUE DEFAULT nextval('county_seq'),
    txid XID8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX conflicts_row ON conflicts (table_name, row_id);
CREATE INDEX conflicts_partition ON conflicts (partition, txid, server_seq);
CREATE INDEX conflicts_open ON conflicts (partition) WHERE resolved_at IS NULL;

-- Sync sessions, staged (hello, push, pull, apply, done) and resumable: cursor holds what was
-- acknowledged so far. Sessions not updated for long are reclaimed.
CREATE TABLE sync_sessions (
    id TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    cursor JSONB NOT NULL DEFAULT '{{}}'
);
CREATE INDEX sync_sessions_instance ON sync_sessions (instance_id);
CREATE INDEX sync_sessions_updated ON sync_sessions (updated_at);
"""
