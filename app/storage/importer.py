"""Importing the county's poor-household list into a Workspace, and exporting it back.

Each household is written in its own savepoint and each person row in a nested one, so a bad
row never half-writes; savepoints are committed in chunks for speed. People are matched by ID
number (then 人编号) and households by (village, 户编号) or their head's ID, so importing the
same file again changes nothing and an updated list updates records in place.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from app.core.errors import CunyiError, ImportFileError
from app.core.households import POVERTY_STATUSES, HelpPerson, Household
from app.core.identity import SEX_NAMES
from app.core.ids import RecordId
from app.core.importing import (
    FIELDS,
    REQUIRED_FIELDS,
    HouseholdGroup,
    ImportRow,
    RowProblem,
    match_header,
    missing_required,
    prepare,
    resolve_mapping,
)
from app.core.people import Person, check_person
from app.storage.changes import Changes
from app.storage.households import HouseholdFilter
from app.storage.rows import person_from_row, to_values
from app.storage.workspace import Workspace
from app.storage.xlsx import Sheet, read_table, write_table

CHUNK_ROWS = 200
SAMPLE_ROWS = 5
INSURED = "城乡居民基本医疗保险"
UNINSURED = "未参保"
TEXT_COLUMNS = ("户编号", "证件号码", "人编号", "联系电话", "帮扶责任人电话")
Progress = Callable[[int, int], None]


def _is_header(value: object) -> bool:
    return match_header(value) is not None


@dataclass
class ImportPreview:
    """What the file looks like before importing: headers, the guessed mapping, a few rows."""

    path: Path
    sheet_title: str
    header_row: int
    headers: list[str]
    mapping: dict[str, str]
    missing: list[str]
    sample: list[dict[str, str]]
    row_count: int

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def unused_headers(self) -> list[str]:
        used = set(self.mapping.values())
        return [h for h in self.headers if h and h not in used]


@dataclass
class ImportReport:
    """The outcome of an import: counts, the rows not imported and notes about imported ones."""

    rows_read: int = 0
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def rows_imported(self) -> int:
        return self.people_created + self.people_updated + self.people_unchanged

    def summary(self) -> str:
        """One line in Chinese for the status bar and the CLI."""
        text = (
            f"读取 {self.rows_read} 行：新建 {self.households_created} 户、更新 {self.households_updated} 户；"
            f"新建居民 {self.people_created} 人、更新 {self.people_updated} 人、"
            f"无变化 {self.people_unchanged} 人"
        )
        if self.problems:
            text += f"；{len(self.problems)} 行有问题未导入"
        if self.warnings:
            text += f"；{len(self.warnings)} 条提示"
        return text + "。"

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["summary"] = self.summary()
        return data

    def write_xlsx(self, path: Path | str) -> None:
        """The downloadable report: the rows not imported, and a second sheet of notes."""
        headers = ["行号", "姓名", "证件号码", "问题"]
        write_table(
            path, headers=headers, sheet_title="未导入的行",
            rows=[[p.row_number, p.name, p.id_no, p.reason] for p in self.problems],
            title=self.summary(), text_columns=("证件号码",), widths={"问题": 70, "证件号码": 22},
            extra_sheets=[("提示", ["行号", "姓名", "证件号码", "提示"],
                           [[w.row_number, w.name, w.id_no, w.reason] for w in self.warnings])],
        )


def _mapping_names(sheet: Sheet, columns: dict[str, int]) -> dict[str, str]:
    return {f: sheet.headers[i] for f, i in sorted(columns.items(), key=lambda kv: kv[1])}


def preview(path: Path | str, *, mapping: dict[str, str] | None = None) -> ImportPreview:
    """Read a workbook's header and first rows, and guess which column holds which field."""
    sheet = read_table(path, _is_header)
    columns = resolve_mapping(sheet.headers, mapping)
    rows = [cells for _, cells in sheet.rows if any(v not in (None, "") for v in cells)]
    sample = [
        {f: "" if row[i] is None else str(row[i]) for f, i in columns.items()}
        for row in rows[:SAMPLE_ROWS]
    ]
    return ImportPreview(
        path=Path(path), sheet_title=sheet.title, header_row=sheet.header_row,
        headers=sheet.headers, mapping=_mapping_names(sheet, columns),
        missing=missing_required(columns), sample=sample, row_count=len(rows),
    )


def _default_village(ws: Workspace) -> str:
    villages = ws.villages()
    own = ws.division_code
    if any(code == own for code, _ in villages):
        return own
    return villages[0][0] if len(villages) == 1 else ""


def import_workbook(
    ws: Workspace,
    path: Path | str,
    *,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Import every good row of the list; bad rows are reported, never half-written."""
    today = today or dt.date.today()
    sheet = read_table(path, _is_header)
    columns = resolve_mapping(sheet.headers, mapping)
    missing = missing_required(columns)
    if missing:
        raise ImportFileError(
            f"表格缺少必需的列：{'、'.join(missing)}。请在“列对应”中指定哪一列是它们"
            f"（命令行：--map {missing[0]}=表头名）"
        )
    raw = ((n, {f: cells[i] for f, i in columns.items()}) for n, cells in sheet.rows)
    prepared = prepare(raw, villages=ws.villages(), default_village=_default_village(ws), today=today)
    report = ImportReport(
        rows_read=prepared.rows_read, problems=list(prepared.problems),
        warnings=list(prepared.warnings), mapping=_mapping_names(sheet, columns),
    )
    total, done = prepared.rows_read, 0
    if progress:
        progress(0, total)
    chunk: list[HouseholdGroup] = []
    for group in [*prepared.groups, None]:
        if group is not None:
            chunk.append(group)
        if chunk and (group is None or sum(len(g.rows) for g in chunk) >= CHUNK_ROWS):
            with ws.transaction():
                for g in chunk:
                    _import_group(ws, g, report, today)
            done += sum(len(g.rows) for g in chunk)
            chunk = []
            if progress:
                progress(min(done, total), total)
    report.problems.sort(key=lambda p: p.row_number)
    report.warnings.sort(key=lambda p: p.row_number)
    with ws.transaction():
        ws.audit("import_xlsx", detail=f"{Path(path).name}：{report.summary()}")
    if progress:
        progress(total, total)
    return report


# --- one household ---------------------------------------------------------------------------

_WriteErrors = (CunyiError, sqlite3.IntegrityError)


def _reject(report: ImportReport, rows: Sequence[ImportRow], reason: str) -> None:
    report.problems.extend(r.problem(reason) for r in rows)


def _import_group(ws: Workspace, group: HouseholdGroup, report: ImportReport, today: dt.date) -> None:
    good = [r for r in group.rows if not r.error]
    if not good:
        return
    head = group.head
    label = f"户编号 {group.household_no} " if group.household_no else ""
    hid = _find_household(ws, group, head if head and not head.error else None)
    if hid is None and head is None:
        _reject(report, good, f"本户（{label}）没有户主行，系统中也没有这一户，无法建户：请补上户主行")
        return
    if hid is None and head is not None and head.error:
        _reject(report, good, f"本户户主行（第{head.row_number}行）有问题未导入，本户其他成员也暂未导入")
        return
    rest = good
    try:
        with ws.transaction():
            if hid is None:
                assert head is not None
                hid = _create_household(ws, group, head, report, today)
                rest = [r for r in good if r is not head]
            else:
                _update_household(ws, hid, group, report, today)
    except _WriteErrors as exc:
        if hid is None and head is not None:
            report.problems.append(head.problem(_message(exc)))
            others = [r for r in good if r is not head]
            _reject(report, others, f"户主行（第{head.row_number}行）未能导入，本户暂未建档：{_message(exc)}")
        else:
            _reject(report, good, _message(exc))
        return
    for row in rest:
        try:
            with ws.transaction():
                _import_person(ws, hid, group, row, report, today)
        except _WriteErrors as exc:
            report.problems.append(row.problem(_message(exc)))
    if ws.household(hid).head_id is None:
        report.warnings.append(good[0].problem(f"本户{label}没有户主，请在家庭档案中指定户主"))


def _message(exc: BaseException) -> str:
    if isinstance(exc, CunyiError):
        return exc.message
    return f"数据库拒绝写入：{exc}"


def _find_person(ws: Workspace, row: ImportRow) -> Person | None:
    found = None
    if row.id_no:
        found = ws.conn.execute(
            "SELECT * FROM people WHERE id_type = 'resident' AND id_no = ? AND id_no != ''"
            " AND deleted = 0",
            (row.id_no,),
        ).fetchone()
    if found is None and row.person_no:
        found = ws.conn.execute(
            "SELECT * FROM people WHERE person_no = ? AND person_no != '' AND deleted = 0"
            " ORDER BY id LIMIT 1",
            (row.person_no,),
        ).fetchone()
    return person_from_row(found) if found else None


def _find_household(ws: Workspace, group: HouseholdGroup, head: ImportRow | None) -> str | None:
    if group.household_no:
        found = ws.conn.execute(
            "SELECT id FROM households WHERE village_code = ? AND household_no = ?"
            " AND household_no != '' AND deleted = 0",
            (group.village_code, group.household_no),
        ).fetchone()
        if found:
            return str(found[0])
    if head is not None:
        person = _find_person(ws, head)
        if person is not None and person.household_id:
            return str(person.household_id)
    return None


def _create_household(ws: Workspace, group: HouseholdGroup, head: ImportRow,
                      report: ImportReport, today: dt.date) -> str:
    """A new household with its head, in one savepoint: neither exists without the other."""
    h = Household(id=None, village_code=group.village_code, household_no=group.household_no)
    _apply_household(h, group)
    hid, _ = ws.add_household(h, since=today)
    _import_person(ws, hid, group, head, report, today)
    _apply_helper(ws, hid, group, today)
    report.households_created += 1
    return hid


def _update_household(ws: Workspace, hid: str, group: HouseholdGroup,
                      report: ImportReport, today: dt.date) -> None:
    h = ws.household(hid)
    if group.household_no:
        h.household_no = group.household_no
    if any(r.village_text for r in group.rows if not r.error):
        h.village_code = group.village_code
    before = to_values(h)
    _apply_household(h, group)
    # Only a real difference goes through the write path: an unchanged list costs no queries.
    changed = to_values(h) != before and bool(ws.update_household(h))
    changed = _apply_helper(ws, hid, group, today) or changed
    if changed:
        report.households_updated += 1
    else:
        report.households_unchanged += 1


def _apply_household(h: Household, group: HouseholdGroup) -> None:
    for attr, target in (("group_name", "group_name"), ("address", "address"),
                         ("poverty_status", "poverty_status"), ("causes", "poverty_causes"),
                         ("exit_year", "exit_year")):
        value = group.value(attr)
        if value is not None:
            setattr(h, target, value)
    head = group.head
    if head is not None and not head.error and head.phone:
        h.phone = head.phone


def _apply_helper(ws: Workspace, hid: str, group: HouseholdGroup, today: dt.date) -> bool:
    name = group.value("helper_name")
    if not isinstance(name, str) or not name:
        return False
    current = ws.current_help_person(hid)
    same = current is not None and current.name == name
    unit = group.value("helper_unit") or (current.unit if same and current else "")
    phone = group.value("helper_phone") or (current.phone if same and current else "")
    if current is not None and (current.name, current.unit, current.phone) == (name, unit, phone):
        return False
    return bool(ws.set_help_person(hid, HelpPerson(name=name, unit=str(unit), phone=str(phone),
                                                   since=today)))


def _import_person(ws: Workspace, hid: str, group: HouseholdGroup, row: ImportRow,
                   report: ImportReport, today: dt.date) -> None:
    existing = _find_person(ws, row)
    if existing is None:
        p = Person(id=None, household_id=RecordId(hid), name=row.name, relation=row.relation or "其他")
        _apply_person(p, row)
        _, changes = ws.add_person(p, today=today)
        report.people_created += 1
    else:
        moved = False
        if existing.household_id != hid:
            if not group.household_no:
                report.warnings.append(row.problem(
                    "此人在系统中属于另一户，本行没有户编号，未改动其所属家庭，只更新了个人信息"
                ))
                hid = str(existing.household_id)
            else:
                ws.move_person(str(existing.id), hid, row.relation or existing.relation)
                existing = ws.person(str(existing.id))
                moved = True
        p = replace(existing, assistance=list(existing.assistance),
                    disabilities=list(existing.disabilities))
        if row.id_no and row.id_no != existing.id_no:
            # A corrected ID: sex and birth date follow the new number unless the file gives them.
            p.sex, p.birth_date = "", None
        _apply_person(p, row)
        check = check_person(replace(p, assistance=list(p.assistance),
                                     disabilities=list(p.disabilities)), today=today)
        if to_values(check.person) == to_values(existing):
            changes = Changes(warnings=list(check.warnings))
        else:
            changes = ws.update_person(p, today=today)
        if changes or moved:
            report.people_updated += 1
        else:
            report.people_unchanged += 1
    report.warnings.extend(row.problem(w) for w in changes.warnings)


def _apply_person(p: Person, row: ImportRow) -> None:
    p.name = row.name
    if row.id_no:
        p.id_type, p.id_no = "resident", row.id_no
    for attr in ("sex", "birth_date", "relation", "ethnicity", "education", "person_no", "phone",
                 "health_state", "labour_skill"):
        value = getattr(row, attr)
        if value is not None:
            setattr(p, attr, value)
    if row.insured is True:
        p.insurance_type = INSURED
    elif row.insured is False and p.insurance_type in ("", INSURED):
        p.insurance_type = UNINSURED


# --- export ----------------------------------------------------------------------------------

EXPORT_HEADERS: tuple[str, ...] = ("序号", *FIELDS)


def export_workbook(ws: Workspace, path: Path | str, *, poor_only: bool = False) -> int:
    """Write the household list in the county's layout (one row per resident); return rows written."""
    names = dict(ws.villages())
    rows: list[list[object]] = []
    for hid in ws.household_ids(HouseholdFilter(poor_only=poor_only)):
        h = ws.household(hid)
        helper = ws.current_help_person(hid)
        for m in ws.members(hid):
            if m.living_status != "在册":
                continue
            values: dict[str, object] = {
                "所在村": names.get(h.village_code, h.village_code), "村民小组": h.group_name,
                "户编号": h.household_no, "姓名": m.name, "与户主关系": m.relation,
                "证件号码": m.id_no, "性别": SEX_NAMES.get(m.sex, "") if m.sex else "",
                "出生日期": m.birth_date.isoformat() if m.birth_date else "",
                "民族": m.ethnicity, "文化程度": m.education, "人编号": m.person_no,
                "联系电话": m.phone, "家庭住址": h.address,
                "贫困户属性": POVERTY_STATUSES.get(h.poverty_status, ""),
                "主要致贫原因": "、".join(h.poverty_causes),
                "脱贫年度": h.exit_year or "",
                "帮扶责任人": helper.name if helper else "",
                "帮扶单位": helper.unit if helper else "",
                "帮扶责任人电话": helper.phone if helper else "",
                "健康状况": m.health_state, "劳动技能": m.labour_skill,
                "是否参加城乡居民基本医疗保险": _insured_text(m.insurance_type),
            }
            rows.append([len(rows) + 1, *(values[f] for f in FIELDS)])
    title = f"{ws.setting('division_name') or ws.setting('clinic_name')}贫困户花名册（{dt.date.today():%Y年%m月%d日}导出）"
    write_table(path, headers=EXPORT_HEADERS, rows=rows, title=title, text_columns=TEXT_COLUMNS,
                widths={"证件号码": 22, "户编号": 20, "人编号": 20, "姓名": 10}, sheet_title="花名册")
    with ws.transaction():
        ws.audit("export_xlsx", detail=f"{Path(path).name}：{len(rows)} 行")
    return len(rows)


def _insured_text(insurance_type: str) -> str:
    if not insurance_type:
        return ""
    return "是" if insurance_type == INSURED else "否"


__all__ = [
    "REQUIRED_FIELDS", "ImportPreview", "ImportReport", "RowProblem", "export_workbook",
    "import_workbook", "preview",
]
