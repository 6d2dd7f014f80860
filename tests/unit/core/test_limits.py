"""The one table of input limits, on its boundaries, and the records that use it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.core.claims import money
from app.core.contracts import Team, TeamMember, validate_team
from app.core.errors import ValidationError
from app.core.followups import FollowUp, validate_followup
from app.core.households import Household, validate_household
from app.core.jsontext import parse_json_bytes
from app.core.limits import (
    DATE_MAX,
    DATE_MIN,
    LINE_MAX,
    MONEY_MAX,
    NAME_MAX,
    NOTE_MAX,
    check_date,
    check_money,
    check_name,
    check_text,
)
from app.core.people import Person, check_person
from app.core.users import check_new_user

TODAY = dt.date(2026, 6, 1)


# --- text -----------------------------------------------------------------------------------


def test_a_name_of_the_limit_is_kept_and_one_more_character_is_refused() -> None:
    assert check_name("张" * NAME_MAX) == "张" * NAME_MAX
    with pytest.raises(ValidationError, match=f"最多 {NAME_MAX} 个字"):
        check_name("张" * (NAME_MAX + 1))


@pytest.mark.parametrize("bad", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d",
                                 "\ufeff", "\x00", "\x07", "\x1b", "\x7f"])
def test_names_refuse_bidi_zero_width_and_control_characters(bad: str) -> None:
    with pytest.raises(ValidationError, match=f"U\\+{ord(bad):04X}"):
        check_name(f"张{bad}三")


def test_a_resident_named_with_a_right_to_left_override_is_refused() -> None:
    with pytest.raises(ValidationError, match="U\\+202E") as caught:
        check_person(Person(id=None, household_id=None, name="张\u202e三"), today=TODAY)
    assert caught.value.field == "name"


def test_user_team_and_doctor_names_refuse_invisible_characters() -> None:
    with pytest.raises(ValidationError, match="U\\+200B"):
        check_new_user("doc", "李\u200b医生", "village_doctor", "secret12")
    with pytest.raises(ValidationError, match="U\\+2066"):
        validate_team(Team(None, "一队", "", [TeamMember("团队长", "王\u2066五")]))
    with pytest.raises(ValidationError, match="U\\+FEFF"):
        validate_followup(FollowUp(id=None, person_id="p", kind="高血压", visit_date=TODAY,
                                   doctor="\ufeff赵医生"), today=TODAY)


def test_single_line_text_loses_invisible_characters_and_keeps_its_limit() -> None:
    assert check_text("红旗村\u202e一组\u200b", "地址") == "红旗村一组"
    assert check_text("路" * LINE_MAX, "地址") == "路" * LINE_MAX
    with pytest.raises(ValidationError, match=f"最多 {LINE_MAX} 个字"):
        check_text("路" * (LINE_MAX + 1), "地址")


def test_notes_keep_line_breaks_and_tabs_but_not_control_characters() -> None:
    assert check_text("第一行\r\n\t第二行\x00\u202e", "备注", "note") == "第一行\n\t第二行"
    assert len(check_text("记" * NOTE_MAX, "备注", "note")) == NOTE_MAX
    with pytest.raises(ValidationError):
        check_text("记" * (NOTE_MAX + 1), "备注", "note")


def test_a_household_address_of_a_million_characters_is_refused_quickly() -> None:
    h = Household(id=None, household_no="001", village_code="622923104201", address="路" * 1_000_000)
    with pytest.raises(ValidationError, match="家庭住址太长") as caught:
        validate_household(h)
    assert caught.value.field == "address"


# --- money ----------------------------------------------------------------------------------


def test_money_at_the_bound_is_kept_and_a_fen_more_is_refused() -> None:
    assert check_money("10000000.00", "费用") == MONEY_MAX
    assert check_money("0", "费用") == Decimal("0.00")
    assert check_money(Decimal("0.01"), "费用") == Decimal("0.01")
    with pytest.raises(ValidationError, match="超出上限"):
        check_money("10000000.01", "费用")


@pytest.mark.parametrize("text, words", [
    ("1e30", "超出上限"), ("NaN", "应为金额"), ("Infinity", "应为金额"), ("-Infinity", "应为金额"),
    ("sNaN", "应为金额"), ("-0.01", "负数"), ("1.001", "两位小数"), ("abc", "应为金额"), ("", "应为金额"),
])
def test_money_that_is_not_a_sane_amount_says_why(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        check_money(text, "医疗总费用")


def test_money_refuses_floats_and_booleans() -> None:
    for value in (1.5, True, float("nan")):
        with pytest.raises(ValidationError, match="请写成文字"):
            check_money(value, "费用")


def test_claim_amounts_share_the_bound() -> None:
    with pytest.raises(ValidationError, match="超出上限"):
        money("1e30", "医疗总费用", "total")
    with pytest.raises(ValidationError, match="应为金额"):
        money("NaN", "医疗总费用", "total")


# --- dates and JSON -------------------------------------------------------------------------


def test_dates_outside_1900_to_2199_are_refused() -> None:
    assert check_date(DATE_MIN) == DATE_MIN
    assert check_date(DATE_MAX) == DATE_MAX
    for day in (dt.date(1899, 12, 31), dt.date(2200, 1, 1), dt.date(9999, 12, 31)):
        with pytest.raises(ValidationError, match="1900 年到 2199 年"):
            check_date(day)


def test_json_nested_a_hundred_thousand_deep_is_refused_in_one_line() -> None:
    with pytest.raises(ValidationError, match="嵌套层数太多"):
        parse_json_bytes(b"[" * 100_000 + b"]" * 100_000, "a.json")


def test_gbk_json_from_notepad_is_read() -> None:
    assert parse_json_bytes('{"note": "头晕"}'.encode("gbk"), "a.json") == {"note": "头晕"}
    assert parse_json_bytes('\ufeff{"note": "头晕"}'.encode(), "a.json") == {"note": "头晕"}


def test_json_nan_and_huge_integers_are_refused() -> None:
    for raw in (b'{"total": NaN}', b'{"total": Infinity}', b'{"total": ' + b"9" * 5000 + b"}"):
        with pytest.raises(ValidationError, match="不是有效的JSON"):
            parse_json_bytes(raw, "a.json")
