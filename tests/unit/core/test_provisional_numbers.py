"""Provisional 档案号 settled by the county's answer (DOMAIN rule 2): which are kept, which move."""

from __future__ import annotations

import pytest

from app.core.errors import AuthError, ValidationError
from app.core.identity import PROVISIONAL_MARK, settle_serials, shown_record_no
from app.core.users import User, check_may_confirm_station


def test_the_same_station_keeps_every_provisional_serial() -> None:
    assert settle_serials(1, [1, 2, 3], taken=set(), highest_used=3) == [1, 2, 3]


def test_another_station_moves_each_serial_after_the_highest_of_its_block_in_order() -> None:
    assert settle_serials(2, [3, 1, 2], taken=set(), highest_used=None) == [10_003, 10_001, 10_002]
    assert settle_serials(2, [1, 2], taken=set(), highest_used=10_041) == [10_042, 10_043]


def test_a_serial_a_confirmed_number_holds_or_a_repeated_one_moves_the_rest_stay() -> None:
    assert settle_serials(1, [1, 2, 3], taken={2}, highest_used=3) == [1, 4, 3]
    assert settle_serials(1, [5, 5], taken=set(), highest_used=5) == [5, 6]


def test_a_new_serial_skips_every_one_held_and_stops_at_the_end_of_the_block() -> None:
    assert settle_serials(2, [1], taken={10_001, 10_002}, highest_used=None) == [10_003]
    assert settle_serials(1, [10_000, 10_001], taken=set(), highest_used=9_998) == [10_000, 9_999]
    with pytest.raises(ValidationError, match="已用完"):
        settle_serials(1, [20_001], taken=set(), highest_used=10_000)
    with pytest.raises(ValidationError, match="机位号"):
        settle_serials(10, [1], taken=set(), highest_used=None)


def test_nothing_to_settle_is_nothing() -> None:
    assert settle_serials(3, [], taken={1}, highest_used=None) == []


def test_a_provisional_number_is_shown_with_its_mark_and_a_confirmed_one_as_it_is() -> None:
    assert shown_record_no("62292310420100001", True) == f"62292310420100001{PROVISIONAL_MARK}"
    assert shown_record_no("62292310420100001", False) == "62292310420100001"
    assert shown_record_no("", True) == ""


def test_only_an_administrator_records_the_countys_answer() -> None:
    check_may_confirm_station(User("1", "admin", "管理员", "township_admin"))
    check_may_confirm_station(User("2", "county", "县", "county_admin"))
    with pytest.raises(AuthError, match="村医不能确认机位号"):
        check_may_confirm_station(User("3", "doctor", "医生", "village_doctor"))
