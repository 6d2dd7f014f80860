"""The rule of a person merge on its edges: which rows move, which are dropped as duplicates, how
the two files' fields combine, and which merges are refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.core import person_merge as rule
from app.core.errors import ConflictError, ValidationError

ID = "62292319650312001X"


def person(pid: str, **values: Any) -> dict[str, Any]:
    base = {"id": pid, "household_id": "h-" + pid, "name": "李小红", "id_no": ID, "record_no": "R-" + pid,
            "relation": "女", "phone": "", "note": "", "living_status": "在册", "deleted": 0,
            "merged_into": None, "former_record_nos": "[]", "partition": "622923104201",
            "version_instance": "pc", "version_counter": 1, "server_seq": None, "updated_at": ""}
    return {**base, **values}


def test_every_row_of_the_other_moves_and_nothing_names_it_afterwards() -> None:
    refs = [rule.Ref("follow_ups", "f1", "o"), rule.Ref("follow_ups", "f0", "o", deleted=True),
            rule.Ref("claims", "c1", "o"), rule.Ref("health_exams", "e1", "s")]
    done = rule.plan(person("s"), person("o"), refs)
    moved = {(e.table, e.id): e.values for e in done.edits if e.table != "people"}
    assert moved == {("follow_ups", "f0"): {"person_id": "s"}, ("follow_ups", "f1"): {"person_id": "s"},
                     ("claims", "c1"): {"person_id": "s"}}
    assert done.moved == {"follow_ups": 1, "claims": 1}       # live rows only; the tombstone moves too
    assert done.edits[-1] == rule.Edit("people", "o", {"deleted": 1, "merged_into": "s"})


def test_a_membership_of_a_contract_the_survivor_is_already_in_is_dropped() -> None:
    refs = [rule.Ref("contract_members", "m-s", "s", values={"contract_id": "c1"}),
            rule.Ref("contract_members", "m-o", "o", values={"contract_id": "c1"}),
            rule.Ref("contract_members", "m-o2", "o", values={"contract_id": "c2"})]
    done = rule.plan(person("s"), person("o"), refs)
    edits = {e.id: e.values for e in done.edits}
    assert edits["m-o"] == {"person_id": "s", "deleted": 1}
    assert edits["m-o2"] == {"person_id": "s"}
    assert "m-s" not in edits
    assert (done.moved, done.dropped) == ({"contract_members": 1}, {"contract_members": 1})


def test_a_tombstoned_membership_is_not_a_duplicate_and_only_moves() -> None:
    refs = [rule.Ref("contract_members", "m-s", "s", deleted=True, values={"contract_id": "c1"}),
            rule.Ref("contract_members", "m-o", "o", values={"contract_id": "c1"})]
    done = rule.plan(person("s"), person("o"), refs)
    assert {e.id: e.values for e in done.edits}["m-o"] == {"person_id": "s"}


def test_one_diagnosis_per_condition_the_kept_one_filling_its_empty_fields() -> None:
    refs = [rule.Ref("diagnoses", "d-s", "s", values={"condition": "高血压", "confirmed_on": None,
                                                       "hospital": "乡卫生院", "note": ""}),
            rule.Ref("diagnoses", "d-o", "o", values={"condition": "高血压", "confirmed_on": "2019-05-01",
                                                       "hospital": "县医院", "note": ""}),
            rule.Ref("diagnoses", "d-o2", "o", values={"condition": "糖尿病"})]
    done = rule.plan(person("s"), person("o"), refs)
    edits = {e.id: e.values for e in done.edits}
    assert edits["d-o"] == {"person_id": "s", "deleted": 1}
    assert edits["d-s"] == {"confirmed_on": "2019-05-01"}        # the hospital stays the survivor's
    assert edits["d-o2"] == {"person_id": "s"}


def test_the_survivor_keeps_its_values_and_fills_only_what_it_left_empty() -> None:
    s = person("s", phone="13900000001", note="", allergies="", insurance_no="")
    o = person("o", phone="13900000002", note="三组12号", allergies="青霉素", insurance_no="",
               living_status="迁出", former_record_nos=json.dumps(["OLD-1"]))
    done = rule.plan(s, o, [])
    assert done.person == {"note": "三组12号", "allergies": "青霉素",
                           "former_record_nos": json.dumps(["R-o", "OLD-1"])}
    assert set(done.filled) == {"note", "allergies"}
    assert set(done.differing) == {"phone", "living_status"}
    # Its own number, household and relation are never taken from the other file.
    assert not {"record_no", "household_id", "relation", "id"} & set(done.person)


def test_a_file_without_former_numbers_gets_none_written() -> None:
    s, o = person("s"), person("o")
    del s["former_record_nos"], o["former_record_nos"]
    assert "former_record_nos" not in rule.plan(s, o, []).person


def test_the_head_of_the_survivors_household_becomes_the_survivor() -> None:
    s, o = person("s", household_id="h1", relation="子"), person("o", household_id="h1", relation="户主")
    done = rule.plan(s, o, [rule.Ref("households", "h1", "o")])
    assert rule.Edit("households", "h1", {"head_id": "s"}) in done.edits
    assert done.person["relation"] == "户主"
    assert not done.warnings


def test_another_household_the_other_headed_is_left_without_a_head_and_said_so() -> None:
    done = rule.plan(person("s", household_id="h1"), person("o", household_id="h2"),
                     [rule.Ref("households", "h2", "o")])
    assert rule.Edit("households", "h2", {"head_id": None}) in done.edits
    assert "relation" not in done.person
    assert done.warnings and "没有户主" in done.warnings[0]


@pytest.mark.parametrize(("s", "o", "error", "words"), [
    (person("s"), person("s"), ValidationError, "它自己"),
    (person("s"), person("o", deleted=1), ConflictError, "已删除"),
    (person("s", merged_into="x", deleted=1), person("o"), ConflictError, "已经合并"),
    (person("s"), person("o", id_no="622923196503120028"), ValidationError, "身份证号不同"),
])
def test_merges_that_are_not_of_two_live_files_of_one_resident_are_refused(s, o, error, words) -> None:
    with pytest.raises(error, match=words):
        rule.plan(s, o, [])


def test_an_id_typed_in_lower_case_or_missing_on_one_side_is_still_the_same_resident() -> None:
    rule.check_merge(person("s", id_no=ID.lower()), person("o"))
    rule.check_merge(person("s", id_no=""), person("o"))
    assert rule.plan(person("s", id_no=""), person("o"), []).person["id_no"] == ID


def test_two_live_contracts_with_one_team_over_one_term_are_said_not_dissolved() -> None:
    def member(mid: str, pid: str, contract: str, team: str = "t", status: str = "active",
               start: str = "2025-01-01") -> rule.Ref:
        return rule.Ref("contract_members", mid, pid, values={
            "contract_id": contract, "contract_team": team, "contract_status": status,
            "contract_start": start, "contract_end": "2025-12-31"})

    def warned(*refs: rule.Ref) -> bool:
        return any("两份有效签约协议" in w for w in rule.plan(person("s"), person("o"), refs).warnings)

    assert warned(member("m1", "s", "c1"), member("m2", "o", "c2"))
    assert not warned(member("m1", "s", "c1"), member("m2", "o", "c2", team="u"))
    assert not warned(member("m1", "s", "c1"), member("m2", "o", "c2", status="dissolved"))
    assert not warned(member("m1", "s", "c1", start="2024-01-01"),
                      rule.Ref("contract_members", "m2", "o", values={
                          "contract_id": "c2", "contract_team": "t", "contract_status": "active",
                          "contract_start": "2026-01-01", "contract_end": "2026-12-31"}))
