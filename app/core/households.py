"""Households (户): poverty status and its history, causes of poverty, help persons, living conditions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.core.errors import ValidationError
from app.core.ids import RecordId
from app.core.limits import check_name, check_text
from app.core.text import clean, compact

# Poverty status codes and their names. Stored as codes; shown and printed by name.
POVERTY_STATUSES: dict[str, str] = {
    "poor": "建档立卡贫困户",
    "exited": "脱贫户",
    "monitored": "防返贫监测户",
    "dibao": "低保户",
    "tekun": "特困供养户",
    "general": "一般户",
}
# Statuses whose members are "poor population" for policy (fees waived, uplifts, indicators).
POOR_STATUSES = frozenset({"poor", "exited", "monitored", "dibao", "tekun"})

# Synonyms met in county spreadsheets and in speech, mapped to a status code.
POVERTY_STATUS_SYNONYMS: dict[str, str] = {
    "建档立卡贫困户": "poor", "贫困户": "poor", "一般贫困户": "poor", "建档立卡户": "poor",
    "未脱贫户": "poor", "未脱贫": "poor", "返贫户": "poor", "调查确定贫困户": "poor",
    "脱贫户": "exited", "已脱贫": "exited", "已脱贫户": "exited", "巩固户": "exited",
    "巩固提升脱贫户": "exited", "脱贫不稳定户": "monitored",
    "监测户": "monitored", "防返贫监测户": "monitored", "监测对象": "monitored",
    "边缘户": "monitored", "边缘易致贫户": "monitored", "突发严重困难户": "monitored",
    "低保户": "dibao", "低保贫困户": "dibao", "扶贫低保户": "dibao", "纯低保户": "dibao",
    "特困供养户": "tekun", "特困户": "tekun", "五保户": "tekun", "特困供养贫困户": "tekun",
    "分散供养特困人员": "tekun", "集中供养特困人员": "tekun",
    "一般户": "general", "一般农户": "general", "非贫困户": "general",
}

POVERTY_CAUSES: tuple[str, ...] = (
    "因病", "因残", "因学", "因灾", "缺劳力", "缺技术", "缺资金", "缺土地", "缺水",
    "交通落后", "自身发展动力不足", "其他",
)
_CAUSE_SYNONYMS: dict[str, str] = {
    "缺劳动力": "缺劳力", "缺乏劳动力": "缺劳力", "缺少劳动力": "缺劳力",
    "缺乏技术": "缺技术", "缺发展资金": "缺资金", "缺乏资金": "缺资金", "缺乏土地": "缺土地",
    "交通条件落后": "交通落后", "自身动力不足": "自身发展动力不足", "动力不足": "自身发展动力不足",
    "因智": "因残", "生病": "因病", "残疾": "因残", "上学": "因学", "灾害": "因灾",
}

WATER_SOURCES = ("自来水", "经净化过滤的水", "井水", "河湖水", "塘水", "其他")
TOILETS = ("卫生厕所", "一格或二格粪池式", "马桶", "露天粪坑", "简易棚厕")
FUELS = ("液化气", "煤", "天然气", "沼气", "柴火", "其他")
KITCHEN_EXHAUST = ("无", "油烟机", "换气扇", "烟囱")
LIVESTOCK_PENS = ("无", "单设", "室内", "室外")
HOUSING = ("安全住房", "C级危房", "D级危房", "无房")


def poverty_status_code(raw: object) -> str:
    """A status code from a code, a name or a spreadsheet synonym; ValidationError otherwise."""
    text = compact(raw)
    if text in POVERTY_STATUSES:
        return text
    if text in POVERTY_STATUS_SYNONYMS:
        return POVERTY_STATUS_SYNONYMS[text]
    for name, code in POVERTY_STATUS_SYNONYMS.items():
        if name in text:
            return code
    raise ValidationError(f"不认识的贫困户属性“{clean(raw)}”", field="poverty_status")


def parse_causes(raw: object) -> list[str]:
    """Causes of poverty from a cell like '因病、缺劳力' or '因病,因学'; unknown ones refused."""
    text = clean(raw)
    if not text:
        return []
    for sep in "、，,；;/ ":
        text = text.replace(sep, "|")
    causes: list[str] = []
    for part in filter(None, text.split("|")):
        part = part.removesuffix("致贫")
        name = part if part in POVERTY_CAUSES else _CAUSE_SYNONYMS.get(part)
        if name is None:
            raise ValidationError(f"不认识的致贫原因“{part}”", field="poverty_causes")
        if name not in causes:
            causes.append(name)
    return causes


@dataclass
class Household:
    """A household's file. `head_id` points at the member who is head (户主)."""

    id: RecordId | None
    village_code: str
    group_name: str = ""
    address: str = ""
    phone: str = ""
    household_no: str = ""          # 户编号 from the national poverty-alleviation system
    head_id: RecordId | None = None
    poverty_status: str = "general"
    poverty_causes: list[str] = field(default_factory=list)
    exit_year: int | None = None    # 脱贫年度
    housing: str = ""
    water: str = ""
    toilet: str = ""
    fuel: str = ""
    kitchen_exhaust: str = ""
    livestock_pen: str = ""
    note: str = ""

    @property
    def is_poor(self) -> bool:
        return self.poverty_status in POOR_STATUSES


def validate_household(h: Household) -> Household:
    """Check a household before it is written; return it with text fields tidied."""
    if h.poverty_status not in POVERTY_STATUSES:
        raise ValidationError("请选择贫困户属性", field="poverty_status")
    for cause in h.poverty_causes:
        if cause not in POVERTY_CAUSES:
            raise ValidationError(f"不认识的致贫原因“{cause}”", field="poverty_causes")
    if h.exit_year is not None and not 2013 <= h.exit_year <= 2100:
        raise ValidationError("脱贫年度应为2013年以后的年份", field="exit_year")
    phone = compact(check_text(h.phone, "联系电话", "short", field="phone"))
    if phone and not phone.replace("-", "").isdigit():
        raise ValidationError("联系电话只能包含数字和“-”", field="phone")
    h.phone = phone
    h.group_name = check_text(h.group_name, "村民小组", "short", field="group_name")
    h.address = check_text(h.address, "家庭住址", "line", field="address")
    h.household_no = compact(check_text(h.household_no, "户编号", "short", field="household_no"))
    return h


@dataclass(frozen=True)
class PovertyEvent:
    """One change of a household's poverty status (append-only history: 脱贫出, 返贫进, ...)."""

    status: str
    since: dt.date
    note: str = ""


@dataclass(frozen=True)
class HelpPerson:
    """A household's help person (帮扶责任人) over a period."""

    name: str
    unit: str = ""
    phone: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def check_help_person(helper: HelpPerson) -> HelpPerson:
    """A help person (帮扶责任人) with a name, and name, unit and phone within the limits."""
    name = check_name(helper.name, "帮扶责任人姓名", field="helper_name")
    if not name:
        raise ValidationError("请填写帮扶责任人姓名", field="helper_name")
    return HelpPerson(name=name, unit=check_text(helper.unit, "帮扶单位", "line", field="helper_unit"),
                      phone=check_text(helper.phone, "帮扶责任人电话", "short", field="helper_phone"),
                      since=helper.since, until=helper.until)


def status_on(history: list[PovertyEvent], day: dt.date, fallback: str = "general") -> str:
    """The poverty status in force on `day`: the latest change dated on or before it (ties: the later entry)."""
    current = [e for e in history if e.since <= day]
    if not current:
        return fallback
    return max(enumerate(current), key=lambda ie: (ie[1].since, ie[0]))[1].status
