"""Exporting the household list in the county's roster layout (one row per living resident).

The file reads back through `app.storage.importer` unchanged: IDs and codes are written as text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.core.households import POVERTY_STATUSES
from app.core.identity import SEX_NAMES
from app.core.importing import FIELDS
from app.storage.households import HouseholdFilter
from app.storage.workspace import Workspace
from app.storage.xlsx import write_table

INSURED = "城乡居民基本医疗保险"
UNINSURED = "未参保"
TEXT_COLUMNS = ("户编号", "证件号码", "人编号", "联系电话", "帮扶责任人电话")

EXPORT_HEADERS: tuple[str, ...] = ("序号", *FIELDS)


def export_workbook(ws: Workspace, path: Path | str, *, poor_only: bool = False) -> int:
    """Write the household list in the county's layout (one row per resident); return rows written."""
    names = dict(ws.settings.villages())
    rows: list[list[object]] = []
    for hid in ws.households.ids(HouseholdFilter(poor_only=poor_only)):
        h = ws.households.get(hid)
        helper = ws.households.current_help_person(hid)
        for m in ws.households.members(hid):
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
                "患病情况": "、".join(d.condition for d in ws.people.diagnoses(str(m.id))),
                "是否参加城乡居民基本医疗保险": _insured_text(m.insurance_type),
            }
            rows.append([len(rows) + 1, *(values[f] for f in FIELDS)])
    title = f"{ws.settings.get('division_name') or ws.settings.get('clinic_name')}贫困户花名册（{dt.date.today():%Y年%m月%d日}导出）"
    write_table(path, headers=EXPORT_HEADERS, rows=rows, title=title, text_columns=TEXT_COLUMNS,
                widths={"证件号码": 22, "户编号": 20, "人编号": 20, "姓名": 10}, sheet_title="花名册")
    with ws.transaction():
        ws.audit("export_xlsx", detail=f"{Path(path).name}：{len(rows)} 行")
    return len(rows)


def _insured_text(insurance_type: str) -> str:
    if not insurance_type:
        return ""
    return "是" if insurance_type == INSURED else "否"
