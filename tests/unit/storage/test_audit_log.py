"""The audit log's one writer and the check made on open: chained entries, the verified position."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.audit_chain import GENESIS, entry_hash
from app.storage.audit import ANCHOR_KEY, verify_log
from app.storage.engine import open_file, sqlite3
from app.storage.workspace import Workspace


def raw(path: Path, *statements: str) -> None:
    conn = open_file(path)
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def test_every_entry_is_chained_and_opening_remembers_how_far_it_checked(db_path, workspace):
    for i in range(3):
        workspace.settings.update(phone=str(i))
    workspace.close()
    with Workspace.open(db_path) as ws:
        assert ws.log_report.intact
        last = ws.conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        assert ws.settings.get(ANCHOR_KEY) == f"{last[0]} {last[1]}"
        assert verify_log(ws.conn).intact


def test_an_entry_deleted_before_the_verified_position_is_still_found_on_open(db_path, workspace):
    for i in range(4):
        workspace.settings.update(phone=str(i))
    workspace.close()
    Workspace.open(db_path).close()                      # verified through the last entry
    raw(db_path, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 2")
    with Workspace.open(db_path) as ws:
        assert [(b.seq, b.kind) for b in ws.log_report.breaks] == [(2, "missing")]


def test_a_chain_recomputed_after_a_deletion_is_found_at_the_verified_position(db_path, workspace):
    for i in range(4):
        workspace.settings.update(phone=str(i))
    workspace.close()
    Workspace.open(db_path).close()
    conn = open_file(db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    prev = GENESIS
    for seq, *f in conn.execute("SELECT seq, at, username, action, table_name, row_id, detail"
                                " FROM audit_log ORDER BY seq").fetchall():
        digest = entry_hash(prev, *f)
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest
    conn.commit()
    conn.close()
    with Workspace.open(db_path) as ws:
        assert ws.log_report.breaks and ws.log_report.breaks[0].seq == 2


def test_two_open_workspaces_writing_in_turn_keep_one_chain(db_path, workspace):
    other = Workspace.open(db_path)
    for i in range(5):
        workspace.settings.update(phone=str(i))
        other.settings.update(address=str(i))
    other.close()
    assert verify_log(workspace.conn).intact


def test_an_entry_that_does_not_follow_the_last_one_is_refused(workspace):
    with pytest.raises(sqlite3.IntegrityError, match="chained"):
        workspace.conn.execute(
            "INSERT INTO audit_log (at, username, action, detail, prev_hash, hash)"
            " VALUES ('t', 'u', 'a', '', ?, ?)", (GENESIS, "f" * 64))
