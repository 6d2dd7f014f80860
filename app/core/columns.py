"""Which column of a county roster holds which field: header synonyms, guesses, ambiguities.

The mapping never depends on the columns' order; a header that fits two fields (a bare 联系电话
on a sheet with a help person) is reported as an Ambiguity for the user to settle.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.errors import ValidationError
from app.core.text import clean, to_halfwidth

# Canonical fields in the county list's column order, each with the headers met in real files.
FIELDS: dict[str, tuple[str, ...]] = {
    "所在村": ("村", "行政村", "村名", "所属村", "村委会", "村别", "村(社区)", "行政村名称",
            "所在行政村", "村代码", "行政村代码"),
    "村民小组": ("组", "小组", "组别", "村组", "社", "所在组", "村民组", "所在村民小组", "自然村"),
    "户编号": ("户码", "户号", "户代码", "家庭编号", "户主编号", "贫困户编号", "户ID"),
    "姓名": ("名字", "成员姓名", "人员姓名", "家庭成员姓名", "家庭成员", "贫困人口姓名"),
    "与户主关系": ("与户主的关系", "与户主关系(称谓)", "家庭关系", "户主关系", "关系", "称谓"),
    "证件号码": ("身份证号", "身份证号码", "身份证", "证件号", "公民身份号码", "公民身份证号码",
             "身份证件号码", "居民身份证号码", "证件号码(身份证)"),
    "性别": ("性 别",),
    "出生日期": ("出生年月", "出生年月日", "出生时间", "生日"),
    "民族": ("族别",),
    "文化程度": ("学历", "受教育程度", "文化"),
    "人编号": ("人员编号", "个人编号", "成员编号", "人码"),
    "联系电话": ("电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "户主联系电话"),
    "家庭住址": ("住址", "地址", "家庭地址", "现住址", "居住地址"),
    "贫困户属性": ("户类型", "户属性", "贫困属性", "贫困户类型", "贫困类型", "贫困户类别", "户类别",
              "贫困户状态", "贫困状态", "户别", "户性质"),
    "主要致贫原因": ("致贫原因", "主要致贫原因", "贫困原因", "致贫主因"),
    "脱贫年度": ("脱贫年份", "脱贫时间", "脱贫年", "计划脱贫年度", "(计划)脱贫年度"),
    "帮扶责任人": ("帮扶人", "帮扶干部", "帮扶责任人姓名", "结对帮扶人", "帮扶人姓名", "帮扶联系人"),
    "帮扶单位": ("帮扶责任人单位", "帮扶人单位", "帮扶责任人工作单位", "帮扶单位名称"),
    "帮扶责任人电话": ("帮扶人电话", "帮扶责任人联系电话", "帮扶人联系电话", "帮扶干部电话",
                "帮扶责任人联系方式", "帮扶人联系方式", "帮扶责任人手机"),
    "健康状况": ("健康状态", "身体状况", "身体健康状况"),
    "患病情况": ("患病种类", "所患疾病", "疾病名称", "病种", "慢性病", "慢性病种类", "慢性病病种",
             "慢病病种", "慢病种类", "慢病", "患何种疾病", "疾病", "诊断", "疾病诊断", "患病名称",
             "主要疾病", "所患病种", "患病"),
    "劳动技能": ("劳动能力", "劳动技能状况", "劳动力状况"),
    "是否参加城乡居民基本医疗保险": ("是否参加城乡居民医保", "是否参加基本医疗保险", "是否参加医保",
                         "是否参保", "参加城乡居民基本医疗保险", "是否参加新农合", "参加医保"),
}
REQUIRED_FIELDS: tuple[str, ...] = ("姓名", "证件号码", "与户主关系")
# Values that belong to the household and are the same on each of its rows (or on the head's).
HOUSEHOLD_FIELDS: tuple[str, ...] = (
    "所在村", "村民小组", "户编号", "家庭住址", "贫困户属性", "主要致贫原因", "脱贫年度",
    "帮扶责任人", "帮扶单位", "帮扶责任人电话",
)
_HELPER_FIELDS = ("帮扶责任人", "帮扶单位")
# Headers that say “a phone” without saying whose: next to a help person they are ambiguous.
_BARE_PHONES = ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码")
PHONE_CHOICES: tuple[str, ...] = ("联系电话", "帮扶责任人电话")

# --- headers and the column mapping ---------------------------------------------------------

_BRACKETED = re.compile(r"[(\[【<《][^()\[\]【】<>《》]*[)\]】>》]")
_DECORATION = str.maketrans("", "", "*＊※★☆:：?？·.。、")


def header_key(text: object) -> str:
    """A header as compared: half-width, no spaces or decoration, Chinese brackets made plain."""
    s = to_halfwidth(clean(text)).replace("（", "(").replace("）", ")")
    return s.replace(" ", "").translate(_DECORATION)


def _unbracketed(key: str) -> str:
    return _BRACKETED.sub("", key)


_LOOKUP: dict[str, str] = {}
for _field, _synonyms in FIELDS.items():
    for _name in (_field, *_synonyms):
        _LOOKUP.setdefault(header_key(_name), _field)
        _LOOKUP.setdefault(_unbracketed(header_key(_name)), _field)


def match_header(text: object) -> str | None:
    """The canonical field a header names (tolerating “(必填)” and the like), or None."""
    key = header_key(text)
    if not key:
        return None
    return _LOOKUP.get(key) or _LOOKUP.get(_unbracketed(key))


def field_name(text: object) -> str:
    """A canonical field from its name or a synonym; ValidationError when nothing matches."""
    found = match_header(text)
    if found is None:
        raise ValidationError(
            f"不认识的字段“{clean(text)}”；可用的字段：{'、'.join(FIELDS)}", field="mapping"
        )
    return found


def guess_mapping(headers: Sequence[object]) -> dict[str, int]:
    """Field -> column index (0-based) guessed from header texts, whatever the columns' order.

    Only when a sheet has two bare phone columns and a help person does position decide: the
    one nearer after the help person's columns is that person's phone.
    """
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        found = match_header(header)
        if found is not None and found not in mapping:
            mapping[found] = index
    bare = _bare_phone_columns(headers)
    helpers = [i for f, i in mapping.items() if f in _HELPER_FIELDS]
    if len(bare) >= 2 and helpers and "帮扶责任人电话" not in mapping:
        after = [c for c in bare if c > min(helpers)] or bare
        theirs = min(after, key=lambda c: min(abs(c - h) for h in helpers))
        mapping["帮扶责任人电话"] = theirs
        mapping["联系电话"] = next(c for c in bare if c != theirs)
    return mapping


def _bare_phone_columns(headers: Sequence[object]) -> list[int]:
    bare = {header_key(h) for h in _BARE_PHONES}
    return [i for i, h in enumerate(headers) if _unbracketed(header_key(h)) in bare]


@dataclass(frozen=True)
class Ambiguity:
    """A column whose header fits more than one field: the choice made, for the user to confirm."""

    column: int
    header: str
    choices: tuple[str, ...]
    chosen: str

    @property
    def letter(self) -> str:
        """The spreadsheet's name of the column: A, B, … Z, AA."""
        letters, index = "", self.column + 1
        while index:
            index, rest = divmod(index - 1, 26)
            letters = chr(ord("A") + rest) + letters
        return letters

    def note(self) -> str:
        """One line for the CLI: which field the column was taken as, and how to choose otherwise."""
        other = next(c for c in self.choices if c != self.chosen)
        return (f"“{self.header}”列（{self.letter}列）可能是{'或'.join(self.choices)}，已按“{self.chosen}”导入；"
                f"若不对，请加 --map {other}={self.header}")


def ambiguities(headers: Sequence[object], mapping: Mapping[str, int],
                given: Mapping[str, str] | None = None) -> list[Ambiguity]:
    """Columns the guess cannot be sure of: a bare phone column on a sheet with a help person
    and no column that names the help person's phone (unless the user has chosen already)."""
    if not any(f in mapping for f in _HELPER_FIELDS):
        return []
    bare = _bare_phone_columns(headers)
    explicit = mapping.get("帮扶责任人电话")
    if explicit is not None and explicit not in bare:
        return []
    chosen_by_user = {header_key(h) for f, h in (given or {}).items()
                      if match_header(f) in PHONE_CHOICES}
    by_column = {i: f for f, i in mapping.items()}
    return [
        Ambiguity(c, clean(headers[c]), PHONE_CHOICES, by_column.get(c, ""))
        for c in bare if header_key(headers[c]) not in chosen_by_user
    ]


def resolve_mapping(headers: Sequence[object], given: Mapping[str, str] | None) -> dict[str, int]:
    """The guessed mapping with the user's corrections (field -> header text) laid over it."""
    mapping = guess_mapping(headers)
    if not given:
        return mapping
    keys = [header_key(h) for h in headers]
    for raw_field, header in given.items():
        name = field_name(raw_field)
        wanted = header_key(header)
        if not wanted:
            mapping.pop(name, None)
            continue
        candidates = [i for i, k in enumerate(keys) if k == wanted]
        if not candidates:
            candidates = [i for i, k in enumerate(keys) if _unbracketed(k) == _unbracketed(wanted)]
        if not candidates:
            raise ValidationError(f"表格中没有名为“{clean(header)}”的列（{name}）", field="mapping")
        taken = {i for f, i in mapping.items() if f != name}
        free = [i for i in candidates if i not in taken]
        index = (free or candidates)[0]
        for other in [f for f, i in mapping.items() if i == index and f != name]:
            del mapping[other]
        mapping[name] = index
    return mapping


def missing_required(mapping: Mapping[str, int]) -> list[str]:
    return [f for f in REQUIRED_FIELDS if f not in mapping]


def parse_mapping_arg(text: str) -> dict[str, str]:
    """Parse the CLI's “姓名=名字,证件号码=身份证” into field -> header text."""
    spec = to_halfwidth(text or "").replace("，", ",").replace("；", ";")
    result: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", spec))):
        if "=" not in part:
            raise ValidationError(f"列对应“{part}”应写成 字段=表头，如 姓名=名字", field="mapping")
        left, _, right = part.partition("=")
        name = field_name(left)
        if not clean(right):
            raise ValidationError(f"列对应“{part}”缺少表头名称", field="mapping")
        if name in result:
            raise ValidationError(f"字段“{name}”指定了两次", field="mapping")
        result[name] = clean(right)
    if not result:
        raise ValidationError("列对应为空；应写成 字段=表头，多个用逗号分隔", field="mapping")
    return result
