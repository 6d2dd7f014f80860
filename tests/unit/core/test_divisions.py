"""A clinic's division code: the impossible is refused, the unknown warned about, the known named."""

from __future__ import annotations

import pytest

from app.core.divisions import PROVINCES, KnownDivisions, check_clinic_code
from app.core.errors import ValidationError

KNOWN = KnownDivisions.from_rows([
    ("622923", "永靖县"), ("622923104", "太平镇"), ("622923201", "关山乡"), ("522323", "普安县"),
])


def test_the_made_up_code_from_the_report_is_accepted_only_with_a_warning():
    check = check_clinic_code("123456789012", KNOWN)
    assert not check.known
    assert any("县级代码 123456" in w and "核对" in w for w in check.warnings)


def test_a_known_village_is_named_down_to_its_township_without_warnings():
    check = check_clinic_code(" 622923104201 ", KNOWN)
    assert check.known and check.warnings == ()
    assert check.code.code == "622923104201"
    assert check.place == "甘肃省 永靖县 太平镇"


def test_a_township_missing_from_a_county_whose_townships_are_listed_is_warned_about():
    check = check_clinic_code("622923109201", KNOWN)
    assert check.warnings == ("乡镇代码 109 不在本程序已知的永靖县乡镇中，请向县卫健局核对",)
    assert check.place == "甘肃省 永靖县"


def test_a_known_county_without_a_township_list_is_not_warned_about():
    assert check_clinic_code("522323104201", KNOWN).known


@pytest.mark.parametrize(("code", "reason"), [
    ("12345", "12位数字"),
    ("6229231042011", "12位数字"),
    ("62292310420A", "12位数字"),
    ("992923104201", "前两位 99"),
    ("002923104201", "县级代码"),
    ("622923104000", "村段为000"),
    ("622923000000", "村段为000"),
    ("622923000201", "乡镇段为000"),
])
def test_structurally_impossible_codes_are_refused(code, reason):
    with pytest.raises(ValidationError) as exc:
        check_clinic_code(code, KNOWN)
    assert reason in str(exc.value)


def test_odd_township_and_village_ranges_are_warned_about():
    check = check_clinic_code("622923704450", KNOWN)
    assert any("乡镇段 704" in w for w in check.warnings)
    assert any("村段 450" in w for w in check.warnings)


def test_all_31_provinces_are_known():
    assert len(PROVINCES) == 31
    assert PROVINCES["62"] == "甘肃省" and PROVINCES["65"] == "新疆维吾尔自治区"
    assert "71" not in PROVINCES and "81" not in PROVINCES


def test_a_bad_row_in_the_known_list_is_refused():
    with pytest.raises(ValidationError):
        KnownDivisions.from_rows([("6229", "x")])
