from __future__ import annotations

import datetime as dt
import itertools

import pytest

from app.core.errors import ValidationError
from app.core.identity import (
    health_record_no,
    id15_to_18,
    id_check_char,
    id_conflicts,
    next_serial,
    parse_division_code,
    parse_record_no,
    parse_resident_id,
    short_record_no,
    station_serial_range,
)

TODAY = dt.date(2026, 11, 22)


def make_id(region: str = "622923", birth: str = "19650312", seq: str = "001") -> str:
    body = region + birth + seq
    return body + id_check_char(body)


def test_known_id_with_x_check_char_is_valid():
    rid = parse_resident_id("11010519491231002X", today=TODAY)
    assert rid.birth_date == dt.date(1949, 12, 31)
    assert rid.sex == "2"


def test_lowercase_x_full_width_digits_and_spaces_are_accepted():
    rid = parse_resident_id(" １１０１０５１９４９１２３１００２x ", today=TODAY)
    assert rid.number == "11010519491231002X"


def test_wrong_check_char_names_the_expected_one():
    with pytest.raises(ValidationError, match="应为 X"):
        parse_resident_id("110105194912310021", today=TODAY)


def test_every_check_char_position_is_computed_from_weights():
    # 17 ones: the weights sum to 100, 100 % 11 = 1 -> "0"
    assert id_check_char("1" * 17) == "0"


def test_fifteen_digit_id_converts_to_eighteen():
    assert id15_to_18("110105491231002") == "11010519491231002X"
    rid = parse_resident_id("110105491231002", today=TODAY)
    assert rid.converted_from_15 and rid.number == "11010519491231002X"


def test_odd_sequence_digit_is_male_even_is_female():
    assert parse_resident_id(make_id(seq="001"), today=TODAY).sex == "1"
    assert parse_resident_id(make_id(seq="002"), today=TODAY).sex == "2"


@pytest.mark.parametrize("birth", ["19650230", "19651301", "20230229"])
def test_impossible_birth_date_is_refused(birth):
    with pytest.raises(ValidationError, match="不是真实的日期"):
        parse_resident_id(make_id(birth=birth), today=TODAY)


def test_leap_day_birth_is_a_real_date():
    assert parse_resident_id(make_id(birth="20000229"), today=TODAY).birth_date == dt.date(2000, 2, 29)


def test_birth_today_is_accepted_and_tomorrow_refused():
    assert parse_resident_id(make_id(birth="20261122"), today=TODAY).birth_date == TODAY
    with pytest.raises(ValidationError, match="今天之后"):
        parse_resident_id(make_id(birth="20261123"), today=TODAY)


@pytest.mark.parametrize("raw", ["4.10102199001011e+17", "410102199001011000.0"])
def test_id_stored_as_a_number_is_explained(raw):
    with pytest.raises(ValidationError, match="存成了数字"):
        parse_resident_id(raw, today=TODAY)


@pytest.mark.parametrize("raw", ["", "12345", "1234567890123456789", "62292319650312001Y"])
def test_wrong_length_or_characters_are_refused(raw):
    with pytest.raises(ValidationError):
        parse_resident_id(raw, today=TODAY)


def test_typed_sex_and_birth_date_conflicts_are_listed():
    rid = parse_resident_id(make_id(seq="001"), today=TODAY)
    problems = id_conflicts(rid, sex="2", birth_date=dt.date(1965, 3, 13))
    assert len(problems) == 2 and "性别" in problems[0] and "出生日期" in problems[1]
    assert id_conflicts(rid, sex="1", birth_date=dt.date(1965, 3, 12)) == []


def test_division_code_levels():
    assert parse_division_code("622923104201").level == "village"
    assert parse_division_code("622923104000").level == "township"
    assert parse_division_code("622923000000").level == "county"
    with pytest.raises(ValidationError, match="村级"):
        parse_division_code("622923104000", level="village")


@pytest.mark.parametrize("raw", ["62292310420", "6229231042011", "62292310420A", "622923000201"])
def test_bad_division_codes_are_refused(raw):
    with pytest.raises(ValidationError):
        parse_division_code(raw)


def test_record_number_is_village_code_plus_five_digit_serial():
    no = health_record_no("622923104201", 37)
    assert no == "62292310420100037"
    assert short_record_no(no) == "201-00037"
    assert parse_record_no(no) == ("622923104201", 37)


def test_station_blocks_do_not_overlap():
    ranges = [station_serial_range(s) for s in range(1, 10)]
    assert ranges[0] == (1, 10_000) and ranges[1] == (10_001, 20_000) and ranges[-1][1] == 90_000
    for (_, hi), (lo, _) in itertools.pairwise(ranges):
        assert lo == hi + 1


def test_next_serial_starts_in_block_and_stops_at_its_end():
    assert next_serial(1, None) == 1
    assert next_serial(2, None) == 10_001
    assert next_serial(2, 10_041) == 10_042
    assert next_serial(1, 9_999) == 10_000
    with pytest.raises(ValidationError, match="号段"):
        next_serial(1, 10_000)
    with pytest.raises(ValidationError):
        station_serial_range(10)
