"""Policy packs: the shipped examples load, a pack is chosen by date, and a broken pack is refused
with the file, the line and the field a county administrator needs to fix it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from app.core.errors import ValidationError
from app.core.policy import (
    DeductibleOverride,
    category_name,
    choose_pack,
    load_pack,
    pack_summary,
    parse_pack,
)
from app.core.tomllines import key_lines, split_key

POLICIES = Path(__file__).resolve().parents[3] / "resources" / "policies"

GOOD = """\
[pack]
name = "测试包"
county = "测试县"
valid_from = 2024-01-01
valid_to = 2024-12-31
order = ["基本医保", "大病保险"]

[targets]
categories = ["建档立卡", "监测户"]
"住院" = "90%"

[layer."基本医保"]
deductible = 500
deductible_by_category = { "建档立卡" = "50%", "特困" = 0 }
ratio = 0.75
uplift = { "建档立卡" = 5 }
cap = 150000

[layer."大病保险"]
deductible = 10000
deductible_per = "每年"
bands = [
    { from = 0, to = 50000, ratio = 0.60 },
    { from = 50000, ratio = 0.70 },
]
"""


def refused(text: str) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_pack(text, source="测试.toml")
    return str(caught.value)


def line_of(text: str, needle: str, start: int = 0) -> int:
    """The 1-based line of the first line containing `needle` after line `start`."""
    lines = text.splitlines()
    return next(i for i, line in enumerate(lines, start=1) if i > start and needle in line)


# --- good packs ---------------------------------------------------------------------------


def test_a_good_pack_reads_every_field():
    pack = parse_pack(GOOD, source="测试.toml")
    assert (pack.name, pack.county, pack.source) == ("测试包", "测试县", "测试.toml")
    assert [x.name for x in pack.layers] == ["基本医保", "大病保险"]
    basic, major = pack.layers
    assert basic.ratio == Decimal("0.75") and basic.cap == Decimal("150000.00")
    assert basic.deductible_by_category["建档立卡"] == DeductibleOverride(share=Decimal("0.5"))
    assert basic.deductible_by_category["特困"] == DeductibleOverride(amount=Decimal("0.00"))
    assert basic.uplift == {"建档立卡": Decimal(5)}
    assert major.deductible_per == "每年" and major.ratio is None
    assert [(b.lower, b.upper, b.ratio) for b in major.bands] == [
        (Decimal("0.00"), Decimal("50000.00"), Decimal("0.6")), (Decimal("50000.00"), None, Decimal("0.7"))]
    (target,) = pack.targets
    assert target.categories == ("建档立卡", "监测户") and target.ratios == {"住院": Decimal("0.9")}


@pytest.mark.parametrize("name", ["example-chuzhou-style.toml", "example-qiyang-style.toml",
                                  "example-gansu-style.toml", "worked-example.toml"])
def test_every_shipped_pack_loads_and_is_marked_as_an_example(name):
    pack = load_pack(POLICIES / name)
    assert pack.example
    assert "示例" in (POLICIES / name).read_text(encoding="utf-8").splitlines()[0] + pack.title
    assert pack_summary(pack).startswith(pack.county)


def test_the_long_chain_pack_keeps_its_order():
    pack = load_pack(POLICIES / "example-qiyang-style.toml")
    assert [x.name for x in pack.layers] == [
        "基本医保", "大病保险", "补充保险", "医疗救助（低保）", "医疗救助（非低保）", "医院减免", "政府兜底"]
    assert pack.layers[-1].kind == "兜底" and pack.layers[-1].ceiling_share == Decimal("0.1")
    assert pack.layers[5].base == "全部"


def test_extra_categories_extend_the_known_list():
    pack = load_pack(POLICIES / "example-gansu-style.toml")
    assert "重度残疾" in pack.categories
    assert pack.layers[0].uplift["重度残疾"] == Decimal(5)
    assert len(pack.waivers) == 8 and pack.waivers[0].ratio == Decimal(1)


# --- refused packs ------------------------------------------------------------------------


def test_an_unknown_key_is_refused_with_the_nearest_known_key():
    text = GOOD.replace("ratio = 0.75", "ration = 0.75")
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, 'ration')}行 layer.\"基本医保\".ration：")
    assert "是不是 ratio" in msg


def test_an_unknown_top_level_table_is_refused():
    msg = refused(GOOD + '\n[layers."医疗救助"]\nratio = 0.7\n')
    assert "layers" in msg and "是不是 layer" in msg


def test_a_ratio_above_one_is_refused():
    text = GOOD.replace("ratio = 0.75", "ratio = 1.5")
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, 'ratio = 1.5')}行 layer.\"基本医保\".ratio：")
    assert "0 到 1" in msg and "1.5" in msg


def test_a_percentage_above_100_is_refused_too():
    assert "0 到 1" in refused(GOOD.replace("ratio = 0.75", 'ratio = "150%"'))


def test_overlapping_bands_are_refused_at_the_second_band():
    text = GOOD.replace("{ from = 50000, ratio = 0.70 }", "{ from = 40000, ratio = 0.70 }")
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, 'from = 40000')}行 layer.\"大病保险\".bands[2].from：")
    assert "重叠" in msg and "50000" in msg


def test_a_gap_between_bands_is_refused():
    msg = refused(GOOD.replace("{ from = 50000, ratio = 0.70 }", "{ from = 60000, ratio = 0.70 }"))
    assert "空缺" in msg and "50000.00 到 60000.00" in msg


def test_bands_must_start_at_zero_and_only_the_last_may_be_open():
    assert "从 0 开始" in refused(GOOD.replace("{ from = 0, to = 50000", "{ from = 100, to = 50000"))
    assert "只有最后一段" in refused(GOOD.replace("{ from = 0, to = 50000, ratio", "{ from = 0, ratio"))


def test_a_missing_layer_order_names_the_pack_table():
    text = GOOD.replace('order = ["基本医保", "大病保险"]\n', "")
    msg = refused(text)
    assert msg.startswith("测试.toml 第1行 pack：缺少 order")


def test_a_layer_in_the_order_that_is_not_defined_is_refused():
    text = GOOD.replace('order = ["基本医保", "大病保险"]', 'order = ["基本医保", "大病保险", "医疗救助"]')
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, 'order =')}行 pack.order：")
    assert "“医疗救助”没有定义" in msg


def test_a_misspelt_layer_name_in_the_order_gets_a_suggestion():
    msg = refused(GOOD.replace('order = ["基本医保", "大病保险"]', 'order = ["基本医疗", "大病保险"]'))
    assert "“基本医疗”没有定义" in msg


def test_a_layer_missing_from_the_order_is_refused():
    text = GOOD.replace('order = ["基本医保", "大病保险"]', 'order = ["基本医保"]')
    msg = refused(text)
    header = line_of(text, '[layer."大病保险"]')
    assert msg.startswith(f"测试.toml 第{header}行 layer.\"大病保险\"：")
    assert "order 里没有它" in msg


def test_an_end_date_before_the_start_is_refused():
    text = GOOD.replace("valid_to = 2024-12-31", "valid_to = 2023-12-31")
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, 'valid_to')}行 pack.valid_to：")
    assert "早于开始日期" in msg


def test_a_date_written_with_slashes_is_refused():
    text = GOOD.replace("valid_from = 2024-01-01", 'valid_from = "2024/01/01"')
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, 'valid_from')}行 pack.valid_from：")
    assert "YYYY-MM-DD" in msg


def test_an_impossible_date_is_refused_with_its_line():
    text = GOOD.replace("valid_to = 2024-12-31", "valid_to = 2024-02-30")
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, 'valid_to')}行 pack.valid_to：日期无效")


def test_a_missing_date_is_refused():
    assert "缺少 valid_from" in refused(GOOD.replace("valid_from = 2024-01-01\n", ""))


def test_money_written_as_a_float_is_refused():
    text = GOOD.replace("deductible = 500", "deductible = 500.5")
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, 'deductible = 500.5')}行 layer.\"基本医保\".deductible：")
    assert '"500.5"' in msg


def test_an_unknown_category_is_refused_with_a_suggestion():
    text = GOOD.replace('uplift = { "建档立卡" = 5 }', 'uplift = { "低宝" = 5 }')
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, 'uplift')}行 layer.\"基本医保\".uplift.\"低宝\"：")
    assert "是不是“低保”" in msg


def test_ratio_and_bands_together_are_refused():
    msg = refused(GOOD.replace('deductible_per = "每年"', 'deductible_per = "每年"\nratio = 0.6'))
    assert "ratio 和 bands 只能写一个" in msg


def test_a_ratio_layer_needs_a_ratio():
    assert "缺少报销比例" in refused(GOOD.replace("ratio = 0.75\n", ""))


def test_a_ceiling_layer_needs_a_ceiling_and_no_ratio():
    base = GOOD.replace('"大病保险"]\n\n', '"大病保险", "政府兜底"]\n\n', 1)
    assert "需要个人自付上限" in refused(base + '\n[layer."政府兜底"]\nkind = "兜底"\n')
    msg = refused(base + '\n[layer."政府兜底"]\nkind = "兜底"\nratio = 0.5\n')
    assert "兜底层不用这个字段" in msg and "政府兜底\".ratio" in msg


def test_a_ceiling_key_in_a_ratio_layer_is_refused():
    assert "只有兜底层" in refused(GOOD.replace("cap = 150000", "ceiling_share = 0.1"))


def test_a_hospital_row_needs_a_level_or_a_scope():
    text = GOOD.replace("cap = 150000", "cap = 150000\nby_hospital = [\n    { level = \"一级\", ratio = 0.9 },\n"
                                       "    { ratio = 0.8 },\n]")
    msg = refused(text)
    assert msg.startswith(f"测试.toml 第{line_of(text, '{ ratio = 0.8 }')}行 layer.\"基本医保\".by_hospital[2]：")


def test_an_unknown_scope_is_refused():
    msg = refused(GOOD.replace("cap = 150000", 'scopes = ["县内"]'))
    assert "是不是“县域内”" in msg


def test_a_broken_toml_file_names_the_line():
    msg = refused(GOOD.replace('name = "测试包"', "name = 测试包"))
    assert msg.startswith("测试.toml 第2行")


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="无法读取政策包文件"):
        load_pack(tmp_path / "没有.toml")


# --- choosing a pack ----------------------------------------------------------------------


def _pack(county: str, start: str, end: str):
    text = GOOD.replace('county = "测试县"', f'county = "{county}"')
    text = text.replace("valid_from = 2024-01-01", f"valid_from = {start}")
    return parse_pack(text.replace("valid_to = 2024-12-31", f"valid_to = {end}"), source=f"{county}{start[:4]}.toml")


def test_the_pack_in_force_on_the_day_is_chosen():
    old, new = _pack("甲县", "2023-01-01", "2023-12-31"), _pack("甲县", "2024-01-01", "2024-12-31")
    assert choose_pack([old, new], dt.date(2024, 6, 1)) is new
    assert choose_pack([old, new], dt.date(2023, 12, 31)) is old


def test_no_pack_for_the_day_is_a_clear_error():
    with pytest.raises(ValidationError) as caught:
        choose_pack([_pack("甲县", "2023-01-01", "2023-12-31")], dt.date(2025, 1, 2))
    assert "没有覆盖 2025-01-02 的政策包" in str(caught.value)
    assert "甲县2023.toml 2023-01-01 至 2023-12-31" in str(caught.value)


def test_two_counties_on_the_same_day_need_the_county():
    a, b = _pack("甲县", "2024-01-01", "2024-12-31"), _pack("乙县", "2024-01-01", "2024-12-31")
    with pytest.raises(ValidationError, match="同时在几个政策包的时期内"):
        choose_pack([a, b], dt.date(2024, 5, 1))
    assert choose_pack([a, b], dt.date(2024, 5, 1), county="乙县") is b
    with pytest.raises(ValidationError, match="没有“丙县”的政策包"):
        choose_pack([a, b], dt.date(2024, 5, 1), county="丙县")


def test_person_categories_accept_synonyms_and_household_codes():
    assert category_name("建档立卡贫困户") == "建档立卡"
    assert category_name("五保户") == "特困"
    assert category_name("dibao") == "低保"
    assert category_name(" 监测户 ") == "监测户"
    with pytest.raises(ValidationError, match="是不是“低保”"):
        category_name("低保护")


# --- where keys are written ---------------------------------------------------------------


def test_key_lines_follow_tables_arrays_of_tables_and_inline_arrays():
    text = (
        '# comment = not a key\n[pack]\nname = "x"  # trailing\n\n[layer."基本医保"]\nratio = 0.8\n'
        '[[waiver]]\nfee = "床位费"\n[[waiver]]\nfee = "治疗费"\n'
        'note = """\nfake = 1\n"""\n[layer.a]\nbands = [\n  { from = 0 },\n  { from = 5 }, { from = 9 },\n]\n'
        'after = 1\n'
    )
    lines = key_lines(text)
    assert lines.line_of(("pack", "name")) == 3
    assert lines.line_of(("layer", "基本医保", "ratio")) == 6
    assert lines.line_of(("waiver", 0, "fee")) == 8
    assert lines.line_of(("waiver", 1, "fee")) == 10
    assert ("waiver", 1, "fake") not in lines.lines
    assert lines.line_of(("layer", "a", "bands", 0, "from")) == 16
    assert lines.line_of(("layer", "a", "bands", 2)) == 17
    assert lines.line_of(("layer", "a", "after")) == 19
    assert lines.line_of(("nothing",)) is None


def test_split_key_reads_quoted_and_dotted_keys():
    assert split_key(' layer."基本医保" . ratio ') == ("layer", "基本医保", "ratio")
    assert split_key("'a.b'.c") == ("a.b", "c")
    assert split_key("a b") is None
