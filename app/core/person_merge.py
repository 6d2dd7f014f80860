"""Merging two files of one resident (a possible duplicate: the same resident ID registered on two
PCs) into the one the doctor chooses to keep, the survivor.

What a merge does, decided here from plain values so that the clinic that merges and a clinic
that later finds a row still pointing at the merged file decide alike:

- Every row that names the other person (`PERSON_REFERENCES`: diagnoses, contract memberships,
  履约 records, follow-ups, general visits, exams, claims, a household's head) is re-pointed to
  the survivor, tombstones too, so that afterwards nothing names the other file. Each is an
  ordinary edit of that row, synced like any other.
- Where the person may hold one live row per key (`ONE_PER_KEY`: one membership per contract, one
  diagnosis per condition) and both files hold a live one, the survivor's row stays and the
  other's is re-pointed and tombstoned; the survivor's row takes the other's values only in
  fields it left empty (an earlier diagnosis date the survivor's row lacks, say).
- Rows of superseding chains (visits, exams, claims) move whole, chain links untouched. Two
  chains, or a fork, that now belong to one person stay as they are: forks remain fork conflicts,
  a slip entered on both PCs becomes a slip-entered-twice breach, two live contracts with one team
  a two-live-contracts breach; nothing is dropped or chosen here.
- The survivor's fields keep their values. A field the survivor left empty takes the other's
  value; a field both filled differently keeps the survivor's and is listed (`differing`) so the
  confirmation can say so. The other's 档案号 (and its former numbers) join the survivor's former
  numbers, so a printed QR code or a typed number of the merged file still finds the person.
- A household the other person headed: in the survivor's own household the survivor becomes the
  head; elsewhere the household is left without a head and a warning says so.
- The other person's row is tombstoned with `merged_into` naming the survivor.

Only two live files of the same resident may merge: the same person twice is refused, a file
already merged or deleted is refused, and two different resident IDs are refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import ConflictError, ValidationError

# table → the column that names a person. tests/unit/storage/test_person_merge.py checks it
# against every foreign key to `people` in the schema (households.head_id has none).
PERSON_REFERENCES: dict[str, str] = {
    "households": "head_id",
    "diagnoses": "person_id",
    "contract_members": "person_id",
    "service_deliveries": "person_id",
    "follow_ups": "person_id",
    "general_visits": "person_id",
    "health_exams": "person_id",
    "claims": "person_id",
}
# Tables where a person holds at most one live row per key, and the fields a kept row fills
# from the other's row when it left them empty.
ONE_PER_KEY: dict[str, tuple[str, tuple[str, ...]]] = {
    "contract_members": ("contract_id", ()),
    "diagnoses": ("condition", ("confirmed_on", "hospital", "treatment_class", "note")),
}
# Fields of a person that are the file's own, never taken from the other file.
OWN_FIELDS = frozenset({
    "id", "household_id", "record_no", "relation", "partition", "deleted", "merged_into",
    "record_issuer", "record_provisional", "former_record_nos",
    "version_instance", "version_counter", "server_seq", "updated_at",
})
EMPTY_VALUES = (None, "", "[]", "{}")
# What a count of a person's records is called when the doctor reads it.
RECORD_NAMES: dict[str, str] = {
    "follow_ups": "随访", "general_visits": "一般随访", "health_exams": "体检", "claims": "就医结算",
    "contract_members": "签约", "service_deliveries": "履约记录", "diagnoses": "诊断",
    "households": "户主",
}


def is_empty(value: Any) -> bool:
    return value in EMPTY_VALUES


@dataclass(frozen=True)
class Ref:
    """A row that names one of the two persons: its table, id, the person it names, whether it is
    a tombstone, and its values (the key column and the fields it may fill)."""

    table: str
    id: str
    person_id: str
    deleted: bool = False
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Edit:
    """One tracked edit of one row."""

    table: str
    id: str
    values: dict[str, Any]


@dataclass(frozen=True)
class MergePlan:
    """Everything a merge writes, in order, and what to tell the doctor about it.

    `moved` counts the other's live rows that now name the survivor, per table; `dropped` the
    other's live rows tombstoned as duplicates of the survivor's (per table); `filled` the
    survivor's empty fields taken from the other; `differing` the fields both filled differently
    (the survivor's value kept)."""

    survivor_id: str
    other_id: str
    person: dict[str, Any]
    edits: tuple[Edit, ...]
    moved: dict[str, int]
    dropped: dict[str, int]
    filled: tuple[str, ...]
    differing: tuple[str, ...]
    warnings: tuple[str, ...]


def check_merge(survivor: Mapping[str, Any], other: Mapping[str, Any]) -> None:
    """Refuse a merge that is not of two live files of the same resident."""
    if survivor["id"] == other["id"]:
        raise ValidationError("不能把一份档案与它自己合并")
    for p in (survivor, other):
        if p.get("merged_into"):
            raise ConflictError(f"{p['name']} 的这份档案已经合并到另一份档案，不能再合并")
        if p.get("deleted"):
            raise ConflictError(f"{p['name']} 的这份档案已删除，不能合并")
    a, b = str(survivor.get("id_no") or "").upper(), str(other.get("id_no") or "").upper()
    if a and b and a != b:
        raise ValidationError(f"两份档案的身份证号不同（{a} 与 {b}），不是同一人，不能合并")


def fill_empty(kept: Mapping[str, Any], other: Mapping[str, Any],
               fields: Iterable[str]) -> dict[str, Any]:
    """The fields `kept` left empty that `other` has, with `other`'s values."""
    return {k: other[k] for k in fields
            if k in kept and k in other and is_empty(kept[k]) and not is_empty(other[k])}


def _former(survivor: Mapping[str, Any], other: Mapping[str, Any]) -> list[str] | None:
    """The survivor's former numbers with the other's number and former numbers added; None when
    the file does not keep former numbers or nothing is added."""
    if "former_record_nos" not in survivor:
        return None
    have = list(json.loads(survivor["former_record_nos"] or "[]"))
    theirs = [str(other.get("record_no") or ""), *json.loads(other.get("former_record_nos") or "[]")]
    added = [n for n in theirs if n and n != survivor.get("record_no") and n not in have]
    return have + list(dict.fromkeys(added)) if added else None


def person_values(survivor: Mapping[str, Any], other: Mapping[str, Any]) -> tuple[dict[str, Any],
                                                                                  tuple[str, ...]]:
    """What the survivor's row takes from the other (its empty fields filled, its former numbers
    grown), and the fields both filled differently."""
    shared = [k for k in survivor if k not in OWN_FIELDS and k in other]
    values = fill_empty(survivor, other, shared)
    differing = tuple(k for k in shared if k not in values and not is_empty(survivor[k])
                      and not is_empty(other[k]) and survivor[k] != other[k])
    former = _former(survivor, other)
    if former is not None:
        values["former_record_nos"] = json.dumps(former, ensure_ascii=False)
    return values, differing


def repoint(survivor_id: str, other_id: str, refs: Sequence[Ref], *,
            survivor_household: str | None = None) -> tuple[list[Edit], dict[str, int],
                                                            dict[str, int], list[str]]:
    """The edits that make every row naming `other_id` name `survivor_id` instead (see the module
    doc), with the live rows moved and dropped per table and the warnings to show."""
    edits: list[Edit] = []
    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}
    warnings: list[str] = []
    kept: dict[tuple[str, Any], Ref] = {}
    for r in refs:
        if r.person_id == survivor_id and not r.deleted and r.table in ONE_PER_KEY:
            kept.setdefault((r.table, r.values.get(ONE_PER_KEY[r.table][0])), r)
    order = list(PERSON_REFERENCES)
    for r in sorted((r for r in refs if r.person_id == other_id),
                    key=lambda r: (order.index(r.table), r.id)):
        column = PERSON_REFERENCES[r.table]
        if r.table == "households":
            if r.id == survivor_household:
                edits.append(Edit(r.table, r.id, {column: survivor_id}))
            else:
                edits.append(Edit(r.table, r.id, {column: None}))
                warnings.append("被合并的档案原是另一户的户主：该户现在没有户主，请在家庭档案中指定")
            continue
        twin = None
        if r.table in ONE_PER_KEY and not r.deleted:
            twin = kept.get((r.table, r.values.get(ONE_PER_KEY[r.table][0])))
        if twin is None:
            edits.append(Edit(r.table, r.id, {column: survivor_id}))
            if not r.deleted:
                moved[r.table] = moved.get(r.table, 0) + 1
            continue
        edits.append(Edit(r.table, r.id, {column: survivor_id, "deleted": 1}))
        dropped[r.table] = dropped.get(r.table, 0) + 1
        fill = fill_empty(twin.values, r.values, ONE_PER_KEY[r.table][1])
        if fill:
            edits.append(Edit(r.table, twin.id, fill))
    return edits, moved, dropped, [*warnings, *_two_live_contracts(survivor_id, other_id, refs)]


LIVE_CONTRACT = ("signed", "active")


def _two_live_contracts(survivor_id: str, other_id: str, refs: Sequence[Ref]) -> list[str]:
    """A warning when the merged person would be a member of two live contracts with one team
    over overlapping terms (each file signed in its own household): the doctor dissolves one.
    Membership refs carry their contract's `contract_team`, `contract_status`, `contract_start`
    and `contract_end`."""
    live = {}
    for r in refs:
        v = r.values
        if (r.table == "contract_members" and not r.deleted and r.person_id in (survivor_id, other_id)
                and v.get("contract_status") in LIVE_CONTRACT):
            live[str(v["contract_id"])] = (v.get("contract_team"), str(v.get("contract_start")),
                                           str(v.get("contract_end")))
    items = sorted(live.items())
    for i, (_cid, (team, start, end)) in enumerate(items):
        for _other, (team2, start2, end2) in items[i + 1:]:
            if team == team2 and start <= end2 and start2 <= end:
                return ["合并后这位居民在同一团队有两份有效签约协议（两份档案各在自己的家庭签约）："
                        "请在“签约”中解约其中一份"]
    return []


def plan(survivor: Mapping[str, Any], other: Mapping[str, Any], refs: Sequence[Ref]) -> MergePlan:
    """The whole merge of `other` into `survivor` (person rows as stored, `refs` every row naming
    either of them): checked, then the survivor's fields, the re-pointed rows, the tombstone."""
    check_merge(survivor, other)
    sid, oid = str(survivor["id"]), str(other["id"])
    values, differing = person_values(survivor, other)
    edits, moved, dropped, warnings = repoint(sid, oid, refs,
                                              survivor_household=str(survivor["household_id"]))
    heads = [e for e in edits if e.table == "households" and e.values.get("head_id") == sid]
    if heads and survivor.get("relation") != "户主":
        values["relation"] = "户主"
    person_edit = [Edit("people", sid, values)] if values else []
    tombstone = Edit("people", oid, {"deleted": 1, "merged_into": sid})
    filled = tuple(k for k in values if k not in ("former_record_nos", "relation"))
    return MergePlan(sid, oid, values, tuple([*person_edit, *edits, tombstone]), moved, dropped,
                     filled, differing, tuple(dict.fromkeys(warnings)))

