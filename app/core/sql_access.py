"""What a read-only query (`cunyi sql`) may see: every table, but never a secret column."""

from __future__ import annotations

import re

# Pragmas that only describe the schema; every other one (key, rekey, cipher_*, writes) is refused.
SCHEMA_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list",
})
# Columns (or whole tables) whose values a query gets as NULL: password hashes, keys, secrets.
_SECRET = re.compile(r"password|secret|key_wrap|wrapped_key|recovery_key|passphrase", re.IGNORECASE)
MAX_ROWS = 10_000
MAX_AUDIT_TEXT = 500
# Functions that could reach outside the database.
DENIED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"})


def is_secret(table: str | None, column: str | None) -> bool:
    """Whether a query must see NULL in place of this column's values."""
    return any(name and _SECRET.search(name) for name in (table, column))


def may_pragma(name: str | None) -> bool:
    """Whether a read-only query may run this pragma (schema descriptions only)."""
    return (name or "").lower() in SCHEMA_PRAGMAS


def may_call(function: str | None) -> bool:
    """Whether a read-only query may call this SQL function."""
    return (function or "").lower() not in DENIED_FUNCTIONS


def audit_text(query: str) -> str:
    """The query as the audit log keeps it: at most 500 characters."""
    text = query.strip()
    return text if len(text) <= MAX_AUDIT_TEXT else text[:MAX_AUDIT_TEXT - 1] + "…"
