"""Rules for importing the county's poor-household list (贫困户花名册) from a spreadsheet.

Pure functions only: which column holds what, how a cell becomes a value, which rows are bad and
why, and which rows form one household. Reading the file and writing the rows live in storage.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.core.errors import ValidationError
from app.core.households import parse_causes, poverty_status_code
from app.core.identity import parse_resident_id
from app.core.people import (
    HEALTH_STATES,
    education_name,
    ethnicity_name,
    relation_name,
    sex_code,
)
from app.core.text import clean, compact, to_halfwidth

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
_PHONE_FIELDS = ("联系电话",)
_HELPER_FIELDS = ("帮扶责任人", "帮扶单位")

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
    """Field -> column index (0-based) guessed from header texts; the first match wins.

    A phone column right after the help person's columns is that person's phone, not the
    household's: county lists often put a bare “联系电话” there.
    """
    mapping: dict[str, int] = {}
    previous: str | None = None
    for index, header in enumerate(headers):
        found = match_header(header)
        if found in _PHONE_FIELDS and previous in _HELPER_FIELDS and "帮扶责任人电话" not in mapping:
            found = "帮扶责任人电话"
        if found is not None and found not in mapping:
            mapping[found] = index
        previous = found
    return mapping


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


# --- cells ---------------------------------------------------------------------------------

_LOST_DIGITS = "被存成了数字，末几位已丢失，请把该列设为文本后重新录入"


def text_cell(value: object, label: str = "") -> str:
    """A code-like cell (户编号, 人编号, phone) as text; numbers that lost digits are refused."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            raise ValidationError(f"{label}{_LOST_DIGITS}", field=label)
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return compact(value)


def normalize_id(value: object, *, today: dt.date | None = None) -> tuple[str, list[str]]:
    """A resident ID from a cell and any warnings; numbers that lost digits are refused."""
    if isinstance(value, float):
        if value.is_integer() and 1e14 <= value < 1e15:
            value = str(int(value))
        else:
            raise ValidationError(f"身份证号{_LOST_DIGITS}", field="id_no")
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if len(text) == 18:
            try:
                parse_resident_id(text, today=today)
            except ValidationError:
                raise ValidationError(f"身份证号{_LOST_DIGITS}", field="id_no") from None
        value = text
    rid = parse_resident_id(value, today=today)
    warnings = [f"15位旧身份证号已转换为18位：{rid.number}"] if rid.converted_from_15 else []
    return rid.number, warnings


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")


def parse_date_cell(value: object) -> dt.date | None:
    """A date from a date cell, an Excel serial number, 2019.3.5, 2019年3月5日 or 20190305."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            return parse_date_cell(str(int(value)))
        if 1 <= value < 2958466:
            # Serials count from 1900-01-00 and include Excel's phantom 1900-02-29.
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValidationError(f"日期“{value}”无法识别", field="date")
    text = compact(value)
    if not text:
        return None
    text = text.split("T")[0] if re.match(r"^\d{4}-\d{2}-\d{2}T", text) else text
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}", text):
        text = text[:10]
    match = _DATE_TEXT.match(text)
    parts = match.groups() if match else None
    if parts is None and re.fullmatch(r"\d{8}", text):
        parts = (text[:4], text[4:6], text[6:])
    if parts is None and re.fullmatch(r"\d{5}(\.\d+)?", text):
        return parse_date_cell(float(text))
    if parts is None:
        raise ValidationError(f"日期“{clean(value)}”无法识别，请写成2019-03-05", field="date")
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValidationError(f"日期“{clean(value)}”不是真实的日期", field="date") from None


def parse_year(value: object) -> int | None:
    """A year (脱贫年度) from 2019, “2019年”, “2019年度” or a date."""
    if isinstance(value, dt.date):
        return value.year
    text = text_cell(value, "脱贫年度").removesuffix("度").removesuffix("年")
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError(f"脱贫年度“{clean(value)}”应为四位年份", field="exit_year")
    return int(text)


_YES = {"是", "已参加", "参加", "已参保", "参保", "有", "√", "Y", "YES", "1", "TRUE"}
_NO = {"否", "未参加", "不参加", "未参保", "没有", "无", "×", "X", "N", "NO", "0", "FALSE"}


def parse_yes_no(value: object) -> bool | None:
    text = compact(value).upper()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(f"“{clean(value)}”应填“是”或“否”", field="insurance")


_HEALTH_SYNONYMS = {"大病": "患有大病", "慢性病": "长期慢性病", "长期慢性疾病": "长期慢性病"}


def health_state_name(value: object) -> str:
    text = compact(value)
    return text if text in HEALTH_STATES else _HEALTH_SYNONYMS.get(text, clean(value))


# --- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """Why one row of the file was not imported (or a note about it), as the user sees it."""

    row_number: int
    reason: str
    name: str = ""
    id_no: str = ""


@dataclass
class ImportRow:
    """One row of the file, normalised. None means the file does not say (keep what is there)."""

    row_number: int
    name: str = ""
    id_no: str = ""
    raw_id: str = ""
    relation: str | None = None
    is_head: bool = False
    household_no: str = ""
    village_text: str = ""
    village_code: str = ""
    group_name: str | None = None
    address: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    ethnicity: str | None = None
    education: str | None = None
    person_no: str | None = None
    phone: str | None = None
    poverty_status: str | None = None
    causes: list[str] | None = None
    exit_year: int | None = None
    helper_name: str | None = None
    helper_unit: str | None = None
    helper_phone: str | None = None
    health_state: str | None = None
    labour_skill: str | None = None
    insured: bool | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    def problem(self, reason: str | None = None) -> RowProblem:
        return RowProblem(self.row_number, reason or self.error, self.name, self.id_no or self.raw_id)


def is_blank(cells: Mapping[str, object]) -> bool:
    """A row naming nobody (empty, a footer such as “合计” or “填表人”, a leftover of a merge)."""
    return all(cells.get(f) is None or not compact(cells.get(f)) for f in ("姓名", "证件号码", "人编号"))


def _opt(cells: Mapping[str, object], name: str) -> str | None:
    text = clean(cells.get(name))
    return text or None


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[\u3400-\u9fff])")


def clean_name(value: object) -> str:
    """A name as typed in a list: spaces padding “张  三” to line up are dropped."""
    return _CJK_GAP.sub("", clean(value))


def read_row(row_number: int, cells: Mapping[str, object], *, today: dt.date | None = None) -> ImportRow:
    """Normalise one row; the first broken value is kept as `error` (the row is then bad)."""
    row = ImportRow(row_number=row_number, name=clean_name(cells.get("姓名")))
    raw_id = cells.get("证件号码")
    row.raw_id = compact(raw_id) if not isinstance(raw_id, float) else f"{raw_id:.15g}"
    try:
        relation = _opt(cells, "与户主关系")
        row.relation = relation_name(relation) if relation else None
        row.is_head = row.relation == "户主"
        row.household_no = text_cell(cells.get("户编号"), "户编号")
        row.village_text = compact(cells.get("所在村"))
        _fill(row, cells, today=today)
    except ValidationError as exc:
        row.error = exc.message
    return row


def _fill(row: ImportRow, cells: Mapping[str, object], *, today: dt.date | None) -> None:
    if not row.name:
        raise ValidationError("姓名为空")
    person_no = text_cell(cells.get("人编号"), "人编号")
    row.person_no = person_no or None
    if compact(cells.get("证件号码")) or isinstance(cells.get("证件号码"), int | float):
        row.id_no, row.warnings = normalize_id(cells.get("证件号码"), today=today)
    elif not row.person_no:
        raise ValidationError("证件号码为空")
    row.group_name = _opt(cells, "村民小组")
    row.address = _opt(cells, "家庭住址")
    sex = sex_code(cells.get("性别"))
    row.sex = sex or None
    row.birth_date = parse_date_cell(cells.get("出生日期"))
    if row.birth_date is not None and today is not None and row.birth_date > today:
        raise ValidationError("出生日期在今天之后")
    row.ethnicity = ethnicity_name(cells.get("民族")) or None
    row.education = education_name(cells.get("文化程度")) or None
    row.phone = text_cell(cells.get("联系电话"), "联系电话") or None
    status = _opt(cells, "贫困户属性")
    row.poverty_status = poverty_status_code(status) if status else None
    causes = _opt(cells, "主要致贫原因")
    row.causes = parse_causes(causes) if causes else None
    row.exit_year = parse_year(cells.get("脱贫年度"))
    row.helper_name = _opt(cells, "帮扶责任人")
    row.helper_unit = _opt(cells, "帮扶单位")
    row.helper_phone = text_cell(cells.get("帮扶责任人电话"), "帮扶责任人电话") or None
    health = _opt(cells, "健康状况")
    row.health_state = health_state_name(health) if health else None
    row.labour_skill = _opt(cells, "劳动技能")
    row.insured = parse_yes_no(cells.get("是否参加城乡居民基本医疗保险"))


def resolve_village(text: str, villages: Sequence[tuple[str, str]], default: str) -> str:
    """A village code from a name or 12-digit code in the file (the clinic's own when empty)."""
    key = compact(text)
    if not key:
        if not default:
            raise ValidationError("未填写所在村", field="village")
        return default
    for code, name in villages:
        short = name.removesuffix("村委会").removesuffix("村民委员会").removesuffix("村")
        if key in (code, name, short, short + "村", short + "村委会", short + "村民委员会"):
            return code
    known = "、".join(name for _, name in villages) or "（无）"
    raise ValidationError(f"不认识的村“{text}”，本卫生室登记的村有：{known}", field="village")


# --- households in the file ------------------------------------------------------------------


@dataclass
class HouseholdGroup:
    """The rows of one household in the file, the head's row (if any) first."""

    village_code: str
    household_no: str
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def head(self) -> ImportRow | None:
        return next((r for r in self.rows if r.is_head), None)

    def value(self, attr: str) -> object:
        """A household value: the head's when given, else the first row's that gives it."""
        good = [r for r in self.rows if not r.error]
        return next((getattr(r, attr) for r in good if getattr(r, attr) not in (None, "")), None)


@dataclass
class Prepared:
    """The file's rows grouped into households, with the rows that cannot be imported."""

    groups: list[HouseholdGroup]
    problems: list[RowProblem]
    warnings: list[RowProblem]
    rows_read: int


def prepare(
    raw_rows: Iterable[tuple[int, Mapping[str, object]]],
    *,
    villages: Sequence[tuple[str, str]],
    default_village: str,
    today: dt.date | None = None,
) -> Prepared:
    """Read, check and group the rows of a file (field -> cell value, by Excel row number)."""
    rows = [read_row(n, cells, today=today) for n, cells in raw_rows if not is_blank(cells)]
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    for row in rows:
        try:
            row.village_code = resolve_village(row.village_text, villages, default_village)
        except ValidationError as exc:
            row.error = row.error or exc.message
    _mark_duplicates(rows)
    groups = _group(rows, problems)
    for group in groups:
        heads = [r for r in group.rows if r.is_head]
        for extra in heads[1:]:
            if not extra.error:
                extra.error = f"户编号 {group.household_no} 已有户主（第{heads[0].row_number}行），一户只能有一个户主"
    for row in rows:
        if row.error:
            problems.append(row.problem())
        else:
            warnings.extend(row.problem(w) for w in row.warnings)
    problems.sort(key=lambda p: p.row_number)
    return Prepared(groups=groups, problems=problems, warnings=warnings, rows_read=len(rows))


def _mark_duplicates(rows: list[ImportRow]) -> None:
    seen_id: dict[str, int] = {}
    seen_no: dict[str, int] = {}
    for row in rows:
        if row.error:
            continue
        first = seen_id.get(row.id_no) if row.id_no else None
        if first is None and row.person_no:
            first = seen_no.get(row.person_no)
        if first is not None:
            row.error = f"与第{first}行是同一个人（证件号码或人编号相同），重复的这一行未导入"
            continue
        if row.id_no:
            seen_id[row.id_no] = row.row_number
        if row.person_no:
            seen_no[row.person_no] = row.row_number


def _group(rows: list[ImportRow], problems: list[RowProblem]) -> list[HouseholdGroup]:
    """Rows with a 户编号 group by it; others follow the list's order: a head starts a household."""
    groups: list[HouseholdGroup] = []
    by_no: dict[tuple[str, str], HouseholdGroup] = {}
    current: HouseholdGroup | None = None
    for row in rows:
        village = row.village_code or "?" + row.village_text
        if row.household_no:
            key = (village, row.household_no)
            if key not in by_no:
                by_no[key] = HouseholdGroup(village, row.household_no)
                groups.append(by_no[key])
            current = by_no[key]
        elif row.is_head:
            current = HouseholdGroup(village, "")
            groups.append(current)
        elif current is None:
            if not row.error:
                row.error = "这一行不是户主，前面也没有户主行，无法确定属于哪一户（请填写户编号或先列户主）"
            continue
        current.rows.append(row)
    for group in groups:
        group.rows.sort(key=lambda r: not r.is_head)
    return groups
