"""Which fields each side changed since a common base: what a field-by-field three-way merge needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldDiff:
    """Fields changed since the base: only here, only there, on both sides alike, or in conflict."""

    ours: frozenset[str]
    theirs: frozenset[str]
    same: frozenset[str]
    conflicts: frozenset[str]

    def merged(self, local: Mapping[str, Any], incoming: Mapping[str, Any]) -> dict[str, Any]:
        """The local row with the incoming side's own changes taken; conflicts stay local."""
        return {**local, **{k: incoming[k] for k in self.theirs}}


def field_diff(base: Mapping[str, Any], local: Mapping[str, Any],
               incoming: Mapping[str, Any], *, ignore: frozenset[str] = frozenset()) -> FieldDiff:
    """Compare both sides with the base, field by field (fields in `ignore` are left out)."""
    keys = (set(base) | set(local) | set(incoming)) - ignore
    ours = {k for k in keys if local.get(k) != base.get(k)}
    theirs = {k for k in keys if incoming.get(k) != base.get(k)}
    both = ours & theirs
    same = {k for k in both if local.get(k) == incoming.get(k)}
    return FieldDiff(frozenset(ours - theirs), frozenset(theirs - ours), frozenset(same),
                     frozenset(both - same))
