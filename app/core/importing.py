"""Rules for importing the county's poor-household list (贫困户花名册) from a spreadsheet.

Pure functions only: which column holds what, how a cell becomes a value, which rows are bad and
why, and which rows form one household. Reading the file and writing the rows live in storage.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.core.cells import (
    health_state_name,
    normalize_id,
    parse_date_cell,
    parse_year,
    parse_yes_no,
    text_cell,
)
from app.core.columns import (
    FIELDS,
    HOUSEHOLD_FIELDS,
    PHONE_CHOICES,
    REQUIRED_FIELDS,
    Ambiguity,
    ambiguities,
    field_name,
    guess_mapping,
    header_key,
    match_header,
    missing_required,
    parse_mapping_arg,
    resolve_mapping,
)
from app.core.errors import ValidationError
from app.core.households import parse_causes, poverty_status_code
from app.core.limits import LINE_MAX, NAME_MAX, NOTE_MAX, check_name, check_text
from app.core.people import education_name, ethnicity_name, relation_name, sex_code
from app.core.roster import is_summary_row, parse_conditions, skip_reason
from app.core.text import clean, compact

__all__ = [
    "FIELDS",
    "HOUSEHOLD_FIELDS",
    "PHONE_CHOICES",
    "REQUIRED_FIELDS",
    "Ambiguity",
    "HouseholdGroup",
    "ImportRow",
    "Prepared",
    "RowProblem",
    "acting_head",
    "ambiguities",
    "field_name",
    "guess_mapping",
    "header_key",
    "match_header",
    "missing_required",
    "normalize_id",
    "parse_date_cell",
    "parse_mapping_arg",
    "parse_year",
    "parse_yes_no",
    "prepare",
    "read_row",
    "resolve_mapping",
    "resolve_village",
    "text_cell",
]

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
    conditions: list[str] = field(default_factory=list)
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


def _sex_hint(cells: Mapping[str, object]) -> str:
    """The sex from the 性别 cell, else from the ID's 17th digit: enough to tell 孙 from 孙女."""
    try:
        sex = sex_code(cells.get("性别"))
    except ValidationError:
        sex = ""
    digits = compact(cells.get("证件号码"))
    if not sex and len(digits) in (15, 18) and digits[:15].isdigit():
        sex = "1" if int(digits[14 if len(digits) == 15 else 16]) % 2 else "2"
    return sex


def _relation(row: ImportRow, cells: Mapping[str, object]) -> None:
    """The relation to the head; one the lists do not know is kept as 其他 with a note."""
    text = _opt(cells, "与户主关系")
    if not text:
        return
    try:
        row.relation = relation_name(text, _sex_hint(cells))
    except ValidationError as exc:
        row.relation = "其他"
        row.warnings.append(f"{exc.message}，按“其他”导入，请在档案中核实")


def read_row(row_number: int, cells: Mapping[str, object], *, today: dt.date | None = None) -> ImportRow:
    """Normalise one row; the first broken value is kept as `error` (the row is then bad)."""
    row = ImportRow(row_number=row_number, name=_shown(clean_name(_bounded(cells.get("姓名")))))
    raw_id = cells.get("证件号码")
    row.raw_id = _shown(compact(_bounded(raw_id)) if not isinstance(raw_id, float) else f"{raw_id:.15g}")
    huge = next((k for k, v in cells.items() if isinstance(v, str) and len(v) > CELL_MAX), None)
    if huge is not None:
        row.error = f"{huge}太长：最多 {CELL_MAX} 个字，现在有 {len(str(cells[huge]))} 个字"
        return row
    _relation(row, cells)
    row.is_head = row.relation == "户主"
    try:
        row.household_no = text_cell(cells.get("户编号"), "户编号")
        row.village_text = _village_text(cells.get("所在村"))
        _fill(row, cells, today=today)
    except ValidationError as exc:
        row.error = exc.message
    return row


CELL_MAX = 4 * LINE_MAX    # no roster column holds more; longer cells are refused before tidying


def _bounded(value: object) -> object:
    """A cell cut to a length that is cheap to tidy and to show; the full cell is still checked."""
    return value[:4 * NOTE_MAX] if isinstance(value, str) else value


def _shown(text: str) -> str:
    """Text short enough for a line of the import report."""
    return text if len(text) <= LINE_MAX else text[:NAME_MAX] + "…"


# The row's text fields and the limit each is held to (the person's own are checked again on saving).
_ROW_TEXTS: tuple[tuple[str, str, str], ...] = (
    ("household_no", "户编号", "short"), ("village_text", "所在村", "short"),
    ("group_name", "村民小组", "short"), ("address", "家庭住址", "line"), ("person_no", "人编号", "short"),
    ("phone", "联系电话", "short"), ("helper_name", "帮扶责任人", "name"), ("helper_unit", "帮扶单位", "line"),
    ("helper_phone", "帮扶责任人电话", "short"), ("labour_skill", "劳动技能", "short"),
    ("health_state", "健康状况", "short"),
)


def _check_lengths(row: ImportRow, cells: Mapping[str, object]) -> None:
    check_name(cells.get("姓名"), "姓名", field="name")
    for name, what, kind in _ROW_TEXTS:
        value = getattr(row, name)
        if value:
            setattr(row, name, check_text(value, what, kind, field=name))


def _village_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return compact(value)


def _fill(row: ImportRow, cells: Mapping[str, object], *, today: dt.date | None) -> None:
    if not row.name:
        raise ValidationError("姓名为空")
    person_no = text_cell(cells.get("人编号"), "人编号")
    row.person_no = person_no or None
    if compact(cells.get("证件号码")) or isinstance(cells.get("证件号码"), int | float):
        row.id_no, notes = normalize_id(cells.get("证件号码"), today=today)
        row.warnings.extend(notes)
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
    row.conditions, notes = parse_conditions(cells.get("患病情况"))
    row.warnings.extend(notes)
    _check_lengths(row, cells)


_VILLAGE_SUFFIXES = ("村民委员会", "社区居民委员会", "社区居委会", "村委会", "居委会", "社区", "村委",
                    "村")


def village_key(name: str) -> str:
    """A village name without its suffix: 红旗村, 红旗村委会 and 红旗 are the same village."""
    key = compact(name)
    for suffix in _VILLAGE_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key.removesuffix(suffix)
    return key


def resolve_village(text: str, villages: Sequence[tuple[str, str]], default: str) -> str:
    """A village code from a 12-digit code or a name in the file (the clinic's own when empty).

    Names match whatever their suffix (红旗 / 红旗村 / 红旗村委会) and with a township before them
    (城关镇红旗村), as long as only one of the clinic's villages fits.
    """
    key = compact(text)
    if not key:
        if not default:
            raise ValidationError("未填写所在村", field="village")
        return default
    for code, _ in villages:
        if key == code:
            return code
    short = village_key(key)
    found = [code for code, name in villages if village_key(name) == short]
    if not found and len(short) >= 2:
        found = [code for code, name in villages
                 if len(village_key(name)) >= 2 and (short.endswith(village_key(name))
                                                      or village_key(name).endswith(short))]
    if len(found) == 1:
        return found[0]
    known = "、".join(f"{name}（{code}）" for code, name in villages) or "（无）"
    raise ValidationError(f"所在村“{text}”不是本卫生室登记的村，登记的村有：{known}", field="village")


# --- households in the file ------------------------------------------------------------------


@dataclass
class HouseholdGroup:
    """The rows of one household in the file, the head's row (if any) first."""

    village_code: str
    household_no: str
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def head(self) -> ImportRow | None:
        heads = [r for r in self.rows if r.is_head]
        return next((r for r in heads if not r.error), heads[0] if heads else None)

    def value(self, attr: str) -> object:
        """A household value: the head's when given, else the first row's that gives it."""
        good = [r for r in self.rows if not r.error]
        return next((getattr(r, attr) for r in good if getattr(r, attr) not in (None, "")), None)


@dataclass
class Prepared:
    """The file's rows grouped into households, with the rows that cannot be imported.

    Every data row is accounted for once: in a group, in `problems` or in `skipped`.
    """

    groups: list[HouseholdGroup]
    problems: list[RowProblem]
    warnings: list[RowProblem]
    rows_read: int
    skipped: list[RowProblem] = field(default_factory=list)


RawRow = tuple[int, Mapping[str, object]] | tuple[int, Mapping[str, object], Sequence[object]]


def _filled(cells: Mapping[str, object]) -> list[str]:
    return [f for f, v in cells.items() if v is not None and compact(v)]


def _sort_rows(raw_rows: Iterable[RawRow], problems: list[RowProblem],
               skipped: list[RowProblem]) -> tuple[list[tuple[int, Mapping[str, object]]], int]:
    """The rows that name a person, and how many data rows (not wholly empty) there were."""
    people: list[tuple[int, Mapping[str, object]]] = []
    count = 0
    for raw in raw_rows:
        number, cells = raw[0], raw[1]
        values: Sequence[object] = raw[2] if len(raw) > 2 else list(cells.values())
        if skip_reason(values) == "空行":
            continue
        count += 1
        no_id = not compact(cells.get("证件号码")) and not compact(cells.get("人编号"))
        if is_blank(cells) or (no_id and is_summary_row(values)):
            reason = skip_reason(values)
            if reason is not None:
                skipped.append(RowProblem(number, reason))
            else:
                present = "、".join(_filled(cells)) or "序号等未导入的列"
                problems.append(RowProblem(number, f"姓名和证件号码都为空（本行只填了{present}），未导入"))
            continue
        people.append((number, cells))
    return people, count


def prepare(
    raw_rows: Iterable[RawRow],
    *,
    villages: Sequence[tuple[str, str]],
    default_village: str,
    today: dt.date | None = None,
) -> Prepared:
    """Read, check and group the rows of a file (row number, field -> cell, and the whole row)."""
    problems: list[RowProblem] = []
    skipped: list[RowProblem] = []
    people, count = _sort_rows(raw_rows, problems, skipped)
    rows = [read_row(n, cells, today=today) for n, cells in people]
    warnings: list[RowProblem] = []
    for row in rows:
        try:
            row.village_code = resolve_village(row.village_text, villages, default_village)
        except ValidationError as exc:
            row.error = row.error or exc.message
    _mark_duplicates(rows)
    groups = _group(rows, problems)
    for group in groups:
        heads = [r for r in group.rows if r.is_head and not r.error]
        for extra in heads[1:]:
            extra.is_head, extra.relation = False, "其他"
            extra.warnings.append(f"户编号 {group.household_no} 已有户主（第{heads[0].row_number}行），"
                                  "本行按“其他”导入，请在档案中核实与户主关系")
    for row in rows:
        if row.error:
            problems.append(row.problem())
        else:
            warnings.extend(row.problem(w) for w in row.warnings)
    problems.sort(key=lambda p: p.row_number)
    skipped.sort(key=lambda p: p.row_number)
    return Prepared(groups=groups, problems=problems, warnings=warnings, rows_read=count,
                    skipped=skipped)


def _age(row: ImportRow, today: dt.date) -> int | None:
    born = row.birth_date
    digits = row.id_no
    if born is None and len(digits) == 18:
        try:
            born = dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
        except ValueError:
            born = None
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def acting_head(rows: Sequence[ImportRow], today: dt.date) -> ImportRow:
    """Who stands for a household that has no (good) head row: its first adult in the list.

    The first adult is who the county would ask for; the relations in the file stay as they are
    (they are to the missing head), and the doctor names the real head in 家庭档案.
    """
    adults = [r for r in rows if (_age(r, today) or 0) >= 18]
    return adults[0] if adults else rows[0]


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
