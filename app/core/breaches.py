"""Where rows break a rule across records: one SQL query per kind, in a dialect SQLite and
PostgreSQL both accept, so the clinic's file and the county's database find the same pairs.

Each query returns (a_id, b_id) with a_id < b_id: two corrections of one row (a fork), two first
rows of one chain, two successors of one contract or help person, a claim reversed twice, one
settlement slip entered twice, two live contracts of one person with one team, one resident ID on
two people, one 户编号 on two households of a village. `scope` narrows a query to some villages
(a list of 12-digit codes). `touched` narrows it further to the pairs a set of rows could have
made: it is a SQL query giving those rows' ids (the county passes the ids a pushed chunk wrote),
and each rule then looks only at the rows sharing a key (the corrected row, the contract renewed,
the household, the resident ID…) with a touched row. A breach is only ever made by writing one of
its two rows (or a member of one of two live contracts, or a reversal of one of two slips), so checking the touched keys after
each chunk finds every breach the whole-table query would, at the cost of the chunk, not of the
table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from app.core.chains import (
    DOUBLE_REVERSAL,
    DUPLICATE_HOUSEHOLD,
    DUPLICATE_PERSON,
    FORK,
    SECOND_SUCCESSOR,
    SLIP_TWICE,
    TWO_LIVE_CONTRACTS,
)

# Append-only tables whose rows supersede one another, and the column naming the chain of rival
# first rows (None where a chain's first row is unique).
CHAIN_TABLES: dict[str, str | None] = {
    "follow_ups": None, "general_visits": None, "health_exams": None,
    "referral_results": "followup_id", "exam_returns": "exam_id",
}
_LIVE = "('signed', 'active')"


def sources(kind: str, table: str) -> frozenset[str]:
    """The tables whose rows, when written, can make a breach of `kind` in `table`."""
    return frozenset({table, "contract_members"} if kind == TWO_LIVE_CONTRACTS else {table})


def _in(alias: str, scope: Sequence[str] | None) -> str:
    if scope is None:
        return ""
    codes = [c for c in scope if len(c) == 12 and c.isdigit()]
    if len(codes) != len(scope):
        raise ValueError("scope holds 12-digit division codes only")
    if not codes:
        return " AND 1 = 0"
    return f" AND {alias}.partition IN ({', '.join(repr(c) for c in codes)})"


def _near(table: str, key: str, touched: str | None, extra: str = "") -> str:
    """The restriction of `s` to rows sharing `key` with a touched row of `table`."""
    if touched is None:
        return ""
    return (f" AND s.{key} IN (SELECT x.{key} FROM {table} x WHERE x.id IN ({touched}){extra})")


def queries(scope: Sequence[str] | None = None, *,
            touched: str | None = None) -> Iterator[tuple[str, str, str]]:
    """(kind, table, SQL) of every rule, narrowed to `scope` and to `touched` rows if given."""
    s = _in("s", scope)
    for table, key in CHAIN_TABLES.items():
        near = _near(table, "supersedes", touched)
        many = ("" if touched is not None else
                f" AND s.supersedes IN (SELECT supersedes FROM {table} WHERE"
                f" supersedes IS NOT NULL GROUP BY supersedes HAVING count(*) > 1)")
        yield FORK, table, (
            f"SELECT s.id, w.id FROM {table} s JOIN {table} w ON w.supersedes = s.supersedes"
            f" AND s.id < w.id WHERE s.supersedes IS NOT NULL{many}{near}"
            f" AND s.deleted = 0 AND w.deleted = 0{s}")
        if key is not None:
            yield FORK, table, (
                f"SELECT s.id, w.id FROM {table} s JOIN {table} w ON w.{key} = s.{key} AND s.id < w.id"
                f" WHERE s.supersedes IS NULL AND w.supersedes IS NULL AND s.deleted = 0"
                f" AND w.deleted = 0{_near(table, key, touched)}{s}")
    yield SECOND_SUCCESSOR, "contracts", (
        "SELECT s.id, w.id FROM contracts s JOIN contracts w ON w.renewed_from = s.renewed_from"
        f" AND s.id < w.id WHERE s.deleted = 0 AND w.deleted = 0"
        f"{_near('contracts', 'renewed_from', touched)}{s}")
    members = ("" if touched is None else
               f" UNION SELECT c.household_id FROM contracts c JOIN contract_members m"
               f" ON m.contract_id = c.id WHERE m.id IN ({touched})")
    live_twice = ("" if touched is not None else
                  " AND s.household_id IN (SELECT household_id"
                  f" FROM contracts WHERE status IN {_LIVE} AND deleted = 0 GROUP BY household_id, team_id"
                  " HAVING count(*) > 1)")
    yield TWO_LIVE_CONTRACTS, "contracts", (
        "SELECT s.id, w.id FROM contracts s JOIN contracts w ON w.household_id = s.household_id"
        f" AND w.team_id = s.team_id AND s.id < w.id WHERE 1 = 1{live_twice}"
        f"{_near('contracts', 'household_id', touched, members)}"
        f" AND s.status IN {_LIVE} AND w.status IN {_LIVE}"
        " AND s.deleted = 0 AND w.deleted = 0"
        " AND (s.renewed_from IS NULL OR s.renewed_from IS DISTINCT FROM w.renewed_from)"
        " AND s.start_date <= w.end_date AND w.start_date <= s.end_date"
        " AND EXISTS (SELECT 1 FROM contract_members ms JOIN contract_members mw"
        " ON mw.person_id = ms.person_id WHERE ms.contract_id = s.id AND mw.contract_id = w.id"
        f" AND ms.deleted = 0 AND mw.deleted = 0){s}")
    yield SECOND_SUCCESSOR, "help_persons", (
        "SELECT s.id, w.id FROM help_persons s JOIN help_persons w ON w.household_id = s.household_id"
        f" AND s.id < w.id WHERE s.until IS NULL AND w.until IS NULL AND s.deleted = 0"
        f" AND w.deleted = 0{_near('help_persons', 'household_id', touched)}{s}")
    yield DOUBLE_REVERSAL, "claims", (
        "SELECT s.id, w.id FROM claims s JOIN claims w ON w.reverses = s.reverses AND s.id < w.id"
        f" WHERE s.deleted = 0 AND w.deleted = 0{_near('claims', 'reverses', touched)}{s}")
    reversal = ("" if touched is None else
                f" UNION SELECT c.settlement_no FROM claims c JOIN claims r ON r.reverses = c.id"
                f" WHERE r.id IN ({touched})")
    unreversed = "NOT EXISTS (SELECT 1 FROM claims r WHERE r.reverses = {0}.id AND r.deleted = 0)"
    yield SLIP_TWICE, "claims", (
        "SELECT s.id, w.id FROM claims s JOIN claims w ON w.settlement_no = s.settlement_no"
        " AND w.person_id = s.person_id AND s.id < w.id WHERE s.settlement_no != ''"
        " AND s.source = '结算单' AND w.source = '结算单' AND s.reverses IS NULL AND w.reverses IS NULL"
        f" AND s.deleted = 0 AND w.deleted = 0 AND {unreversed.format('s')}"
        f" AND {unreversed.format('w')}{_near('claims', 'settlement_no', touched, reversal)}{s}")
    keys = ("" if touched is None else
            f" AND upper(id_no) IN (SELECT upper(x.id_no) FROM people x WHERE x.id IN ({touched}))")
    yield DUPLICATE_PERSON, "people", (
        f"WITH twice AS (SELECT upper(id_no) AS k FROM people WHERE id_no != '' AND deleted = 0{keys}"
        " GROUP BY upper(id_no) HAVING count(*) > 1), p AS (SELECT id, partition, upper(id_no) AS k"
        " FROM people WHERE id_no != '' AND deleted = 0 AND upper(id_no) IN (SELECT k FROM twice))"
        f" SELECT s.id, w.id FROM p s JOIN p w ON w.k = s.k AND s.id < w.id WHERE 1 = 1{s}")
    yield DUPLICATE_HOUSEHOLD, "households", (
        "SELECT s.id, w.id FROM households s JOIN households w ON w.village_code = s.village_code"
        " AND w.household_no = s.household_no AND s.id < w.id WHERE s.household_no != ''"
        f" AND s.deleted = 0 AND w.deleted = 0{_near('households', 'household_no', touched)}{s}")
