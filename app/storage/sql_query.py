"""Read-only SQL for a signed-in user (`cunyi sql`): a separate connection that can only read.

The connection is opened read-only with `query_only`, and an authorizer allows reading alone:
no writes, no ATTACH, no pragma but the schema ones, and secret columns read as NULL.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.core import sql_access
from app.core.errors import ValidationError
from app.storage.db import connect_read_only
from app.storage.engine import sqlite3

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

_READING = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE}


@dataclass
class QueryResult:
    """The columns and rows a query returned (at most `sql_access.MAX_ROWS` of them)."""

    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    truncated: bool = False


def _authorize(action: int, arg1: str | None, arg2: str | None, _db: str | None,
               _source: str | None) -> int:
    """SQLite's question for each step of a statement: reading only, secrets as NULL."""
    if action in _READING:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_READ:
        return sqlite3.SQLITE_IGNORE if sql_access.is_secret(arg1, arg2) else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_OK if sql_access.may_call(arg2) else sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA:
        return sqlite3.SQLITE_OK if sql_access.may_pragma(arg1) else sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_DENY


def run_query(ws: Workspace, query: str, *, limit: int = sql_access.MAX_ROWS) -> QueryResult:
    """Run one read-only statement for the signed-in user and write it to the audit log."""
    ws.users.acting()                      # AuthError when nobody signed in
    if not query.strip():
        raise ValidationError("请给出要执行的查询（SELECT …）")
    with contextlib.closing(connect_read_only(ws.path)) as conn:
        conn.set_authorizer(_authorize)
        try:
            cursor = conn.execute(query)
            if cursor.description is None:
                raise ValidationError("只能执行查询（SELECT），这条语句没有返回结果")
            columns = [d[0] for d in cursor.description]
            rows = [tuple(r) for r in cursor.fetchmany(limit + 1)]
        except (sqlite3.ProgrammingError, sqlite3.Warning) as exc:   # the engine says Warning
            if "one statement" in str(exc):
                raise ValidationError("一次只能执行一条查询语句（不能用分号连接多条）") from exc
            raise ValidationError(f"查询无法执行：{exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise ValidationError(_refusal(exc)) from exc
    result = QueryResult(columns, rows[:limit], truncated=len(rows) > limit)
    with ws.transaction():
        ws.audit("sql", detail=sql_access.audit_text(query))
    return result


def _refusal(exc: sqlite3.DatabaseError) -> str:
    """One Chinese line for a statement SQLite refused or could not run."""
    text = str(exc)
    if "not authorized" in text or "authorization denied" in text or "readonly" in text.lower():
        return f"只允许只读查询（SELECT），这条语句被拒绝：{text}"
    return f"查询有误：{text}"
