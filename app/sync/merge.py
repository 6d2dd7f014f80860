"""How a record changed in two places becomes one record: pure rules, the same on the county
server and on every clinic PC. Nothing here reads a clock or a database.

The county serialises: a clinic pushes a change made on top of a *base* (the county's version it
last had, named by that version's `server_seq`), and the county decides, record by record:

- a version it has already applied is a no-op (retries and USB bundles arrive twice, late and out
  of order; this is decided per record, never by a high-water mark);
- a record it does not have is inserted as sent;
- a change made on the county's current version fast-forwards it;
- otherwise the county's version moved on since the clinic's base: the two are merged field by
  field against the base. A field that only one side changed takes that side's value; a field
  both changed to different values keeps the county's accepted value, and the clinic's value is
  kept as a `FieldConflict` for someone to resolve. Editing a record that the other side deleted
  is a conflict too (the edits are kept in the tombstone, and the deletion stands until resolved).

A clinic that pulls the county's version of a record it has edited since (an edit made while a
sync ran) does not decide anything: it *rebases*, putting its pending fields on top of the county's
version, and pushes them again later, when the county decides. So there is one place that
decides, and one deterministic answer everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Version = tuple[str, int]   # (instance id, that instance's counter)

# Bookkeeping columns: never merged as data, never in conflict.
META = frozenset({"id", "version_instance", "version_counter", "server_seq"})
# Shown to people, never deciding anything: goes with whichever side's change was taken.
DISPLAY = "updated_at"
DELETED = "deleted"


class MergeError(ValueError):
    """A change that cannot be merged as sent (the sender's data or protocol is wrong)."""


@dataclass(frozen=True)
class Incoming:
    """A clinic's change to one record, as pushed.

    `changes` holds the fields the clinic changed since `base_seq`, with their new values; when
    `base_seq` is None the clinic never had a county version of the record, and `changes` is the
    whole row as the clinic has it.
    """

    table: str
    id: str
    version: Version
    base_seq: int | None
    changes: Mapping[str, Any]
    user: str = ""


@dataclass(frozen=True)
class Held:
    """The county's current version of a record: its values, version, user and sequence number."""

    values: Mapping[str, Any]
    version: Version
    server_seq: int
    user: str = ""


@dataclass(frozen=True)
class FieldConflict:
    """One field both sides changed differently: the value kept and the value set aside."""

    table: str
    id: str
    field: str
    kept: Any
    lost: Any
    kept_version: Version
    lost_version: Version
    kept_user: str = ""
    lost_user: str = ""


Action = Literal["noop", "insert", "fast_forward", "merge"]


@dataclass(frozen=True)
class Outcome:
    """What the county stores for a pushed change.

    `values` is the record's data after the decision (without bookkeeping columns); `stamp` says
    which version the stored record carries: the incoming one (it holds exactly what the clinic
    sent on top of what it had), the county's own new version (a mix nobody had before), or none
    (nothing was stored). `taken` are the incoming fields that made it in.
    """

    action: Action
    values: dict[str, Any] | None
    stamp: Literal["incoming", "county", "none"]
    taken: frozenset[str] = frozenset()
    conflicts: tuple[FieldConflict, ...] = field(default_factory=tuple)

    @property
    def stored(self) -> bool:
        return self.stamp != "none"


def data(values: Mapping[str, Any]) -> dict[str, Any]:
    """A row's data fields: everything but the bookkeeping columns."""
    return {k: v for k, v in values.items() if k not in META}


def merge_push(incoming: Incoming, held: Held | None, base: Mapping[str, Any] | None, *,
               already_applied: bool) -> Outcome:
    """The county's decision on one pushed change.

    `held` is the county's current version (None if it has none); `base` the data of the county
    version numbered `incoming.base_seq` (needed only when the county moved on since it);
    `already_applied` whether the county has accepted `incoming.version` of this record before.
    """
    if already_applied:
        return Outcome("noop", None, "none")
    changes = data(incoming.changes)
    if held is None:
        if incoming.base_seq is not None:
            raise MergeError(f"{incoming.table}/{incoming.id}: 县里没有这条记录，却收到基于县版本"
                             f" {incoming.base_seq} 的修改")
        return Outcome("insert", changes, "incoming", frozenset(changes))
    current = data(held.values)
    if incoming.base_seq is not None and incoming.base_seq > held.server_seq:
        raise MergeError(f"{incoming.table}/{incoming.id}: 修改所基于的县版本 {incoming.base_seq}"
                         f" 比县里的当前版本 {held.server_seq} 还新")
    if incoming.base_seq == held.server_seq:
        merged = {**current, **changes}
        return Outcome("fast_forward", merged, "incoming", frozenset(changes))
    if incoming.base_seq is not None and base is None:
        raise MergeError(f"{incoming.table}/{incoming.id}: 找不到县版本 {incoming.base_seq}")
    # The county moved on since the clinic's base (or both made the record without a common
    # base, as two PCs do with a division): field by field.
    common = data(base) if base is not None else {}
    ours_changed = {k for k in current if k != DISPLAY and (k not in common or current[k] != common[k])}
    taken: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for name, value in changes.items():
        if name == DISPLAY:
            continue
        if base is not None and name in common and value == common[name]:
            continue                                     # not really changed on the clinic
        if name in current and current[name] == value:
            continue                                     # both sides made the same change
        if name in ours_changed and name in current:
            conflicts.append(FieldConflict(
                incoming.table, incoming.id, name, kept=current[name], lost=value,
                kept_version=held.version, lost_version=incoming.version,
                kept_user=held.user, lost_user=incoming.user))
            continue
        taken[name] = value
    if taken and DISPLAY in changes:
        taken[DISPLAY] = changes[DISPLAY]
    merged = {**current, **taken}
    if all(c.field != DELETED for c in conflicts):
        conflicts.extend(_deletion_conflicts(incoming, held, current, common, taken, base is not None))
    if not taken:
        return Outcome("merge", current, "none", frozenset(), tuple(conflicts))
    return Outcome("merge", merged, "county", frozenset(taken), tuple(conflicts))


def _deletion_conflicts(incoming: Incoming, held: Held, current: Mapping[str, Any],
                        common: Mapping[str, Any], taken: Mapping[str, Any],
                        has_base: bool) -> list[FieldConflict]:
    """Edits to a record the other side deleted: the deletion stands, and says so."""
    was_deleted = bool(common.get(DELETED)) if has_base else False
    county_deletes = bool(current.get(DELETED)) and not was_deleted
    clinic_deletes = bool(taken.get(DELETED)) and not was_deleted
    edited = [k for k in taken if k not in (DELETED, DISPLAY)]
    county_edited = [k for k in current
                     if k not in (DELETED, DISPLAY) and has_base and current[k] != common.get(k)]
    if county_deletes and edited:
        return [FieldConflict(incoming.table, incoming.id, DELETED, kept=current.get(DELETED), lost=0,
                              kept_version=held.version, lost_version=incoming.version,
                              kept_user=held.user, lost_user=incoming.user)]
    if clinic_deletes and county_edited:
        return [FieldConflict(incoming.table, incoming.id, DELETED, kept=taken[DELETED], lost=0,
                              kept_version=incoming.version, lost_version=held.version,
                              kept_user=incoming.user, lost_user=held.user)]
    return []


# --- the clinic's side ------------------------------------------------------------------------

RebaseAction = Literal["noop", "insert", "fast_forward", "rebase"]


@dataclass(frozen=True)
class Rebase:
    """What a clinic does with a county version it pulled.

    `values` the record's data afterwards; `pending` the local fields still to push on top of the
    county's version (empty unless the action is "rebase").
    """

    action: RebaseAction
    values: dict[str, Any] | None
    pending: dict[str, Any] = field(default_factory=dict)


def rebase_pull(county: Held, local: Mapping[str, Any] | None, local_seq: int | None,
                pending: Mapping[str, Any]) -> Rebase:
    """Put a pulled county version under this PC's unsynced edits of the record.

    `local` is the record here (None if absent), `local_seq` the county version it was last based
    on, `pending` the fields changed here since then that the county has not acknowledged, with
    their values. A county version this PC already has (or an older one) changes nothing.
    """
    incoming = data(county.values)
    if local is None:
        return Rebase("insert", incoming)
    if local_seq is not None and local_seq >= county.server_seq:
        return Rebase("noop", None)
    still = {k: v for k, v in data(pending).items() if incoming.get(k) != v}
    if not still:
        return Rebase("fast_forward", incoming)
    return Rebase("rebase", {**incoming, **still}, still)
