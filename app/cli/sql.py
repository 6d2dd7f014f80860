"""`cunyi sql "SELECT …" [--json]`: a read-only query for a signed-in user (county IT staff)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from typing import Any

from app.cli.common import AddCommand, open_workspace, print_json
from app.core.paths import Paths
from app.core.sql_access import MAX_ROWS


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return value.hex()
    return str(value).replace("\r", " ").replace("\n", " ")


def _json_value(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value


def _width(text: str) -> int:
    """Columns a text takes on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table_lines(columns: list[str], rows: list[tuple[Any, ...]]) -> list[str]:
    """A plain table: a header, a rule, and one line per row, each column padded to its widest."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return lines


def cmd_sql(args: argparse.Namespace, paths: Paths) -> int:
    from app.storage.sql_query import run_query

    with open_workspace(paths, claim=False) as ws:     # reads only: a copy is not renewed
        result = run_query(ws, args.query)
    if args.json:
        print_json([{c: _json_value(v) for c, v in zip(result.columns, row, strict=True)}
                    for row in result.rows])
    else:
        for line in table_lines(result.columns, result.rows):
            print(line)
        print(f"（{len(result.rows)} 行）")
    if result.truncated:
        print(f"注意：结果超过 {MAX_ROWS} 行，只输出了前 {MAX_ROWS} 行", file=sys.stderr)
    return 0


def register(add: AddCommand) -> None:
    """Add `cunyi sql` to the parser."""
    p = add("sql", cmd_sql, "只读查询数据库（须登录；密码散列等机密列显示为NULL；每次查询记入审计日志）")
    p.add_argument("query", help='一条 SELECT 语句，如 "SELECT name, id_no FROM people LIMIT 5"')
    p.add_argument("--json", action="store_true", help="以JSON输出（每行一个对象的列表）")
