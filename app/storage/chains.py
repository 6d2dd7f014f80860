"""The chain rule of app.core.chains in SQL and over stored rows: which row of a chain is current.

`current(table)` is the SQL condition every read of an append-only table uses; it agrees with
`app.core.chains.current` over the same rows. A row is current when it is live, nothing live
supersedes it, and it is not on a losing branch: a branch starts at a sibling that another
sibling beats (the county's order, then the id's random part) and takes in every correction of it.
Forks are rare, so the losing set is found from the few rows that share a parent (an index-only
`GROUP BY` over the `*_supersedes` index) and is computed once per statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from app.core.breaches import CHAIN_TABLES
from app.core.chains import RANDOM_FROM, ContractLink, Link, winner, winning_path
from app.core.chains import contract_losers as core_contract_losers
from app.core.chains import current as chain_current
from app.core.households import HelpPerson
from app.storage.engine import sqlite3

# Append-only tables with `supersedes`, and the column naming the chain of rival first rows
# (None where a chain's first row is unique: it is the chain's `origin_id`).
CHAINS: dict[str, str | None] = CHAIN_TABLES
_TAIL = RANDOM_FROM + 1   # SQL substr() counts from 1


def beats(w: str, s: str) -> str:
    """SQL: row `w` beats its sibling `s` (aliases) by the chain rule."""
    return (f"(({w}.server_seq IS NOT NULL AND {s}.server_seq IS NULL)"
            f" OR {w}.server_seq < {s}.server_seq"
            f" OR ({w}.server_seq IS {s}.server_seq AND (substr({w}.id, {_TAIL}) < substr({s}.id, {_TAIL})"
            f" OR (substr({w}.id, {_TAIL}) = substr({s}.id, {_TAIL}) AND {w}.id < {s}.id))))")


def rank_order(alias: str = "") -> str:
    """SQL ORDER BY terms that put siblings in the rule's order, the winner first."""
    a = f"{alias}." if alias else ""
    return f"{a}server_seq IS NULL, {a}server_seq, substr({a}id, {_TAIL}), {a}id"


def lost(table: str) -> str:
    """SQL: the ids of the rows of a chain table on a losing branch."""
    key = CHAINS[table]
    base = (f"SELECT s.id FROM {table} s JOIN {table} w ON w.supersedes = s.supersedes AND w.id != s.id"
            f" WHERE s.supersedes IN (SELECT supersedes FROM {table} WHERE supersedes IS NOT NULL"
            f" GROUP BY supersedes HAVING count(*) > 1) AND s.deleted = 0 AND w.deleted = 0"
            f" AND {beats('w', 's')}")
    if key is not None:
        base += (f" UNION SELECT s.id FROM {table} s JOIN {table} w ON w.{key} = s.{key} AND w.id != s.id"
                 f" WHERE s.{key} IN (SELECT {key} FROM {table} WHERE supersedes IS NULL AND deleted = 0"
                 f" GROUP BY {key} HAVING count(*) > 1) AND s.supersedes IS NULL AND w.supersedes IS NULL"
                 f" AND s.deleted = 0 AND w.deleted = 0 AND {beats('w', 's')}")
    return (f"WITH RECURSIVE lost(id) AS ({base} UNION SELECT c.id FROM {table} c"
            f" JOIN lost ON c.supersedes = lost.id) SELECT id FROM lost")


def current(table: str, alias: str = "") -> str:
    """SQL condition: `alias` (default the table) is the current row of its chain."""
    a = alias or table
    return (f"{a}.deleted = 0 AND NOT EXISTS (SELECT 1 FROM {table} newer"
            f" WHERE newer.supersedes = {a}.id AND newer.deleted = 0) AND {a}.id NOT IN ({lost(table)})")


def is_current(conn: sqlite3.Connection, table: str, row_id: str) -> bool:
    """Whether a row is its chain's current row (what a correction must start from)."""
    return conn.execute(f"SELECT 1 FROM {table} WHERE id = ? AND {current(table)}",
                        (row_id,)).fetchone() is not None


def links(rows: Sequence[sqlite3.Row | dict[str, Any]], parent: str = "supersedes") -> list[Link]:
    return [Link(str(r["id"]), r[parent], r["server_seq"]) for r in rows]


def current_by_key(conn: sqlite3.Connection, table: str, keys: Sequence[str], columns: str,
                   until: tuple[str, str] | None = None) -> dict[str, sqlite3.Row]:
    """The current row per chain key (`followup_id`, `exam_id`) of a table with rival first rows.
    With `until` (column, ISO date), the last row of the winning path dated on or before it."""
    key = CHAINS[table]
    grouped: dict[str, list[sqlite3.Row]] = {}
    for start in range(0, len(keys), 500):
        part = list(keys[start:start + 500])
        marks = ", ".join("?" for _ in part)
        for r in conn.execute(f"SELECT id, {key} AS chain_key, supersedes, server_seq, {columns}"
                              f" FROM {table} WHERE deleted = 0 AND {key} IN ({marks})", part):
            grouped.setdefault(r["chain_key"], []).append(r)
    out: dict[str, sqlite3.Row] = {}
    for k, rows in grouped.items():
        by_id = {str(r["id"]): r for r in rows}
        path = [by_id[x.id] for x in winning_path(links(rows))]
        if until is not None:
            path = [r for r in path if r[until[0]] <= until[1]]
        if path:
            out[k] = path[-1]
    return out


def current_id(conn: sqlite3.Connection, table: str, key: str) -> str | None:
    """The id of the current row of one chain of rival first rows (None when it has none)."""
    rows = conn.execute(f"SELECT id, supersedes, server_seq FROM {table} WHERE deleted = 0"
                        f" AND {CHAINS[table]} = ?", (key,)).fetchall()
    best = chain_current(links(rows))
    return best.id if best else None


def current_help_person(conn: sqlite3.Connection, household_id: str) -> HelpPerson | None:
    """A household's current help person: of the open ones (no end date), the one the chain
    rule picks (two PCs may each have named a successor of the same person)."""
    rows = {str(r["id"]): r for r in conn.execute(
        "SELECT * FROM help_persons WHERE household_id = ? AND until IS NULL AND deleted = 0",
        (household_id,))}
    if not rows:
        return None
    r = rows[winner(Link(i, None, r["server_seq"]) for i, r in rows.items()).id]
    return HelpPerson(name=r["name"], unit=r["unit"], phone=r["phone"],
                      since=dt.date.fromisoformat(r["since"]) if r["since"] else None, until=None)


# --- contracts ---------------------------------------------------------------------------------


# Households where two contracts renew the same one, or two live ones share a team.
_FORKED_HOUSEHOLDS = (
    "SELECT household_id FROM contracts WHERE renewed_from IN (SELECT renewed_from FROM contracts"
    " WHERE renewed_from IS NOT NULL GROUP BY renewed_from HAVING count(*) > 1)"
    " UNION SELECT household_id FROM contracts WHERE status IN ('signed', 'active') AND deleted = 0"
    " GROUP BY household_id, team_id HAVING count(*) > 1")


def contract_losers(conn: sqlite3.Connection, household_ids: Sequence[str]) -> set[str]:
    """Ids of the contracts of these households that are on a losing branch of a fork (see
    app.core.chains.contract_losers); a fork never crosses households."""
    wanted = sorted(set(household_ids))
    if len(wanted) > 50:   # many households: only those where a fork can be (found set-wise)
        wanted = sorted(set(wanted) & {r[0] for r in conn.execute(_FORKED_HOUSEHOLDS)})
        if not wanted:
            return set()
    parts = [wanted[i:i + 500] for i in range(0, len(wanted), 500)] if len(wanted) <= 2000 else [[]]
    households: dict[str, list[sqlite3.Row]] = {}
    members: dict[str, set[str]] = {}
    for part in parts:
        where = f"household_id IN ({', '.join('?' for _ in part)})" if part else "1"
        for r in conn.execute("SELECT id, household_id, renewed_from, team_id, status, start_date,"
                              f" end_date, server_seq FROM contracts WHERE deleted = 0 AND {where}", part):
            households.setdefault(r["household_id"], []).append(r)
        for cid, pid in conn.execute(
                "SELECT contract_id, person_id FROM contract_members WHERE deleted = 0 AND contract_id IN"
                f" (SELECT id FROM contracts WHERE deleted = 0 AND {where})", part):
            members.setdefault(cid, set()).add(pid)
    lost: set[str] = set()
    for rows in households.values():
        if len(rows) > 1:
            lost |= core_contract_losers([ContractLink(
                r["id"], r["renewed_from"], r["team_id"], r["status"] in ("signed", "active"),
                r["start_date"], r["end_date"], frozenset(members.get(r["id"], ())), r["server_seq"])
                for r in rows])
    return lost
