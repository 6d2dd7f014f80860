"""Server schema 2: what a chunk's merge looks rows up by.

The cross-record rules (app.core.breaches) are checked after each pushed chunk for the rows it
wrote only, through the keys those rows share with others: the row a correction supersedes, the
contract renewed, the household, the claim reversed, the settlement slip, the resident ID, the
户编号. Each key gets an index, so a chunk's check costs the chunk, not the county. A fork or
breach is recorded once: two sessions that find the same pair at once insert it once.
"""

from __future__ import annotations

CHAIN_TABLES = ("follow_ups", "general_visits", "health_exams", "referral_results", "exam_returns")

SQL = "\n".join(
    [f"CREATE INDEX {t}_supersedes ON {t} (supersedes) WHERE supersedes IS NOT NULL;"
     for t in CHAIN_TABLES]
    + [
        "CREATE INDEX referral_results_followup ON referral_results (followup_id);",
        "CREATE INDEX exam_returns_exam ON exam_returns (exam_id);",
        "CREATE INDEX contracts_renewed_from ON contracts (renewed_from)"
        " WHERE renewed_from IS NOT NULL;",
        "CREATE INDEX contracts_household ON contracts (household_id, team_id);",
        "CREATE INDEX contract_members_contract ON contract_members (contract_id);",
        "CREATE INDEX contract_members_person ON contract_members (person_id);",
        "CREATE INDEX help_persons_household ON help_persons (household_id);",
        "CREATE INDEX claims_reverses ON claims (reverses) WHERE reverses IS NOT NULL;",
        "CREATE INDEX claims_slip ON claims (settlement_no, person_id) WHERE settlement_no != '';",
        "CREATE INDEX people_id_no ON people (upper(id_no)) WHERE id_no != '';",
        "CREATE INDEX households_number ON households (household_no, village_code)"
        " WHERE household_no != '';",
        "CREATE UNIQUE INDEX conflicts_pair ON conflicts (kind, table_name, row_id, other_row_id)"
        " WHERE other_row_id IS NOT NULL;",
    ])
