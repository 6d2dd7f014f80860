"""A row's partition is its household's village: which household each synced row hangs off,
the check that finds rows out of place, and carrying rows along when a household or person moves.

Every synced table below a village reaches its household through one chain of references
(`PARENT`). Contract members and 履约 records belong to their contract, so they stay with the
contract's household when a member moves out; a person's own records (diagnoses, visits, exams,
claims and what hangs off them) go with the person. Rows above a village (divisions, teams) are
partitioned by their own code and never move.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.storage.changes import SYNCED_TABLES, Tracker
from app.storage.engine import sqlite3

# table → (column, table it references): the path from a row up to its household.
PARENT: dict[str, tuple[str, str]] = {
    "people": ("household_id", "households"),
    "poverty_events": ("household_id", "households"),
    "help_persons": ("household_id", "households"),
    "contracts": ("household_id", "households"),
    "contract_members": ("contract_id", "contracts"),
    "service_deliveries": ("contract_id", "contracts"),
    "diagnoses": ("person_id", "people"),
    "follow_ups": ("person_id", "people"),
    "general_visits": ("person_id", "people"),
    "health_exams": ("person_id", "people"),
    "claims": ("person_id", "people"),
    "referral_results": ("followup_id", "follow_ups"),   # the visit's first version (origin_id)
    "exam_returns": ("exam_id", "health_exams"),         # the exam's first version (origin_id)
}
HOUSEHOLD_TABLES: tuple[str, ...] = ("households", *PARENT)
ABOVE_VILLAGE: frozenset[str] = SYNCED_TABLES - set(HOUSEHOLD_TABLES)   # divisions, teams


def _chain(table: str) -> list[str]:
    """The tables from `table` up to households, e.g. exam_returns, health_exams, people, households."""
    out = [table]
    while out[-1] != "households":
        out.append(PARENT[out[-1]][1])
    return out


def under(table: str, root: str) -> str | None:
    """SQL condition on `table` (by its own name) selecting the rows under one `root` row, whose
    id is the parameter `:root`; None when rows of `table` never hang off a `root`."""
    chain = _chain(table)
    if root not in chain:
        return None
    if table == root:
        return f"{table}.id = :root"
    alias, condition = table, ""
    for n, child in enumerate(chain):
        col, parent = PARENT[child]
        if parent == root:
            return condition + f"{alias}.{col} = :root" + ")" * n
        inner = f"t{n}"
        condition += f"{alias}.{col} IN (SELECT {inner}.id FROM {parent} {inner} WHERE "
        alias = inner
    raise AssertionError("unreachable: the chain reaches households")


def household_of(table: str, alias: str) -> str:
    """SQL expression giving the household id of a row of `table` (named `alias`)."""
    if table == "households":
        return f"{alias}.id"
    col, parent = PARENT[table]
    if parent == "households":
        return f"{alias}.{col}"
    inner = alias + "p"
    return f"(SELECT {household_of(parent, inner)} FROM {parent} {inner} WHERE {inner}.id = {alias}.{col})"


def misplaced_sql() -> str:
    """One query over every household-scoped synced table: the rows (tombstones too) whose
    partition is not their household's current village. Empty when the rule holds."""
    parts = [
        f"SELECT '{t}' AS table_name, r.id AS row_id, r.partition AS partition,"
        f" (SELECT h.village_code FROM households h WHERE h.id = {household_of(t, 'r')}) AS village"
        f" FROM {t} r"
        for t in HOUSEHOLD_TABLES
    ]
    return ("SELECT table_name, row_id, partition, village FROM ("
            + " UNION ALL ".join(parts) + ") WHERE partition IS NOT village")


@dataclass(frozen=True)
class Misplaced:
    """A row whose partition is not its household's village."""

    table: str
    row_id: str
    partition: str
    village: str | None


def misplaced(conn: sqlite3.Connection) -> list[Misplaced]:
    """Every row out of place (see `misplaced_sql`)."""
    return [Misplaced(*r) for r in conn.execute(misplaced_sql())]


def _carry(tracker: Tracker, root: str, root_id: str, village: str) -> dict[str, int]:
    moved: dict[str, int] = {}
    for table in HOUSEHOLD_TABLES:
        if table == root:
            continue
        condition = under(table, root)
        if condition is None:
            continue
        n = tracker.repartition(table, condition, {"root": root_id}, village)
        if n:
            moved[table] = n
    return moved


def carry_household(tracker: Tracker, household_id: str, village: str) -> dict[str, int]:
    """Give every row under a household (not the household row itself) the household's new
    village as partition, one tracked UPDATE per table; return the rows moved per table."""
    return _carry(tracker, "households", household_id, village)


def carry_person(tracker: Tracker, person_id: str, village: str) -> dict[str, int]:
    """Give a person's own records (not the person row) the village of their new household."""
    return _carry(tracker, "people", person_id, village)


def repartition_all(tracker: Tracker) -> dict[str, int]:
    """Put every misplaced row back in its household's village (for files written before the
    rule held); tracked like any write. Returns the rows moved per table."""
    moved: dict[str, int] = {}
    for table in HOUSEHOLD_TABLES:
        village = f"(SELECT h.village_code FROM households h WHERE h.id = {household_of(table, table)})"
        n = tracker.repartition_to(table, village)
        if n:
            moved[table] = n
    return moved

