"""The rules for reading the county's poor-household list: headers, cells, rows and households."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.errors import ValidationError
from app.core.identity import id_check_char
from app.core.importing import (
    FIELDS,
    REQUIRED_FIELDS,
    Prepared,
    guess_mapping,
    match_header,
    missing_required,
    normalize_id,
    parse_date_cell,
    parse_mapping_arg,
    parse_year,
    parse_yes_no,
    prepare,
    read_row,
    resolve_mapping,
    resolve_village,
    text_cell,
)

TODAY = dt.date(2024, 6, 1)
VILLAGES = [("622923104201", "红旗村"), ("622923104202", "胜利村")]


def make_id(birth: str, seq: str = "011") -> str:
    body = "622923" + birth + seq
    return body + id_check_char(body)


def cells(name: str, rel: str, id_no: object, **more: object) -> dict[str, object]:
    return {"姓名": name, "与户主关系": rel, "证件号码": id_no, **more}


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("header, field", [
    ("姓名", "姓名"), (" 姓  名 ", "姓名"), ("身份证号码", "证件号码"), ("公民身份号码（必填）", "证件号码"),
    ("证件号码(必填)", "证件号码"), ("与户主的关系", "与户主关系"), ("户编号*", "户编号"),
    ("户类型", "贫困户属性"), ("致贫原因（主要）", "主要致贫原因"), ("村（社区）", "所在村"),
    ("是否参加城乡居民基本医疗保险", "是否参加城乡居民基本医疗保险"), ("帮扶人电话", "帮扶责任人电话"),
    ("ＸＸ备注", None), ("", None), (None, None),
])
def test_headers_are_recognised_despite_spaces_brackets_and_suffixes(header: object, field: str | None) -> None:
    assert match_header(header) == field


def test_every_required_field_is_a_field() -> None:
    assert set(REQUIRED_FIELDS) <= set(FIELDS)


def test_bare_phone_after_the_help_person_is_the_helpers_phone() -> None:
    headers = ["姓名", "联系电话", "身份证号", "与户主关系", "帮扶责任人", "联系电话"]
    mapping = guess_mapping(headers)
    assert mapping["联系电话"] == 1
    assert mapping["帮扶责任人电话"] == 5


def test_users_mapping_overrides_the_guess() -> None:
    headers = ["名单", "身份证", "关系", "电话"]
    mapping = resolve_mapping(headers, {"姓名": "名单", "联系电话": ""})
    assert mapping["姓名"] == 0 and "联系电话" not in mapping
    assert missing_required(mapping) == []
    with pytest.raises(ValidationError, match="没有名为"):
        resolve_mapping(headers, {"姓名": "名字"})


def test_mapping_argument_is_parsed_with_synonyms_and_full_width_punctuation() -> None:
    assert parse_mapping_arg("姓名=名字，身份证号＝身份证") == {"姓名": "名字", "证件号码": "身份证"}


@pytest.mark.parametrize("spec, message", [
    ("姓名", "字段=表头"), ("血型=血型", "不认识的字段"), ("姓名=", "缺少表头"),
    ("姓名=a,名字=b", "两次"), ("", "为空"),
])
def test_bad_mapping_argument_says_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_mapping_arg(spec)


# --- cells ------------------------------------------------------------------------------------


def test_ids_are_tidied_and_old_ones_converted() -> None:
    good = make_id("19650305")
    assert normalize_id(" " + good[:6] + " " + good[6:])[0] == good
    full = "".join(chr(ord(c) + 0xFEE0) for c in good)
    assert normalize_id(full)[0] == good
    number, warnings = normalize_id("622923580214031", today=TODAY)
    assert number == "62292319580214031" + id_check_char("62292319580214031")
    assert "15位" in warnings[0]
    assert good[-1].isdigit() and normalize_id(int(good))[0] == good   # an int that kept every digit


def test_lowercase_x_is_accepted() -> None:
    for n in range(200):
        number = make_id("19670812", f"{n:03d}")
        if number.endswith("X"):
            assert normalize_id(number.lower())[0] == number
            return
    raise AssertionError("no ID ending in X found")


@pytest.mark.parametrize("value", [6.22923196503051e17, "6.22923196503051E+17", 622923196503051000,
                                   "622923196503051011.0"])
def test_ids_stored_as_numbers_are_refused_with_the_reason(value: object) -> None:
    with pytest.raises(ValidationError, match="存成了数字"):
        normalize_id(value)


@pytest.mark.parametrize("value, expected", [
    (43529, dt.date(2019, 3, 5)), (43529.0, dt.date(2019, 3, 5)), ("2019.3.5", dt.date(2019, 3, 5)),
    ("2019年3月5日", dt.date(2019, 3, 5)), ("20190305", dt.date(2019, 3, 5)), (20190305, dt.date(2019, 3, 5)),
    ("2019-03-05", dt.date(2019, 3, 5)), ("2019/3/5", dt.date(2019, 3, 5)),
    (dt.datetime(2019, 3, 5, 0, 0), dt.date(2019, 3, 5)), ("２０１９．３．５", dt.date(2019, 3, 5)),
    (None, None), ("", None),
])
def test_dates_in_every_form_met_in_lists(value: object, expected: dt.date | None) -> None:
    assert parse_date_cell(value) == expected


@pytest.mark.parametrize("value", ["2019.13.5", "三月五日", "2019.2.30"])
def test_impossible_dates_are_refused(value: str) -> None:
    with pytest.raises(ValidationError):
        parse_date_cell(value)


def test_codes_stored_as_numbers_keep_their_digits_or_are_refused() -> None:
    assert text_cell(13800000001) == "13800000001"
    assert text_cell(13800000001.0) == "13800000001"
    with pytest.raises(ValidationError, match="户编号被存成了数字"):
        text_cell(6.22923104201e16, "户编号")


def test_years_and_yes_no() -> None:
    assert parse_year("2019年") == 2019 and parse_year(2020) == 2020 and parse_year(None) is None
    with pytest.raises(ValidationError):
        parse_year("19")
    assert parse_yes_no("是") is True and parse_yes_no("否") is False and parse_yes_no("") is None


def test_village_by_name_short_name_or_code() -> None:
    assert resolve_village("红旗", VILLAGES, "622923104201") == "622923104201"
    assert resolve_village("胜利村委会", VILLAGES, "") == "622923104202"
    assert resolve_village("622923104202", VILLAGES, "") == "622923104202"
    assert resolve_village("", VILLAGES, "622923104201") == "622923104201"
    with pytest.raises(ValidationError, match="幸福村"):
        resolve_village("幸福村", VILLAGES, "622923104201")


# --- rows and households -------------------------------------------------------------------------


def test_a_row_is_read_into_typed_values() -> None:
    row = read_row(5, cells(
        " 张  三 ", "本人", make_id("19650305"), 性别="男", 出生日期="1965.3.5", 贫困户属性="已脱贫",
        主要致贫原因="因病，缺劳动力", 脱贫年度="2019年", 是否参加城乡居民基本医疗保险="是",
        健康状况="慢性病", 民族="汉",
    ), today=TODAY)
    assert row.error == ""
    assert (row.name, row.relation, row.is_head, row.sex) == ("张三", "户主", True, "1")
    assert (row.poverty_status, row.causes, row.exit_year) == ("exited", ["因病", "缺劳力"], 2019)
    assert (row.insured, row.health_state, row.ethnicity) == (True, "长期慢性病", "汉族")


def test_bad_cells_make_a_bad_row_with_a_chinese_reason() -> None:
    assert read_row(6, cells("", "户主", make_id("19650305"))).error == "姓名为空"
    neighbour = read_row(7, cells("李四", "邻居", make_id("19650305")))
    assert neighbour.error == "" and neighbour.relation == "其他"
    assert "不认识的与户主关系“邻居”" in neighbour.warnings[0]
    assert "证件号码为空" in read_row(8, cells("李四", "户主", None)).error
    good = make_id("19650305")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert "校验位" in read_row(9, cells("李四", "户主", wrong)).error


def _prepared(rows: list[tuple[int, dict[str, object]]]) -> Prepared:
    return prepare(rows, villages=VILLAGES, default_village="622923104201", today=TODAY)


def test_rows_group_by_household_number_even_when_apart() -> None:
    result = _prepared([
        (4, cells("甲", "户主", make_id("19600101", "011"), 户编号="A1")),
        (5, cells("乙", "户主", make_id("19600101", "031"), 户编号="A2")),
        (6, cells("丙", "子", make_id("19900101", "051"), 户编号="A1")),
    ])
    assert [[r.row_number for r in g.rows] for g in result.groups] == [[4, 6], [5]]
    assert result.problems == []


def test_without_household_numbers_each_head_starts_a_household() -> None:
    result = _prepared([
        (3, cells("孤", "子", make_id("19900101", "071"))),
        (4, cells("甲", "户主", make_id("19600101", "011"))),
        (5, cells("乙", "配偶", make_id("19620101", "022"))),
        (6, cells("丙", "户主", make_id("19600101", "031"))),
        (7, cells("丁", "女", make_id("19900101", "042"))),
    ])
    assert [[r.row_number for r in g.rows] for g in result.groups] == [[4, 5], [6, 7]]
    assert [p.row_number for p in result.problems] == [3]
    assert "户主" in result.problems[0].reason


def test_same_person_twice_is_a_bad_row_and_a_second_head_is_kept_as_other() -> None:
    head = make_id("19600101", "011")
    result = _prepared([
        (4, cells("甲", "户主", head, 户编号="A1")),
        (5, cells("甲", "户主", head, 户编号="A2")),
        (6, cells("乙", "户主", make_id("19600101", "031"), 户编号="A1")),
    ])
    reasons = {p.row_number: p.reason for p in result.problems}
    assert "第4行" in reasons[5] and "同一个人" in reasons[5]
    assert 6 not in reasons
    second = next(r for g in result.groups for r in g.rows if r.row_number == 6)
    assert (second.relation, second.is_head) == ("其他", False)
    assert any(w.row_number == 6 and "已有户主" in w.reason for w in result.warnings)


def test_unknown_village_is_a_bad_row_and_old_ids_a_warning() -> None:
    result = _prepared([
        (4, cells("甲", "户主", make_id("19600101", "011"), 所在村="幸福村")),
        (5, cells("乙", "户主", "622923580214031")),
    ])
    assert [p.row_number for p in result.problems] == [4]
    assert [w.row_number for w in result.warnings] == [5]


def test_blank_rows_are_skipped() -> None:
    result = _prepared([(4, {"姓名": None, "证件号码": " ", "与户主关系": ""})])
    assert result.rows_read == 0 and result.groups == []


def test_rows_naming_nobody_are_footers_not_problems() -> None:
    result = _prepared([(30, {"姓名": None, "证件号码": None, "与户主关系": None, "户编号": "合计：12户"})])
    assert result.rows_read == 1 and result.problems == []
    assert [(s.row_number, s.reason) for s in result.skipped] == [(30, "合计行，跳过")]


@pytest.mark.parametrize(("written", "sex", "stored"), [
    ("之孙子", "1", "孙子"), ("之孙女", "2", "孙女"), ("之儿媳", "2", "儿媳"), ("之父", "1", "父亲"),
    ("之母", "2", "母亲"), ("之兄弟姐妹", "2", "姐妹"), ("之兄弟姐妹", "1", "兄弟"),
    ("之外孙", "2", "外孙女"), ("长子", "1", "子"), ("次女", "2", "女"), ("孙", "1", "孙子"),
    ("媳", "2", "儿媳"), ("本人", "1", "户主"), ("户主", "1", "户主"), ("外孙子/女", "1", "外孙子"),
    ("祖父母", "2", "祖母"), ("户主之女", "2", "女"), ("侄子", "1", "其他"), ("52", "2", "母亲"),
    ("38", "2", "儿媳"), ("97", "1", "其他"),
])
def test_relations_of_the_national_forms_and_county_spellings(written: str, sex: str,
                                                               stored: str) -> None:
    from app.core.relations import relation_name

    assert relation_name(written, sex) == stored


def test_relation_without_sex_takes_it_from_the_id_and_unknown_is_other() -> None:
    girl = read_row(5, cells("小红", "孙", make_id("20150303", "142")))
    assert (girl.relation, girl.error) == ("孙女", "")
    odd = read_row(6, cells("某", "干儿子", make_id("20000101", "291")))
    assert odd.relation == "其他" and odd.error == "" and "干儿子" in odd.warnings[0]


@pytest.mark.parametrize("written", ["红旗", "红旗村", "红旗村委会", "红旗村民委员会", "城关镇红旗村",
                                     "622923104201"])
def test_village_by_code_or_a_name_differing_in_suffix(written: str) -> None:
    assert resolve_village(written, VILLAGES, "") == "622923104201"


def test_village_that_fits_none_or_two_is_refused_naming_the_villages() -> None:
    with pytest.raises(ValidationError, match=r"红旗村.*胜利村"):
        resolve_village("幸福", VILLAGES, "")


def test_phone_mapping_does_not_depend_on_column_order() -> None:
    from app.core.importing import ambiguities

    before = ["姓名", "身份证号", "与户主关系", "联系电话", "帮扶责任人"]
    after = ["姓名", "身份证号", "与户主关系", "帮扶责任人", "联系电话"]
    for headers in (before, after):
        mapping = guess_mapping(headers)
        assert headers[mapping["联系电话"]] == "联系电话" and "帮扶责任人电话" not in mapping
        found = ambiguities(headers, mapping)
        assert [(a.header, a.chosen) for a in found] == [("联系电话", "联系电话")]
        assert ambiguities(headers, mapping, {"帮扶责任人电话": "联系电话"}) == []
    plain = ["姓名", "身份证号", "与户主关系", "联系电话"]
    assert ambiguities(plain, guess_mapping(plain)) == []
    named = ["姓名", "身份证号", "与户主关系", "帮扶责任人", "联系电话", "帮扶人电话"]
    assert ambiguities(named, guess_mapping(named)) == []


def test_disease_cells_name_several_conditions() -> None:
    from app.core.roster import parse_conditions

    assert parse_conditions("高血压、2型糖尿病") == (["高血压", "2型糖尿病"], [])
    assert parse_conditions("糖尿病/高血压病，脑梗") == (["2型糖尿病", "高血压", "脑卒中"], [])
    assert parse_conditions("无") == ([], [])
    conditions, notes = parse_conditions("高血压;痛风")
    assert conditions == ["高血压", "其他慢性病"] and "痛风" in notes[0]
