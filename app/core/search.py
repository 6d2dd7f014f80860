"""Search keys: what a doctor may type to find a resident (name, pinyin, initials, numbers)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import IntEnum

from app.core.text import compact

# Surnames read differently from their everyday reading. pypinyin's default reading is often the
# everyday one (单 dan, 曾 ceng), so every reading listed here is indexed as well.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan", "dan"), "曾": ("zeng", "ceng"), "解": ("xie", "jie"), "仇": ("qiu", "chou"),
    "区": ("ou", "qu"), "朴": ("piao", "pu"), "查": ("zha", "cha"), "盖": ("ge", "gai"),
    "乐": ("yue", "le"), "覃": ("qin", "tan"), "缪": ("miao", "mou"), "尉": ("yu", "wei"),
    "员": ("yun", "yuan"), "种": ("chong", "zhong"), "召": ("shao", "zhao"), "繁": ("po", "fan"),
    "黑": ("he", "hei"), "宿": ("su", "xiu"), "秘": ("bi", "mi"), "折": ("she", "zhe"),
    "翟": ("zhai", "di"), "任": ("ren",), "华": ("hua",), "纪": ("ji",), "过": ("guo",),
    "重": ("chong", "zhong"), "句": ("gou", "ju"), "谌": ("chen", "shen"), "洗": ("xian", "xi"),
    "莘": ("shen", "xin"), "苏": ("su",), "沈": ("shen",), "单于": ("chan", "yu"),
    "隗": ("wei", "kui"), "阚": ("kan",), "殷": ("yin",), "柏": ("bai", "bo"), "蕃": ("pi", "fan"),
    "牟": ("mou", "mu"), "吕": ("lv", "lu"), "闾": ("lv", "lu"), "卢": ("lu",),
}
MAX_COMBINATIONS = 16


def _pinyin(text: str, *, heteronym: bool = False) -> list[list[str]]:
    """pypinyin's plain readings of `text`. Imported on first use: its dictionaries take a third
    of a second to load, and most commands never read a name's pinyin."""
    from pypinyin import Style, pinyin

    return pinyin(text, style=Style.NORMAL, heteronym=heteronym, v_to_u=False)


def _readings(char: str, *, surname: bool) -> list[str]:
    if surname and char in SURNAME_READINGS:
        return list(SURNAME_READINGS[char])
    if not ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"):
        return [char.lower()] if char.isalnum() else []
    found = _pinyin(char, heteronym=True)[0]
    readings = [r for r in found if r.isascii()]
    out = list(dict.fromkeys(readings))
    # ü is typed as v, and by some as u: accept both.
    for r in list(out):
        if "v" in r and r.replace("v", "u") not in out:
            out.append(r.replace("v", "u"))
    return out or [char]


def pinyin_keys(name: str) -> tuple[set[str], set[str]]:
    """All full-pinyin spellings and all initials of a name, every reading of its surname.

    Given-name characters contribute their first reading in context plus other readings while
    the number of spellings stays small (MAX_COMBINATIONS).
    """
    chars = [c for c in compact(name) if not c.isspace()]
    if not chars:
        return set(), set()
    in_context = _pinyin("".join(chars))
    options: list[list[str]] = []
    for i, ch in enumerate(chars):
        readings = _readings(ch, surname=(i == 0))
        if i < len(in_context) and in_context[i] and in_context[i][0].isascii():
            first = in_context[i][0]
            if i == 0 and ch not in SURNAME_READINGS:
                readings = [first]   # an ordinary surname: its reading as a name, nothing else
            elif first not in readings or i > 0:
                readings = [first] + [r for r in readings if r != first]
        options.append(readings)
    # Grow the product one character at a time, trimming other readings of given-name chars.
    combos: list[tuple[str, ...]] = [()]
    for i, readings in enumerate(options):
        keep = readings if i == 0 else readings[: max(1, MAX_COMBINATIONS // max(1, len(combos)))]
        combos = [(*c, r) for c in combos for r in keep]
    full = {"".join(c) for c in combos}
    initials = {"".join(r[0] for r in c if r) for c in combos}
    return full, initials


def search_tokens(
    *, name: str, id_no: str = "", record_no: str = "", phone: str = "", extra: Iterable[str] = ()
) -> set[str]:
    """Every token a person is found by; a query matches when it is a prefix of any token."""
    tokens: set[str] = set()
    clean_name = compact(name)
    if clean_name:
        tokens.add(clean_name.lower())
        for i in range(1, min(len(clean_name), 4)):
            tokens.add(clean_name[i:].lower())   # given name alone: 建国 finds 王建国
        full, initials = pinyin_keys(clean_name)
        tokens |= full | initials
    for number in (id_no, phone, *extra):
        value = compact(number).lower()
        if value:
            tokens.add(value)
    record = compact(record_no)
    if record:
        tokens.add(record)
        tokens.add(record[9:])                   # the 8-digit short form, without its dash
    return {t for t in tokens if t}


def normalize_query(text: str) -> str:
    """A typed query as a token prefix: half-width, lowercase, no spaces, no dash in short numbers."""
    q = compact(text).lower()
    if len(q) == 9 and q[3] == "-" and q.replace("-", "").isdigit():
        q = q.replace("-", "")
    return q


def is_number_query(q: str) -> bool:
    return bool(q) and (q.isdigit() or (q[:-1].isdigit() and q[-1] == "x"))


# --- runs of digits inside ID and phone numbers -----------------------------------------------

MIN_RUN = 4
"""Fewest characters of a number found anywhere inside it: three digits would match too many."""
MAX_RUN_START = 64
"""Runs are indexed from the first 64 positions of a number (IDs have 18, phones 11 or 12)."""
_RUN = re.compile(r"[0-9]+x?")


class Rank(IntEnum):
    """How well a person matches a query; results are listed best first."""

    EXACT = 0    # a whole token: the full name, the whole ID or phone, the record number
    PREFIX = 1   # the start of a token: pinyin, initials, the first digits of a number
    TAIL = 2     # the last digits of an ID or phone number (what people quote)
    INSIDE = 3   # a run of digits anywhere else inside an ID or phone number


def number_digits(value: str) -> str:
    """An ID or phone number as it is searched inside: lower case, no dashes or spaces."""
    return compact(value).lower().replace("-", "")


def digit_run(query: str) -> str | None:
    """The query as a run to find inside numbers (4+ digits, an ID's X may end it), or None."""
    q = number_digits(query)
    return q if len(q) >= MIN_RUN and _RUN.fullmatch(q) else None


def number_runs(value: str) -> set[str]:
    """Every run a number is found by: each of its tails of at least MIN_RUN characters.

    A run typed by the doctor is the start of one of these tails, so an index of tails answers
    "anywhere inside" with the same prefix range scan as every other token.
    """
    v = number_digits(value)
    return {v[i:] for i in range(min(len(v) - MIN_RUN + 1, MAX_RUN_START))}


def match_rank(query: str, *, tokens: Iterable[str], numbers: Iterable[str] = ()) -> Rank | None:
    """How a person with these search tokens and ID/phone numbers matches a query, or None."""
    q = normalize_query(query)
    if not q:
        return None
    found: list[Rank] = []
    for t in tokens:
        if t == q:
            return Rank.EXACT
        if t.startswith(q):
            found.append(Rank.PREFIX)
    run = digit_run(query)
    if run:
        for number in numbers:
            digits = number_digits(number)
            if digits.endswith(run):
                found.append(Rank.TAIL)
            elif run in digits:
                found.append(Rank.INSIDE)
    return min(found, default=None)
