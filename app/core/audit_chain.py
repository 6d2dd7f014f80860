"""The audit log's hash chain: a frozen, public encoding so a county tool can verify a clinic's log.

Encoding v1 (never change it; a new one gets a new tag). An entry's hash is the lowercase hex
SHA-256 of the concatenation of these items, in this order:

    tag, prev_hash, at, username, action, table_name, row_id, detail

where `tag` is the text ``cunyi-audit-v1``, a text item is the netstring of its UTF-8 bytes
(``<decimal byte count>:<bytes>,``) and a NULL item is the single byte ``~``. `prev_hash` is the
hash of the entry before in storage order (`seq`), or 64 zeros for the first entry. Values are
hashed exactly as stored: no trimming, no Unicode normalisation. `seq` itself is not hashed: the
chain defines the order, and storage that disagrees with it is reported as reordered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

TAG = "cunyi-audit-v1"
GENESIS = "0" * 64

Kind = Literal["missing", "changed", "reordered"]
KIND_WORDS: dict[str, str] = {"missing": "缺失", "changed": "被改动", "reordered": "顺序被调换"}


@dataclass(frozen=True)
class AuditEntry:
    """One stored row of the audit log, as read back for verification."""

    seq: int
    at: str
    username: str
    action: str
    table_name: str | None
    row_id: str | None
    detail: str
    prev_hash: str | None
    hash: str | None


@dataclass(frozen=True)
class Break:
    """The first sign of tampering at one place in the log: which entry, when, and what."""

    seq: int
    at: str
    kind: Kind
    reason: str

    def describe(self) -> str:
        """One Chinese line naming the entry, its time and what is wrong with it."""
        when = f"（{self.at}）" if self.at else ""
        return f"审计日志第 {self.seq} 条{when}{KIND_WORDS[self.kind]}：{self.reason}"


def _item(value: object) -> bytes:
    if value is None:
        return b"~"
    data = value if isinstance(value, bytes) else str(value).encode("utf-8")
    return str(len(data)).encode("ascii") + b":" + data + b","


def canonical(prev_hash: str | None, at: str, username: str, action: str,
              table_name: str | None, row_id: str | None, detail: str) -> bytes:
    """The bytes an entry's hash is taken over (encoding v1, see the module docstring)."""
    return b"".join(_item(v) for v in (TAG, prev_hash, at, username, action, table_name,
                                        row_id, detail))


def entry_hash(prev_hash: str | None, at: str, username: str, action: str,
               table_name: str | None, row_id: str | None, detail: str) -> str:
    """The hash an entry with these fields, following `prev_hash`, must carry."""
    return hashlib.sha256(canonical(prev_hash, at, username, action, table_name, row_id,
                                    detail)).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    """What `entry.hash` should be, from its own fields and its stored `prev_hash`."""
    return entry_hash(entry.prev_hash, entry.at, entry.username, entry.action,
                      entry.table_name, entry.row_id, entry.detail)


def verify_chain(entries: Iterable[AuditEntry], *, start_seq: int = 0, start_hash: str = GENESIS,
                 start_at: str = "", last_written: int | None = None) -> list[Break]:
    """Every break in `entries` (in storage order), continuing a chain verified up to `start_seq`.

    `last_written` is the highest number the log ever issued (SQLite's sqlite_sequence), so
    entries removed from the end are found too.
    """
    rows = list(entries)
    known = {e.hash for e in rows if e.hash}
    breaks: list[Break] = []
    prev_seq, prev_hash, prev_at = start_seq, start_hash, start_at
    for e in rows:
        if e.seq != prev_seq + 1:
            span = f"第 {prev_seq + 1}–{e.seq - 1} 条" if e.seq > prev_seq + 2 else "这一条"
            breaks.append(Break(prev_seq + 1, "", "missing",
                                f"{span}被删除（原在 {prev_at or '日志开头'} 与 {e.at} 之间）"))
        elif not e.hash or hash_of(e) != e.hash:
            earlier = "；记录时间早于前一条（时间被倒填？）" if prev_at and e.at < prev_at else ""
            what = "内容与其校验值不符" if e.hash else "没有校验值，不是经村医写入的"
            breaks.append(Break(e.seq, e.at, "changed", what + earlier))
        elif e.prev_hash != prev_hash:
            if e.prev_hash in known:
                breaks.append(Break(e.seq, e.at, "reordered", "它在链中本应排在别处"))
            else:
                breaks.append(Break(e.seq, e.at, "missing",
                                    "它之前的一条或几条记录被删除（与前一条接不上）"))
        prev_seq, prev_hash, prev_at = e.seq, e.hash or "", e.at
    if last_written is not None and last_written > prev_seq:
        span = f"第 {prev_seq + 1}–{last_written} 条" if last_written > prev_seq + 1 else "这一条"
        breaks.append(Break(prev_seq + 1, "", "missing", f"日志末尾的{span}被删除"))
    return breaks
