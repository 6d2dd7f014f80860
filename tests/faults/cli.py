"""Running `cunyi` in-process for the fault tests: exit code, stdout and stderr, and the database's digest."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.cli import main
from app.storage.engine import open_file
from tests.cli_users import sign_in_env, unlocked

VILLAGE = "622923104201"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


USER = ("doctor", "secret12")          # the user `init` below makes, signed in as by `run`


def run(home: Path, *args: str, user: tuple[str, str] | None = USER) -> Result:
    """`cunyi --home HOME ARGS…` in this process, in HOME's parent folder (so a relative output
    path lands there, not in the source tree), signed in as `user` through CUNYI_USER and
    CUNYI_PASSWORD; argparse's own exits are caught as codes."""
    out, err = io.StringIO(), io.StringIO()
    home.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.chdir(home.parent), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            _signed_in_as(user):
        try:
            code = main(["--home", str(home), *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return Result(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _signed_in_as(user: tuple[str, str] | None) -> Iterator[None]:
    """CUNYI_USER/CUNYI_PASSWORD set for `user` (or unset for None), restored afterwards."""
    saved = {k: os.environ.pop(k, None) for k in ("CUNYI_USER", "CUNYI_PASSWORD")}
    os.environ.update(sign_in_env(user))
    try:
        yield
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None)
            if v is not None:
                os.environ[k] = v


def init(home: Path) -> None:
    r = run(home, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE, "--village-name", "红旗村",
            "--user", USER[0], "--password", USER[1])
    assert r.code == 0, r.err


AUDIT_ANCHOR = "audit_verified_through"


def digest(database: Path, user: tuple[str, str] = USER) -> str:
    """A digest of every table's rows (sorted, so storage order does not matter): equal digests
    mean nothing was written. Virtual tables' shadow tables are covered through their own rows."""
    h = hashlib.sha256()
    with contextlib.closing(open_file(unlocked(database, user), read_only=True)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
        for table in tables:
            h.update(table.encode())
            # The audit log's verified-through mark moves on every open, failed commands included:
            # it records how far the chain was checked, not anything the command did. Likewise
            # every command signs in first, and the log records who did (`sign_in`).
            if table == "settings":
                rows = conn.execute("SELECT * FROM settings WHERE key != ?", (AUDIT_ANCHOR,))
            elif table == "audit_log":
                rows = conn.execute("SELECT * FROM audit_log WHERE action != 'sign_in'")
            else:
                rows = conn.execute(f'SELECT * FROM "{table}"')
            for line in sorted(repr(row) for row in rows):
                h.update(line.encode())
    return h.hexdigest()
