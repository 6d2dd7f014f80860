"""The audit log's hash chain: its public encoding, and what verification finds when rows are tampered."""

from __future__ import annotations

import dataclasses
import hashlib

from app.core.audit_chain import GENESIS, AuditEntry, canonical, entry_hash, verify_chain


def chain(n: int) -> list[AuditEntry]:
    """n honest entries, one minute apart."""
    rows: list[AuditEntry] = []
    prev = GENESIS
    for i in range(1, n + 1):
        at = f"2026-12-03T08:{i:02d}:00+00:00"
        digest = entry_hash(prev, at, "li", "create", "people", f"p{i}", f"第{i}条")
        rows.append(AuditEntry(i, at, "li", "create", "people", f"p{i}", f"第{i}条", prev, digest))
        prev = digest
    return rows


def test_canonical_encoding_is_netstrings_in_a_fixed_order_with_tilde_for_null():
    data = canonical(GENESIS, "2026-12-03T08:00:00+00:00", "李", "sign_in", None, None, "")
    assert data == (b"14:cunyi-audit-v1," + b"64:" + b"0" * 64 + b","
                    + b"25:2026-12-03T08:00:00+00:00," + "3:李,".encode() + b"7:sign_in,"
                    + b"~~" + b"0:,")
    assert entry_hash(GENESIS, "2026-12-03T08:00:00+00:00", "李", "sign_in", None, None, "") \
        == hashlib.sha256(data).hexdigest()


def test_null_and_empty_text_hash_differently_and_fields_cannot_slide():
    assert entry_hash(GENESIS, "t", "u", "a", None, "", "") != entry_hash(GENESIS, "t", "u", "a", "", None, "")
    assert entry_hash(GENESIS, "t", "u", "ab", "c", None, "") != entry_hash(GENESIS, "t", "u", "a", "bc", None, "")


def test_an_honest_chain_verifies_clean():
    assert verify_chain(chain(6), last_written=6) == []


def test_a_deleted_entry_is_found_as_missing():
    rows = chain(6)
    del rows[2]
    breaks = verify_chain(rows, last_written=6)
    assert [(b.seq, b.kind) for b in breaks] == [(3, "missing")]
    assert "第 3 条" in breaks[0].describe() and "缺失" in breaks[0].describe()


def test_entries_cut_from_the_end_are_found_from_the_last_number_issued():
    breaks = verify_chain(chain(6)[:4], last_written=6)
    assert [(b.seq, b.kind) for b in breaks] == [(5, "missing")]


def test_a_changed_entry_is_found():
    rows = chain(6)
    rows[3] = dataclasses.replace(rows[3], detail="改过的")
    breaks = verify_chain(rows)
    assert [(b.seq, b.kind) for b in breaks] == [(4, "changed")]


def test_a_backdated_entry_is_found_and_named_with_its_new_time():
    rows = chain(6)
    rows[4] = dataclasses.replace(rows[4], at="2020-01-01T00:00:00+00:00")
    (b,) = verify_chain(rows)
    assert (b.seq, b.kind, b.at) == (5, "changed", "2020-01-01T00:00:00+00:00")
    assert "2020-01-01" in b.describe() and "倒填" in b.describe()


def test_swapped_entries_are_found_as_reordered():
    rows = chain(6)
    a, b = rows[2], rows[3]
    rows[2], rows[3] = dataclasses.replace(b, seq=3), dataclasses.replace(a, seq=4)
    breaks = verify_chain(rows)
    assert breaks[0].seq == 3 and breaks[0].kind == "reordered"
    assert {x.kind for x in breaks} == {"reordered"}


def test_a_recomputed_chain_with_a_hole_is_still_missing_its_number():
    rows = chain(6)
    del rows[1]
    prev = GENESIS
    forged = []
    for e in rows:
        digest = entry_hash(prev, e.at, e.username, e.action, e.table_name, e.row_id, e.detail)
        forged.append(dataclasses.replace(e, prev_hash=prev, hash=digest))
        prev = digest
    assert [(b.seq, b.kind) for b in verify_chain(forged)] == [(2, "missing")]


def test_an_entry_written_around_the_writer_has_no_hash_and_is_found():
    rows = chain(3)
    rows.append(AuditEntry(4, "2026-12-03T09:00:00+00:00", "x", "x", None, None, "", None, None))
    assert [(b.seq, b.kind) for b in verify_chain(rows)] == [(4, "changed")]


def test_verification_continues_from_a_verified_position():
    rows = chain(6)
    assert verify_chain(rows[3:], start_seq=3, start_hash=rows[2].hash or "", last_written=6) == []
    assert verify_chain(rows[3:], start_seq=3, start_hash=GENESIS)[0].kind == "missing"
