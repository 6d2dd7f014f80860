"""A county kept in memory that answers the sync protocol with the real merge rules.

It stands for the county server in clinic-side tests and serves as the model the server is
checked against: it keeps every version it accepted (for merge bases), decides each pushed change
with app.sync.merge, and serves a clinic the rows of its scope in the order it numbered them.
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

from app.sync.identity import (
    Certificate,
    KeyPair,
    hello_payload,
    issue_certificate,
    new_code,
    new_key_pair,
    verify,
)
from app.sync.merge import FieldConflict, Held, Incoming, merge_push
from app.sync.protocol import (
    Ack,
    Challenge,
    Enrol,
    Enrolled,
    Hello,
    Knock,
    Pull,
    PullReply,
    Push,
    PushReply,
    Resolve,
    ResolveReply,
    Row,
    Version,
    Welcome,
)

COUNTY = "county-0000"


@dataclass
class MemoryCounty:
    scopes: dict[str, str] = field(default_factory=dict)        # instance → division prefix
    rows: dict[tuple[str, str], Held] = field(default_factory=dict)
    history: dict[int, dict[str, Any]] = field(default_factory=dict)
    seqs: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    applied: set[tuple[str, str, tuple[str, int]]] = field(default_factory=set)
    conflicts: list[FieldConflict] = field(default_factory=list)
    sessions: dict[str, str] = field(default_factory=dict)
    codes: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    keys: dict[str, bytes] = field(default_factory=dict)
    nonces: dict[str, tuple[str, str]] = field(default_factory=dict)
    key: KeyPair = field(default_factory=new_key_pair)
    _seq: itertools.count = field(default_factory=lambda: itertools.count(1))
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def issue_code(self, scope: str, station: int | None = None) -> str:
        code = new_code()
        self.codes[code] = (scope, station)
        return code

    def enrol(self, message: Enrol) -> Enrolled:
        scope, station = self.codes.pop(message.code)
        station = station or 1 + sum(1 for s in self.scopes.values() if s == scope)
        public = bytes.fromhex(message.public_key)
        cert = issue_certificate(self.key.private, Certificate(message.instance, public, scope, station))
        self.scopes[message.instance] = scope
        self.keys[message.instance] = public
        return Enrolled(certificate=cert.decode(), county_key=self.key.public.hex(), scope=scope,
                        station=station)

    def knock(self, message: Knock) -> Challenge:
        session = f"s{len(self.sessions) + 1}"
        self.nonces[session] = (message.instance, secrets.token_hex(16))
        return Challenge(session=session, nonce=self.nonces[session][1])

    def hello(self, message: Hello) -> Welcome:
        instance, nonce = self.nonces.pop(message.session)
        assert instance == message.instance
        assert verify(self.keys[instance], bytes.fromhex(message.signature),
                      hello_payload(instance, message.session, nonce))
        self.sessions[message.session] = instance
        return Welcome(session=message.session, scope=self.scopes[instance], station=1)

    def push(self, message: Push) -> PushReply:
        acks = []
        for c in message.changes:
            key = (c.table, c.id)
            held = self.rows.get(key)
            base = self.history.get(c.base) if c.base is not None else None
            version = c.version.pair()
            out = merge_push(Incoming(c.table, c.id, version, c.base, c.values, c.user), held, base,
                             already_applied=(c.table, c.id, version) in self.applied)
            self.applied.add((c.table, c.id, version))
            self.conflicts.extend(out.conflicts)
            if out.stamp == "incoming":
                seq = self._store(key, out.values or {}, version, c.user)
                acks.append(Ack(table=c.table, id=c.id, version=c.version,
                                outcome="inserted" if out.action == "insert" else "applied",
                                server_seq=seq, conflicts=len(out.conflicts)))
                continue
            if out.stamp == "county":
                self._store(key, out.values or {}, (COUNTY, next(self._counter)), "")
            now = self.rows[key]
            acks.append(Ack(table=c.table, id=c.id, version=c.version,
                            outcome="merged" if out.stored else ("known" if out.action == "noop" else "unchanged"),
                            server_seq=None, row=self._row(key, now), conflicts=len(out.conflicts)))
        return PushReply(session=message.session, chunk=message.chunk, acks=acks)

    def _store(self, key: tuple[str, str], values: dict[str, Any], version: tuple[str, int],
               user: str) -> int:
        seq = next(self._seq)
        self.rows[key] = Held(dict(values), version, seq, user)
        self.history[seq] = dict(values)
        self.seqs.setdefault(key, []).append(seq)
        return seq

    def versions_of(self, key: tuple[str, str]) -> list[dict[str, Any]]:
        """Every version of a record the county accepted, oldest first."""
        return [self.history[s] for s in self.seqs.get(key, [])]

    @staticmethod
    def _row(key: tuple[str, str], held: Held) -> Row:
        return Row(table=key[0], id=key[1], server_seq=held.server_seq,
                   version=Version(instance=held.version[0], counter=held.version[1]),
                   values=dict(held.values))

    def resolve(self, message: Resolve) -> ResolveReply:
        return ResolveReply(session=message.session, conflicts=[])

    def pull(self, message: Pull) -> PullReply:
        scope = self.scopes[self.sessions[message.session]]
        after = int(message.cursor or 0)
        found = sorted(((h.server_seq, k, h) for k, h in self.rows.items()
                        if h.server_seq > after
                        and self._in_scope(str(h.values.get("partition", "")), scope)),
                       key=lambda t: t[0])
        page = found[: message.limit]
        until = page[-1][0] if page else max([after, *[h.server_seq for h in self.rows.values()]])
        return PullReply(session=message.session, rows=[self._row(k, h) for _, k, h in page],
                         cursor=str(until), more=len(found) > len(page))

    @staticmethod
    def _in_scope(partition: str, scope: str) -> bool:
        """A row within the scope, or above it (its township, its county): read-only ancestors."""
        mine = _prefix(scope)
        return _prefix(partition).startswith(mine) or mine.startswith(_prefix(partition))


def _prefix(code: str) -> str:
    """The significant digits of a division code: 6 for a county, 9 for a township, 12 a village."""
    if code.endswith("000000"):
        return code[:6]
    if code.endswith("000"):
        return code[:9]
    return code
