"""Overlapping policy packs of one county: found before any claim meets two packs for one day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.policy import PolicyPack


@dataclass(frozen=True)
class Overlap:
    """Two packs of one county whose periods share the days `first`–`last`; `later` is refused."""

    kept: PolicyPack
    later: PolicyPack
    first: dt.date
    last: dt.date

    @property
    def message(self) -> str:
        """One line naming both files and the shared days."""
        a = self.kept.source or self.kept.name
        b = self.later.source or self.later.name
        days = (self.last - self.first).days + 1
        return (f"{a} 与 {b} 的有效期在 {self.first} 至 {self.last} 重叠（{days}天），"
                f"{b} 未载入；请改正其中一个的 valid_from 或 valid_to")


def find_overlaps(packs: Sequence[PolicyPack]) -> list[Overlap]:
    """Each pack that overlaps an earlier-starting pack of its county (ties: the earlier file)."""
    ordered = sorted(packs, key=lambda p: (p.valid_from, p.valid_to, p.source, p.name))
    kept: list[PolicyPack] = []
    out: list[Overlap] = []
    for pack in ordered:
        clash = next((k for k in kept if k.county == pack.county
                      and k.valid_from <= pack.valid_to and pack.valid_from <= k.valid_to), None)
        if clash is None:
            kept.append(pack)
            continue
        out.append(Overlap(clash, pack, max(clash.valid_from, pack.valid_from),
                           min(clash.valid_to, pack.valid_to)))
    return out
