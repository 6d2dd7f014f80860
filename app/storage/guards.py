"""The guard triggers a clinic database must have: the ones its migrations make, name and SQL alike.

The expected set is read from a fresh in-memory database brought to the latest schema, so it never
drifts from the migrations. Triggers of a file at that schema are compared with it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from app.storage.engine import sqlite3
from app.storage.migrations import migrate

Problem = Literal["missing", "altered", "unexpected"]
_WORDS = {"missing": "缺失", "altered": "被改动", "unexpected": "多出"}


@dataclass(frozen=True)
class TriggerProblem:
    """One trigger that is not as the migrations made it."""

    name: str
    problem: Problem


@functools.cache
def expected_triggers() -> dict[str, str]:
    """Name → SQL of every trigger the migrations create."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        return _triggers(conn)
    finally:
        conn.close()


def _triggers(conn: sqlite3.Connection) -> dict[str, str]:
    return {str(r[0]): str(r[1]) for r in
            conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}


def trigger_problems(conn: sqlite3.Connection) -> list[TriggerProblem]:
    """Every trigger missing, altered or added since the migrations made the file."""
    expected, actual = expected_triggers(), _triggers(conn)
    problems = [TriggerProblem(n, "missing") for n in expected if n not in actual]
    problems += [TriggerProblem(n, "altered") for n in expected
                 if n in actual and actual[n] != expected[n]]
    problems += [TriggerProblem(n, "unexpected") for n in actual if n not in expected]
    return sorted(problems, key=lambda p: p.name)


def restore_triggers(conn: sqlite3.Connection, problems: list[TriggerProblem]) -> None:
    """Put every trigger back as the migrations made it (call inside a transaction)."""
    expected = expected_triggers()
    for p in problems:
        conn.execute(f'DROP TRIGGER IF EXISTS "{p.name}"')
        if p.problem != "unexpected":
            conn.execute(expected[p.name])


def describe_problems(problems: list[TriggerProblem]) -> str:
    """The problems as one short Chinese phrase, e.g. `audit_log_no_delete 缺失`."""
    return "，".join(f"{p.name} {_WORDS[p.problem]}" for p in problems)
