from __future__ import annotations

import datetime as dt

import pytest

from app.core.errors import ValidationError
from app.core.households import Household, parse_causes, poverty_status_code, validate_household
from app.core.identity import id_check_char
from app.core.people import Person, check_person, relation_name, sex_code

TODAY = dt.date(2026, 11, 22)
BODY = "62292319650312001"
ID = BODY + id_check_char(BODY)


def test_sex_and_birth_date_are_filled_from_the_id():
    check = check_person(Person(id=None, household_id=None, name="张三", id_no=ID), today=TODAY)
    assert check.person.sex == "1" and check.person.birth_date == dt.date(1965, 3, 12)
    assert check.warnings == []


def test_typed_values_that_contradict_the_id_are_kept_and_flagged():
    p = Person(id=None, household_id=None, name="张三", id_no=ID, sex="2",
               birth_date=dt.date(1966, 3, 12))
    check = check_person(p, today=TODAY)
    assert check.person.sex == "2"
    assert len(check.warnings) == 2


def test_empty_name_is_refused():
    with pytest.raises(ValidationError, match="姓名"):
        check_person(Person(id=None, household_id=None, name="  "), today=TODAY)


@pytest.mark.parametrize("status", ["迁出", "死亡"])
def test_moving_out_or_death_needs_a_date(status):
    p = Person(id=None, household_id=None, name="张三", living_status=status)
    with pytest.raises(ValidationError, match="日期"):
        check_person(p, today=TODAY)
    p.status_date = TODAY
    assert check_person(p, today=TODAY).person.living_status == status


def test_status_date_in_the_future_is_refused():
    p = Person(id=None, household_id=None, name="张三", living_status="死亡",
               status_date=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="今天之后"):
        check_person(p, today=TODAY)


def test_relation_and_sex_synonyms():
    assert relation_name("妻子") == "配偶"
    assert relation_name("长子") == "子"
    assert relation_name("本人") == "户主"
    assert sex_code("女") == "2" and sex_code("男") == "1"
    with pytest.raises(ValidationError):
        relation_name("邻居")


def test_poverty_status_synonyms_and_causes():
    assert poverty_status_code("五保户") == "tekun"
    assert poverty_status_code("一般贫困户") == "poor"
    assert poverty_status_code("脱贫户") == "exited"
    assert parse_causes("因病致贫、缺劳动力") == ["因病", "缺劳力"]
    with pytest.raises(ValidationError, match="致贫原因"):
        parse_causes("因懒")


def test_household_phone_must_be_digits():
    with pytest.raises(ValidationError, match="电话"):
        validate_household(Household(id=None, village_code="622923104201", phone="abc"))
