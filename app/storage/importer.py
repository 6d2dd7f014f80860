"""Importing the county's poor-household list into a Workspace, and exporting it back.

Each household is written in its own savepoint and each person row in a nested one, so a bad
row never half-writes; savepoints are committed in chunks for speed. People are matched by ID
number (then 人编号) and households by (village, 户编号) or their head's ID, so importing the
same file again changes nothing and an updated list updates records in place.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from app.core.errors import CunyiError, ImportFileError
from app.core.households import HelpPerson, Household
from app.core.ids import RecordId
from app.core.importing import (
    REQUIRED_FIELDS,
    Ambiguity,
    HouseholdGroup,
    ImportRow,
    RowProblem,
    acting_head,
    ambiguities,
    match_header,
    missing_required,
    prepare,
    resolve_mapping,
)
from app.core.people import Diagnosis, Person, check_person
from app.storage.changes import Changes
from app.storage.engine import sqlite3
from app.storage.exporter import INSURED, UNINSURED, export_workbook
from app.storage.rows import person_from_row, to_values
from app.storage.workspace import Workspace
from app.storage.xlsx import Sheet, read_table, write_table

CHUNK_ROWS = 200
SAMPLE_ROWS = 5
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
    ambiguous: list[Ambiguity] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def unused_headers(self) -> list[str]:
        used = set(self.mapping.values())
        return [h for h in self.headers if h and h not in used]


@dataclass
class ImportReport:
    """The outcome of an import: counts, the rows not imported and notes about imported ones.

    Every data row of the sheet is imported, in `problems` or in `skipped`, exactly once.
    """

    rows_read: int = 0
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    diagnoses_added: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    ambiguous: list[str] = field(default_factory=list)

    @property
    def rows_imported(self) -> int:
        return self.people_created + self.people_updated + self.people_unchanged

    def summary(self) -> str:
        """One line in Chinese for the status bar and the CLI."""
        text = (
            f"读取 {self.rows_read} 行：导入 {self.rows_imported} 行、有问题 {len(self.problems)} 行、"
            f"跳过 {len(self.skipped)} 行；新建 {self.households_created} 户、"
            f"更新 {self.households_updated} 户；新建居民 {self.people_created} 人、"
            f"更新 {self.people_updated} 人、无变化 {self.people_unchanged} 人"
        )
        if self.diagnoses_added:
            text += f"；记入诊断 {self.diagnoses_added} 条"
        if self.warnings:
            text += f"；{len(self.warnings)} 条提示"
        return text + "。"

    def nothing_imported(self) -> str:
        """Why no row was imported, in one line ("" when some were)."""
        if self.rows_imported:
            return ""
        if not self.problems:
            return "没有导入任何人：表格中没有可导入的行"
        reason, count = Counter(p.reason for p in self.problems).most_common(1)[0]
        return f"没有导入任何人：{len(self.problems)} 行有问题，其中 {count} 行是因为：{reason}"

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
                           [[w.row_number, w.name, w.id_no, w.reason] for w in self.warnings]),
                          ("跳过的行", ["行号", "姓名", "证件号码", "原因"],
                           [[k.row_number, k.name, k.id_no, k.reason] for k in self.skipped])],
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
        ambiguous=ambiguities(sheet.headers, columns, mapping),
    )


def _default_village(ws: Workspace) -> str:
    villages = ws.settings.villages()
    own = ws.settings.division_code
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
    raw = ((n, {f: cells[i] for f, i in columns.items()}, cells) for n, cells in sheet.rows)
    prepared = prepare(raw, villages=ws.settings.villages(), default_village=_default_village(ws),
                       today=today)
    report = ImportReport(
        rows_read=prepared.rows_read, problems=list(prepared.problems),
        warnings=list(prepared.warnings), skipped=list(prepared.skipped),
        mapping=_mapping_names(sheet, columns),
        ambiguous=[a.note() for a in ambiguities(sheet.headers, columns, mapping)],
    )
    total, done = sum(len(g.rows) for g in prepared.groups), 0
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
    head = group.head if group.head is not None and not group.head.error else None
    hid = _find_household(ws, group, head)
    rest = good
    if hid is None:
        hid, rest = _create_with_lead(ws, group, good, head, report, today)
        if hid is None:
            return
    else:
        try:
            with ws.transaction():
                _update_household(ws, hid, group, report, today)
        except _WriteErrors as exc:
            _reject(report, good, _message(exc))
            return
    for row in rest:
        try:
            with ws.transaction():
                _import_person(ws, hid, group, row, report, today)
        except _WriteErrors as exc:
            report.problems.append(row.problem(_message(exc)))


def _create_with_lead(ws: Workspace, group: HouseholdGroup, good: list[ImportRow],
                      head: ImportRow | None, report: ImportReport,
                      today: dt.date) -> tuple[str | None, list[ImportRow]]:
    """Create a new household with its head, or, when the file has no good head row, with its
    first adult standing in (户主待定); a lead whose row fails is listed and the next one tried."""
    candidates = [head] if head is not None else []
    while len(candidates) < len(good):
        left = [r for r in good if r not in candidates]
        candidates.append(acting_head(left, today))
    for lead in candidates:
        try:
            with ws.transaction():
                hid = _create_household(ws, group, lead, report, today)
        except _WriteErrors as exc:
            report.problems.append(lead.problem(_message(exc)))
            continue
        if lead is not head:
            report.warnings.append(lead.problem(_pending_head(group, lead)))
        tried = candidates[:candidates.index(lead) + 1]
        return hid, [r for r in good if r not in tried]
    return None, []


def _pending_head(group: HouseholdGroup, lead: ImportRow) -> str:
    label = f"户编号 {group.household_no} " if group.household_no else ""
    bad = group.head
    why = (f"本户户主行（第{bad.row_number}行）有问题未导入" if bad is not None
           else "本户没有户主行（户主可能已去世或迁出）")
    return (f"户主待定：{label}{why}，已建户并暂以本行 {lead.name}（{lead.relation or '其他'}）"
            "作为本户联系人，请在家庭档案中指定户主")


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
    hid, _ = ws.households.add(h, since=today)
    _import_person(ws, hid, group, head, report, today)
    _apply_helper(ws, hid, group, today)
    report.households_created += 1
    return hid


def _update_household(ws: Workspace, hid: str, group: HouseholdGroup,
                      report: ImportReport, today: dt.date) -> None:
    h = ws.households.get(hid)
    if group.household_no:
        h.household_no = group.household_no
    if any(r.village_text for r in group.rows if not r.error):
        h.village_code = group.village_code
    before = to_values(h)
    _apply_household(h, group)
    # Only a real difference goes through the write path: an unchanged list costs no queries.
    changed = to_values(h) != before and bool(ws.households.update(h))
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
    current = ws.households.current_help_person(hid)
    same = current is not None and current.name == name
    unit = group.value("helper_unit") or (current.unit if same and current else "")
    phone = group.value("helper_phone") or (current.phone if same and current else "")
    if current is not None and (current.name, current.unit, current.phone) == (name, unit, phone):
        return False
    return bool(ws.households.set_help_person(hid, HelpPerson(name=name, unit=str(unit), phone=str(phone),
                                                   since=today)))


def _import_person(ws: Workspace, hid: str, group: HouseholdGroup, row: ImportRow,
                   report: ImportReport, today: dt.date) -> None:
    existing = _find_person(ws, row)
    if existing is None:
        p = Person(id=None, household_id=RecordId(hid), name=row.name, relation=row.relation or "其他")
        _apply_person(p, row)
        pid, changes = ws.people.add(p, today=today)
        _add_diagnoses(ws, pid, row, report)
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
                ws.people.move(str(existing.id), hid, row.relation or existing.relation)
                existing = ws.people.get(str(existing.id))
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
            changes = ws.people.update(p, today=today)
        added = _add_diagnoses(ws, str(existing.id), row, report)
        if changes or moved or added:
            report.people_updated += 1
        else:
            report.people_unchanged += 1
    report.warnings.extend(row.problem(w) for w in changes.warnings)


def _add_diagnoses(ws: Workspace, person_id: str, row: ImportRow, report: ImportReport) -> int:
    """The conditions the roster names that the person's file lacks; none is ever removed."""
    if not row.conditions:
        return 0
    have = {d.condition for d in ws.people.diagnoses(person_id)}
    added = 0
    for condition in row.conditions:
        if condition not in have:
            ws.people.add_diagnosis(Diagnosis(id=None, person_id=RecordId(person_id), condition=condition,
                                       note="花名册导入"))
            added += 1
    report.diagnoses_added += added
    return added


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


__all__ = [
    "REQUIRED_FIELDS", "ImportPreview", "ImportReport", "RowProblem", "export_workbook",
    "import_workbook", "preview",
]
