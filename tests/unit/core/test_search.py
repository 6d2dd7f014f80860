from __future__ import annotations

import pytest

from app.core.search import normalize_query, pinyin_keys, search_tokens


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
