"""Chains of superseding rows and the one rule that picks a chain's current row on every PC.

A correction is a new row naming the row it replaces (`supersedes`, `renewed_from`, `reverses`).
Two PCs that correct the same row offline leave two successors of it: a fork. Every PC must pick
the same branch from the rows alone, so the rule never looks at a PC's clock (`created_at`,
`updated_at`, or the time inside a UUIDv7 id). Among siblings (successors of one row, or rival
first rows of one chain) the winner is:

1. a row the county has sequenced (`server_seq` set) before one it has not;
2. the lower `server_seq` (the county saw it first);
3. the random part of the id (the last 62 bits of a UUIDv7, after its time and counter), then the
   whole id, so that two unsequenced rows are ordered the same on every PC.

The current row is found by walking from the chain's winning first row through the winning
successor at each step; a correction made on a losing branch stays on that branch. Once the
county has sequenced both sides the order is final; before that it may change once, when the
county's numbers arrive, the same way on every PC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A UUIDv7 as text: 8 hex, '-', 4 hex (48 bits of milliseconds), '-', '7' and 12 bits of a
# per-process counter, '-' ... from character 19 on, only the variant and random bits remain.
RANDOM_FROM = 19


@dataclass(frozen=True)
class Link:
    """One row of a chain: its id, the row it supersedes (None for a first row), its county
    sequence number (None until sequenced)."""

    id: str
    parent: str | None
    server_seq: int | None


def rank(server_seq: int | None, row_id: str) -> tuple[int, int, str, str]:
    """The sort key of a sibling: the smallest key wins."""
    return (0 if server_seq is not None else 1, server_seq or 0, row_id[RANDOM_FROM:], row_id)


def winner(siblings: Iterable[Link]) -> Link:
    """The sibling that wins by the rule (the county's order, then the id's random part)."""
    return min(siblings, key=lambda x: rank(x.server_seq, x.id))


def winning_path(links: Sequence[Link]) -> list[Link]:
    """The chain's winning path, first row to current row ([] for no rows). A row whose parent is
    not among `links` counts as a first row."""
    ids = {x.id for x in links}
    children: dict[str | None, list[Link]] = {}
    for x in links:
        children.setdefault(x.parent if x.parent in ids else None, []).append(x)
    path: list[Link] = []
    step = children.get(None)
    while step:
        best = winner(step)
        path.append(best)
        step = children.get(best.id)
    return path


def current(links: Sequence[Link]) -> Link | None:
    """The one current row of a chain (the end of its winning path)."""
    path = winning_path(links)
    return path[-1] if path else None


def losers(links: Sequence[Link]) -> list[tuple[Link, Link]]:
    """Each sibling that lost, with the sibling that beat it: the forks to report."""
    ids = {x.id for x in links}
    children: dict[str | None, list[Link]] = {}
    for x in links:
        children.setdefault(x.parent if x.parent in ids else None, []).append(x)
    out = []
    for group in children.values():
        if len(group) > 1:
            best = winner(group)
            out += [(x, best) for x in sorted(group, key=lambda y: rank(y.server_seq, y.id)) if x is not best]
    return out


@dataclass(frozen=True)
class ContractLink:
    """What the rule needs of a contract of one household: a renewal names `renewed_from`;
    `live` is a signed or active status; `start`/`end` are ISO dates; `members` person ids."""

    id: str
    renewed_from: str | None
    team_id: str
    live: bool
    start: str
    end: str
    members: frozenset[str]
    server_seq: int | None


def contract_losers(items: Sequence[ContractLink]) -> set[str]:
    """Contracts on a losing branch: a renewal beaten by another renewal of the same contract,
    a live contract beaten by another live one of the same team that shares a member over an
    overlapping term, and every later renewal of those."""
    def key(c: ContractLink) -> tuple[int, int, str, str]:
        return rank(c.server_seq, c.id)

    lost: set[str] = set()
    renewals: dict[str, list[ContractLink]] = {}
    for c in items:
        if c.renewed_from:
            renewals.setdefault(c.renewed_from, []).append(c)
    for group in renewals.values():
        lost |= {c.id for c in sorted(group, key=key)[1:]}
    _descendants(items, lost)
    live = sorted((c for c in items if c.live and c.id not in lost), key=key)
    for i, w in enumerate(live):
        for s in live[i + 1:]:
            if (w.id not in lost and s.team_id == w.team_id and s.start <= w.end
                    and w.start <= s.end and s.members & w.members):
                lost.add(s.id)
    _descendants(items, lost)
    return lost


def _descendants(items: Sequence[ContractLink], lost: set[str]) -> None:
    """Add every later renewal of a lost contract to `lost`."""
    grew = True
    while grew:
        more = {c.id for c in items if c.renewed_from in lost and c.id not in lost}
        lost |= more
        grew = bool(more)


# Kinds of conflict records (the `conflicts` table's `kind`), with what a list shows.
FORK = "fork"
SECOND_SUCCESSOR = "second_successor"
DOUBLE_REVERSAL = "double_reversal"
SLIP_TWICE = "slip_twice"
TWO_LIVE_CONTRACTS = "two_live_contracts"
DUPLICATE_PERSON = "duplicate_person"
DUPLICATE_HOUSEHOLD = "duplicate_household"

KIND_NAMES = {
    FORK: "同一记录被两次更正",
    SECOND_SUCCESSOR: "同一记录有两个后续",
    DOUBLE_REVERSAL: "同一结算被冲账两次",
    SLIP_TWICE: "同一结算单录入两次",
    TWO_LIVE_CONTRACTS: "同一居民与同一团队有两份有效协议",
    DUPLICATE_PERSON: "疑似重复居民（身份证号相同）",
    DUPLICATE_HOUSEHOLD: "疑似重复家庭（本村户编号相同）",
}


@dataclass(frozen=True)
class Conflict:
    """A fork or breach found in the file: two rows of one table (`a_id` < `b_id`), each with
    the version it had when found and the user who wrote it when known. `current_id` is the side
    the rule makes current now (`a_id` for a possible duplicate person or household, which has no winner);
    `found_at` is for display only; `resolution` is None until resolved."""

    id: int
    kind: str
    table: str
    a_id: str
    b_id: str
    a_version: tuple[str, int | None]
    b_version: tuple[str, int | None]
    a_user: str
    b_user: str
    found_at: str
    resolution: str | None
    current_id: str

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)
