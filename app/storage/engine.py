"""The SQLite engine every clinic database is opened with: SQLCipher's build of SQLite.

`sqlcipher3` is a DB-API module shaped like the standard `sqlite3`, with its own connection,
row and exception classes. Every module that touches a clinic database imports `sqlite3` from
here, so a connection, a Row and an `except sqlite3.Error` always come from the same engine.
Without a key SQLCipher reads and writes plain SQLite files like the standard module.
"""

from __future__ import annotations

from sqlcipher3 import dbapi2 as sqlite3

__all__ = ["sqlite3"]
