"""The arithmetic as a doctor reads it: a base that does not pass its deductible, a yearly
deductible partly used, a zero base, a cap and a personal ceiling already reached."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from app.core.policy import PolicyPack, parse_pack
from app.core.settlement import ClaimInput, Settlement, settle
from app.core.settlement_text import explain

D = Decimal
POOR = frozenset({"建档立卡"})


def pack(layers: str, order: list[str]) -> PolicyPack:
    names = ", ".join(f'"{n}"' for n in order)
    head = (f'[pack]\nname = "测试"\ncounty = "测试县"\nvalid_from = 2024-01-01\n'
            f'valid_to = 2024-12-31\norder = [{names}]\n\n')
    return parse_pack(head + layers, source="测试.toml")


def one(layer: str) -> PolicyPack:
    return pack(f'[layer."大病保险"]\n{layer}\n', ["大病保险"])


def claim(total: str, **kw: object) -> ClaimInput:
    fields: dict[str, object] = dict(
        episode="住院", level="二级", scope="县域内", admitted=dt.date(2024, 3, 1),
        discharged=dt.date(2024, 3, 10), total=D(total))
    fields.update(kw)
    return ClaimInput(**fields)  # type: ignore[arg-type]


def after(s: Settlement, c: ClaimInput) -> ClaimInput:
    return dataclasses.replace(c, year_to_date=s.year_to_date)


PER_STAY = one("deductible = 3000\nratio = 0.80")
YEARLY = one('deductible = 3000\ndeductible_per = "每年"\nratio = 0.80')


def test_a_base_below_the_deductible_says_so_instead_of_subtracting_it_from_itself():
    s = settle(PER_STAY, claim("2604.00"))
    line = s.layers[0]
    assert line.rule == "基数 2,604.00 未达起付线 3,000.00，本层不报销"
    assert (line.amount, line.deductible, line.deductible_used) == (D("0.00"), D("3000.00"), D("2604.00"))
    assert "1. 大病保险：基数 2,604.00 未达起付线 3,000.00，本层不报销" in explain(s)
    assert not any("− 起付线 2,604.00" in x for x in explain(s))


def test_a_base_equal_to_the_deductible_pays_nothing_and_says_why():
    line = settle(PER_STAY, claim("3000.00")).layers[0]
    assert line.rule == "基数 3,000.00 刚好等于起付线 3,000.00，本层不报销" and line.amount == D("0.00")


def test_a_base_just_above_the_deductible_shows_the_subtraction():
    line = settle(PER_STAY, claim("3000.02")).layers[0]
    assert line.rule == "(3,000.02 − 起付线 3,000.00) × 80% = 0.02" and line.amount == D("0.02")


def test_bands_below_the_deductible_read_the_same():
    banded = one('deductible = 3000\nbands = [{ from = 0, to = 50000, ratio = 0.6 }, { from = 50000, ratio = 0.7 }]')
    assert settle(banded, claim("2604.00")).layers[0].rule == "基数 2,604.00 未达起付线 3,000.00，本层不报销"


def test_a_yearly_deductible_says_how_much_is_counted_and_how_much_remains():
    first = settle(YEARLY, claim("1000.00"))
    assert first.layers[0].rule == ("基数 1,000.00 未达年度起付线 3,000.00，本层不报销；"
                                    "本次计入起付线 1,000.00，本年起付线尚余 2,000.00")
    second = settle(YEARLY, after(first, claim("1500.00")))
    assert second.layers[0].rule == ("基数 1,500.00 未达本年尚余起付线 2,000.00，本层不报销；"
                                     "本次计入起付线 1,500.00，本年起付线尚余 500.00")
    assert second.layers[0].notes == ("年度起付线 3,000.00，本年此前已扣 1,000.00，尚余 2,000.00",)
    third = settle(YEARLY, after(second, claim("2000.00")))
    assert third.layers[0].rule == "(2,000.00 − 本年尚余起付线 500.00) × 80% = 1,200.00"
    fourth = settle(YEARLY, after(third, claim("1000.00")))
    assert fourth.layers[0].rule == "1,000.00 × 80% = 800.00"
    assert fourth.layers[0].notes == ("年度起付线 3,000.00，本年此前已扣 3,000.00，已扣满",)


def test_a_yearly_deductible_met_exactly_says_it_is_used_up():
    line = settle(YEARLY, claim("3000.00")).layers[0]
    assert line.rule == ("基数 3,000.00 刚好等于年度起付线 3,000.00，本层不报销；"
                         "本次计入起付线 3,000.00，本年起付线已扣满")


def test_a_zero_base_says_there_is_nothing_to_pay():
    p = pack('[layer."基本医保"]\nratio = 1\n\n[layer."医疗救助"]\ndeductible = 100\nratio = 0.7\n',
             ["基本医保", "医疗救助"])
    assert settle(p, claim("500.00")).layers[1].rule == "基数为 0.00（无可报销的费用），本层不报销"


def test_a_cap_used_up_by_earlier_claims_says_nothing_more_is_paid():
    p = one("ratio = 0.8\ncap = 10000")
    first = settle(p, claim("12500.00"))
    second = settle(p, after(first, claim("1000.00")))
    assert second.layers[0].amount == D("0.00")
    assert second.layers[0].rule == "1,000.00 × 80% = 800.00；但本年已付满年度封顶线 10,000.00，本次支付 0.00"


def test_a_yearly_personal_ceiling_partly_used_is_named_as_what_is_left_of_it():
    p = pack('[layer."基本医保"]\nratio = 0.5\n\n[layer."政府兜底"]\nkind = "兜底"\n'
             'ceiling_by_scope = { "县域内" = 3000 }\n', ["基本医保", "政府兜底"])
    first = settle(p, claim("4000.00", categories=POOR))
    assert first.layers[1].rule == "个人负担 2,000.00 未超过上限 3,000.00，无需兜底"
    second = settle(p, after(first, claim("4000.00", categories=POOR)))
    assert second.layers[1].rule == "个人负担 2,000.00 − 本年尚余上限 1,000.00 = 1,000.00"
