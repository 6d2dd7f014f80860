"""Schema 5: find ID and phone numbers by any run of 4+ digits, not only by their start.

`search_digits` holds every tail of each person's ID and phone number (lower case, no dashes) of
at least 4 characters, so a run typed by the doctor is a prefix of one of them: the same B-tree
range scan as `search_index`. Triggers on `people` keep it right for every write, whoever makes
it (the tracked write path, imports, demo data, rows applied by sync). Like `search_index` it is
local and derived: not a synced table, no outbox entries, filled here for existing files.

There is no index by person: an edit deletes the old number's tails by key, which keeps the table
at about 37 MB for a township of 30,000 people instead of twice that.
"""

from __future__ import annotations

from app.storage.engine import sqlite3

# The rule is app.core.search.number_runs (MIN_RUN = 4, MAX_RUN_START = 64); a test checks that
# these triggers and that function agree. Frozen here, as a shipped migration must be.
_STARTS = ", ".join(f"({i})" for i in range(1, 65))


def _norm(column: str) -> str:
    return f"lower(replace(replace({column}, '-', ''), ' ', ''))"


def _runs(numbers: str) -> str:
    """SELECT (run, person_id) for every tail of 4+ characters of `numbers` rows (id, v)."""
    return (f"SELECT substr(n.v, s.column1), n.id FROM ({numbers}) AS n"
            f" JOIN (VALUES {_STARTS}) AS s ON length(n.v) - s.column1 + 1 >= 4")


def _row(row: str) -> str:
    """The (id, number) rows of one person row of a trigger: NEW or OLD."""
    return (f"SELECT {row}.id AS id, {_norm(row + '.id_no')} AS v"
            f" UNION ALL SELECT {row}.id, {_norm(row + '.phone')}")


_ALL = (f"SELECT id, {_norm('id_no')} AS v FROM people"
        f" UNION ALL SELECT id, {_norm('phone')} FROM people")

STATEMENTS = (
    """CREATE TABLE search_digits (
        run TEXT NOT NULL,
        person_id TEXT NOT NULL,
        PRIMARY KEY (run, person_id)
    ) WITHOUT ROWID""",
    f"""CREATE TRIGGER people_search_digits_insert AFTER INSERT ON people
    BEGIN
        INSERT OR IGNORE INTO search_digits (run, person_id) {_runs(_row("NEW"))};
    END""",
    f"""CREATE TRIGGER people_search_digits_update AFTER UPDATE OF id, id_no, phone ON people
    BEGIN
        DELETE FROM search_digits WHERE (run, person_id) IN ({_runs(_row("OLD"))});
        INSERT OR IGNORE INTO search_digits (run, person_id) {_runs(_row("NEW"))};
    END""",
    f"INSERT OR IGNORE INTO search_digits (run, person_id) {_runs(_ALL)}",
)


def up(conn: sqlite3.Connection) -> None:
    """Create the table and its triggers, and fill it for the people already in the file."""
    for statement in STATEMENTS:
        conn.execute(statement)
