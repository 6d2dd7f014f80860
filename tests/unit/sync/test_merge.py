"""The county's decision on a pushed change, and a clinic's rebase of a pulled one."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.sync.merge import FieldConflict, Held, Incoming, MergeError, merge_push, rebase_pull

A = ("instance-a", 7)
B = ("instance-b", 3)
BASE = {"name": "张三", "phone": "13800000001", "address": "一组", "deleted": 0}


def held(seq: int = 10, **changed: Any) -> Held:
    return Held({**BASE, **changed, "version_instance": B[0], "version_counter": B[1],
                 "server_seq": seq}, B, seq, user="li")


def push(base_seq: int | None, user: str = "wang", **changes: Any) -> Incoming:
    return Incoming("people", "p1", A, base_seq, changes, user=user)


def test_a_version_already_applied_changes_nothing() -> None:
    out = merge_push(push(10, phone="13900000002"), held(10), BASE, already_applied=True)
    assert out.action == "noop" and not out.stored and out.values is None


def test_a_record_the_county_lacks_is_inserted_whole() -> None:
    out = merge_push(push(None, **BASE), None, None, already_applied=False)
    assert out.action == "insert" and out.stamp == "incoming" and out.values == BASE


def test_a_change_on_a_base_the_county_never_had_is_refused() -> None:
    with pytest.raises(MergeError, match="县里没有这条记录"):
        merge_push(push(4, phone="1"), None, None, already_applied=False)


def test_a_base_newer_than_the_countys_version_is_refused() -> None:
    with pytest.raises(MergeError, match="还新"):
        merge_push(push(11, phone="1"), held(10), BASE, already_applied=False)


def test_a_change_made_on_the_current_version_fast_forwards() -> None:
    out = merge_push(push(10, phone="13900000002"), held(10), None, already_applied=False)
    assert out.action == "fast_forward" and out.stamp == "incoming"
    assert out.values == {**BASE, "phone": "13900000002"} and out.taken == {"phone"}
    assert not out.conflicts


def test_different_fields_changed_on_both_sides_are_both_kept() -> None:
    out = merge_push(push(9, phone="13900000002"), held(10, address="二组"), BASE,
                     already_applied=False)
    assert out.action == "merge" and out.stamp == "county"
    assert out.values == {**BASE, "phone": "13900000002", "address": "二组"}
    assert not out.conflicts


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    out = merge_push(push(9, address="二组"), held(10, address="二组"), BASE, already_applied=False)
    assert not out.conflicts and not out.stored


def test_one_field_changed_differently_keeps_the_countys_value_and_the_clinics_as_a_conflict() -> None:
    out = merge_push(push(9, address="三组", phone="13900000002"), held(10, address="二组"), BASE,
                     already_applied=False)
    assert out.values == {**BASE, "address": "二组", "phone": "13900000002"}
    assert out.conflicts == (FieldConflict("people", "p1", "address", kept="二组", lost="三组",
                                           kept_version=B, lost_version=A,
                                           kept_user="li", lost_user="wang"),)
    assert out.taken == {"phone"}


def test_a_field_changed_and_changed_back_on_the_clinic_is_not_a_change() -> None:
    out = merge_push(push(9, address="一组"), held(10, address="二组"), BASE, already_applied=False)
    assert not out.conflicts and not out.stored and out.values == {**BASE, "address": "二组"}


def test_a_missing_base_when_the_county_moved_on_is_an_error() -> None:
    with pytest.raises(MergeError, match="找不到县版本"):
        merge_push(push(9, phone="1"), held(10), None, already_applied=False)


def test_a_record_made_on_two_pcs_with_one_natural_id_merges_where_they_agree() -> None:
    row = {"code": "622923104201", "name": "王家村", "deleted": 0}
    county = Held(row, B, 5)
    same = merge_push(Incoming("divisions", "d1", A, None, row), county, None, already_applied=False)
    assert not same.conflicts and not same.stored
    typo = merge_push(Incoming("divisions", "d1", A, None, {**row, "name": "王加村"}), county, None,
                      already_applied=False)
    assert [(c.field, c.kept, c.lost) for c in typo.conflicts] == [("name", "王家村", "王加村")]


def test_editing_a_record_the_county_deleted_is_a_conflict_and_the_edit_is_kept() -> None:
    out = merge_push(push(9, phone="13900000002"), held(10, deleted=1), BASE, already_applied=False)
    assert out.values is not None and out.values["deleted"] == 1
    assert out.values["phone"] == "13900000002"
    assert [(c.field, c.kept, c.lost) for c in out.conflicts] == [("deleted", 1, 0)]


def test_deleting_a_record_the_county_edited_is_a_conflict_and_the_edit_is_kept() -> None:
    out = merge_push(push(9, deleted=1), held(10, address="二组"), BASE, already_applied=False)
    assert out.values == {**BASE, "address": "二组", "deleted": 1}
    [c] = out.conflicts
    assert (c.field, c.kept, c.kept_version, c.lost_version) == ("deleted", 1, A, B)


def test_bookkeeping_columns_are_never_merged_or_in_conflict() -> None:
    out = merge_push(push(9, updated_at="2030-01-01T00:00:00", version_counter=99, phone="1"),
                     held(10, address="二组", updated_at="2020-01-01T00:00:00"),
                     {**BASE, "updated_at": "2019-01-01"}, already_applied=False)
    assert out.values is not None and not out.conflicts
    assert "version_counter" not in out.values and "server_seq" not in out.values
    assert out.values["updated_at"] == "2030-01-01T00:00:00"     # goes with the change taken


# --- the clinic rebases what it pulls ------------------------------------------------------------

def test_a_pulled_record_the_clinic_lacks_is_inserted() -> None:
    assert rebase_pull(held(10), None, None, {}).action == "insert"


def test_a_pulled_version_the_clinic_has_or_has_passed_is_a_noop() -> None:
    assert rebase_pull(held(10), BASE, 10, {}).action == "noop"
    assert rebase_pull(held(10), BASE, 12, {}).action == "noop"


def test_a_pulled_version_over_no_pending_edit_fast_forwards() -> None:
    r = rebase_pull(held(10, address="二组"), BASE, 9, {})
    assert r.action == "fast_forward" and r.values == {**BASE, "address": "二组"}


def test_pending_edits_go_on_top_of_the_pulled_version_and_stay_pending() -> None:
    r = rebase_pull(held(10, address="二组"), {**BASE, "phone": "139"}, 9,
                    {"phone": "139", "address": "二组"})
    assert r.action == "rebase"
    assert r.values == {**BASE, "address": "二组", "phone": "139"}
    assert r.pending == {"phone": "139"}            # the county already has the address


# --- properties ------------------------------------------------------------------------------------

FIELDS = ("name", "phone", "address", "deleted")
values = st.sampled_from(["甲", "乙", "丙", 0, 1])
rows = st.fixed_dictionaries({f: values for f in FIELDS})


@given(base=rows, county=rows, clinic=rows)
def test_no_value_the_clinic_changed_is_ever_dropped(base: dict[str, Any], county: dict[str, Any],
                                                      clinic: dict[str, Any]) -> None:
    changes = {k: v for k, v in clinic.items() if v != base[k]}
    out = merge_push(Incoming("people", "p1", A, 9, changes), Held(county, B, 10), base,
                     already_applied=False)
    result = out.values or county
    lost = {c.field: c.lost for c in out.conflicts}
    for name, value in changes.items():
        assert result[name] == value or lost.get(name) == value, name
    for name, value in county.items():      # nor a value the county held, unless the clinic's won
        assert result[name] == value or name in out.taken or lost.get(name) == value


@given(base=rows, county=rows, clinic=rows)
def test_the_decision_is_the_same_every_time(base: dict[str, Any], county: dict[str, Any],
                                             clinic: dict[str, Any]) -> None:
    changes = {k: v for k, v in clinic.items() if v != base[k]}
    first = merge_push(Incoming("people", "p1", A, 9, changes), Held(county, B, 10), base,
                       already_applied=False)
    again = merge_push(Incoming("people", "p1", A, 9, dict(reversed(list(changes.items())))),
                       Held(dict(reversed(list(county.items()))), B, 10), base, already_applied=False)
    assert first.values == again.values
    assert sorted(map(repr, first.conflicts)) == sorted(map(repr, again.conflicts))
