from __future__ import annotations

import pytest

from app.core.search import (
    Rank,
    digit_run,
    match_rank,
    normalize_query,
    number_runs,
    pinyin_keys,
    search_tokens,
)


@pytest.mark.parametrize(
    ("name", "initials", "full"),
    [
        ("单雄信", "sxx", "shanxiongxin"),
        ("曾国藩", "zgf", "zengguofan"),
        ("解晓东", "xxd", "xiexiaodong"),
        ("仇志", "qz", "qiuzhi"),
        ("区海", "oh", "ouhai"),
        ("朴树", "ps", "piaoshu"),
        ("查良", "zl", "zhaliang"),
        ("盖聂", "gn", "genie"),
        ("乐嘉", "yj", "yuejia"),
        ("乐嘉", "lj", "lejia"),
        ("覃小兰", "qxl", "qinxiaolan"),
        ("缪斌", "mb", "miaobin"),
    ],
)
def test_polyphonic_surnames_are_found_by_their_surname_reading(name, initials, full):
    fulls, inits = pinyin_keys(name)
    assert initials in inits
    assert full in fulls


def test_everyday_reading_of_a_surname_is_kept_too():
    fulls, inits = pinyin_keys("单雄信")
    assert "dxx" in inits and "danxiongxin" in fulls


def test_ordinary_surname_has_one_reading():
    fulls, inits = pinyin_keys("王建国")
    assert inits == {"wjg"} and fulls == {"wangjianguo"}


def test_lv_is_typed_as_v_or_u():
    fulls, _ = pinyin_keys("吕布")
    assert {"lvbu", "lubu"} <= fulls


def test_tokens_cover_name_given_name_numbers_and_short_record_number():
    tokens = search_tokens(name="王建国", id_no="62292319650312001X", record_no="62292310420100037",
                           phone="13909401234")
    assert {"王建国", "建国", "wjg", "wangjianguo", "62292319650312001x", "13909401234",
            "62292310420100037", "20100037"} <= tokens


def test_query_is_normalized_like_the_tokens():
    assert normalize_query(" ＺＳ ") == "zs"
    assert normalize_query("201-00037") == "20100037"


# --- runs of digits inside ID and phone numbers -----------------------------------------------

ID = "43062119850312123X"
PHONE = "13907341234"


def rank(query: str, *, id_no: str = ID, phone: str = PHONE) -> Rank | None:
    tokens = search_tokens(name="王建国", id_no=id_no, record_no="43062110420100037", phone=phone)
    return match_rank(query, tokens=tokens, numbers=(id_no, phone))


def test_four_digit_run_in_the_middle_of_an_id_matches():
    assert rank("1985") == Rank.INSIDE
    assert rank("0312") == Rank.INSIDE


def test_last_four_digits_of_a_phone_match_as_its_tail():
    assert rank("1234") == Rank.TAIL


def test_last_six_of_an_id_with_its_x_match_in_either_case():
    assert rank("12123X") == Rank.TAIL
    assert rank("123x") == Rank.TAIL
    assert rank("１２３Ｘ") == Rank.TAIL


def test_three_digits_are_not_enough():
    assert rank("312") is None
    assert digit_run("123") is None
    assert digit_run("12x") is None


def test_x_only_ends_a_run_and_letters_are_not_runs():
    assert digit_run("12x3") is None
    assert digit_run("wjg1") is None
    assert rank("0312x") is None


def test_a_landline_is_found_across_its_dash():
    assert rank("8123", phone="0734-8123456") == Rank.INSIDE
    assert rank("3456", phone="0734-8123456") == Rank.TAIL
    assert rank("0734-812", phone="0734-8123456") == Rank.PREFIX
    assert rank("34812", phone="0734-8123456") == Rank.INSIDE


def test_exact_and_prefix_matches_outrank_runs_inside():
    assert rank(ID) == Rank.EXACT
    assert rank("王建国") == Rank.EXACT
    assert rank("4306") == Rank.PREFIX
    assert rank("wjg") == Rank.EXACT and rank("wj") == Rank.PREFIX
    assert Rank.EXACT < Rank.PREFIX < Rank.TAIL < Rank.INSIDE


def test_the_record_number_keeps_its_short_form_and_no_runs():
    assert rank("201-00037") == Rank.EXACT
    assert rank("0037") is None


def test_number_runs_are_the_tails_of_four_or_more():
    assert number_runs("0734-812345") == {"0734812345", "734812345", "34812345", "4812345",
                                          "812345", "12345", "2345"}
    assert number_runs("123") == set()
    assert number_runs("") == set()
    assert number_runs(ID) >= {ID.lower(), "123x"}
