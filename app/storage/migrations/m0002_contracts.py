"""Schema 2: family-doctor teams, contracts, their members and 履约 (services delivered)."""

from __future__ import annotations

from app.storage.engine import sqlite3
from app.storage.migrations.tracking import SYNC_COLUMNS_SQL, install_tracking

SYNCED_TABLES = ("teams", "contracts", "contract_members", "service_deliveries")

# Team members are a JSON list on the team (role, name, phone): they are edited with the team.
# A contract keeps a JSON snapshot of its packages, so editing the county list later never
# changes what was signed; fees are decimal text, one column per payer.
SQL = f"""
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    township_code TEXT NOT NULL,
    members TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX teams_township ON teams (township_code);
CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    contract_no TEXT NOT NULL DEFAULT '',
    household_id TEXT NOT NULL REFERENCES households (id),
    team_id TEXT NOT NULL REFERENCES teams (id),
    level TEXT NOT NULL DEFAULT 'household' CHECK (level IN ('household', 'person')),
    packages TEXT NOT NULL DEFAULT '[]',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    fee_medicare TEXT NOT NULL DEFAULT '0.00',
    fee_phs TEXT NOT NULL DEFAULT '0.00',
    fee_finance TEXT NOT NULL DEFAULT '0.00',
    fee_personal TEXT NOT NULL DEFAULT '0.00',
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'signed', 'active', 'renewed', 'dissolved')),
    renewed_from TEXT REFERENCES contracts (id),
    dissolved_on TEXT,
    dissolution_reason TEXT NOT NULL DEFAULT '',
    dissolution_note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX contracts_status_end ON contracts (status, end_date);
CREATE INDEX contracts_household ON contracts (household_id);
CREATE INDEX contracts_team ON contracts (team_id);
CREATE INDEX contracts_renewed_from ON contracts (renewed_from) WHERE renewed_from IS NOT NULL;
CREATE INDEX contracts_no ON contracts (contract_no) WHERE contract_no != '';
CREATE TABLE contract_members (
    id TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX contract_members_contract ON contract_members (contract_id);
CREATE INDEX contract_members_person ON contract_members (person_id);
CREATE TABLE service_deliveries (
    id TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    service TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    done_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS_SQL}
);
CREATE INDEX service_deliveries_contract ON service_deliveries (contract_id, delivered_on);
CREATE INDEX service_deliveries_person ON service_deliveries (person_id);
"""


def up(conn: sqlite3.Connection) -> None:
    for statement in filter(str.strip, SQL.split(";\n")):
        conn.execute(statement)
    for table in SYNCED_TABLES:
        conn.execute(f"CREATE INDEX {table}_unsynced ON {table} (server_seq) WHERE server_seq IS NULL")
        install_tracking(conn, table)
