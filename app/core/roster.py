"""Reading the free-text cells of a county roster: disease columns, total rows and footers.

Pure rules used by `app.core.importing`: which diseases a 患病情况 cell names (several per cell,
separated by 、,，/ and the like), and which rows are not people at all (合计, 填表人, a bare 序号).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.core.people import CONDITIONS
from app.core.text import clean, compact

_SPLIT = re.compile(r"[、,，/／;；\s+＋|]+")
_NONE = {"无", "没有", "否", "健康", "良好", "正常", "—", "-", "/", "无病", "0"}
# Spellings met in county rosters for the conditions kept on a person's file.
_CONDITION_SPELLINGS: dict[str, str] = {
    "高血压病": "高血压", "原发性高血压": "高血压", "高血压症": "高血压", "高压": "高血压",
    "糖尿病": "2型糖尿病", "Ⅱ型糖尿病": "2型糖尿病", "II型糖尿病": "2型糖尿病",
    "二型糖尿病": "2型糖尿病", "2型糖尿": "2型糖尿病", "T2DM": "2型糖尿病",
    "精神病": "严重精神障碍", "精神分裂症": "严重精神障碍", "重性精神病": "严重精神障碍",
    "严重精神障碍患者": "严重精神障碍", "双相情感障碍": "严重精神障碍", "癫痫所致精神障碍": "严重精神障碍",
    "结核病": "肺结核", "结核": "肺结核", "肺结核病": "肺结核",
    "冠状动脉粥样硬化性心脏病": "冠心病",
    "脑梗": "脑卒中", "脑梗死": "脑卒中", "脑梗塞": "脑卒中", "脑出血": "脑卒中", "中风": "脑卒中",
    "脑中风": "脑卒中", "脑血管病": "脑卒中",
    "慢阻肺": "慢性阻塞性肺疾病", "COPD": "慢性阻塞性肺疾病", "慢性阻塞性肺病": "慢性阻塞性肺疾病",
    "肿瘤": "恶性肿瘤", "癌症": "恶性肿瘤", "尿毒症": "慢性肾病", "肾衰竭": "慢性肾病",
    "慢性肾衰竭": "慢性肾病", "慢性肾脏病": "慢性肾病", "慢性病": "其他慢性病",
}


def condition_of(token: str) -> str | None:
    """The file's condition for one disease name, or None when the list does not know it."""
    text = compact(token).upper().replace("Ⅱ", "II")
    if text in CONDITIONS:
        return text
    if text in _CONDITION_SPELLINGS:
        return _CONDITION_SPELLINGS[text]
    if text.endswith("癌") or "恶性" in text:
        return "恶性肿瘤"
    return None


def parse_conditions(value: object) -> tuple[list[str], list[str]]:
    """The conditions a disease cell names, and a note for each name kept as 其他慢性病."""
    text = clean(value)
    if not text or compact(text) in _NONE:
        return [], []
    conditions: list[str] = []
    notes: list[str] = []
    for token in filter(None, (t.strip() for t in _SPLIT.split(text))):
        if token in _NONE:
            continue
        found = condition_of(token)
        if found is None:
            found = "其他慢性病"
            notes.append(f"病种“{token}”不在诊断目录中，按“其他慢性病”记入")
        if found not in conditions:
            conditions.append(found)
    return conditions, notes


_TOTAL = re.compile(r"^(合计|总计|小计|共计|累计|总数|汇总)")
_FOOTER = re.compile(r"^(填表人|填报人|制表人|制表|审核人|审核|负责人|联系人|备注|说明|注[:：]|注\b|填表日期|填报日期)")


def skip_reason(values: Sequence[object]) -> str | None:
    """Why a row that names nobody is not a person: a total row, a footer, a bare 序号."""
    texts = [compact(v) for v in values if v is not None and compact(v)]
    if not texts:
        return "空行"
    if any(_TOTAL.match(t) for t in texts):
        return "合计行，跳过"
    if any(_FOOTER.match(t) for t in texts):
        return "表尾说明（填表人、审核人等），跳过"
    if len(texts) == 1 and texts[0].replace(".", "").isdigit():
        return "只有序号的空行，跳过"
    return None


def is_summary_row(values: Sequence[object]) -> bool:
    """A 合计/小计 row or a 填表人 footer, even when its text sits in the name column."""
    texts = [compact(v) for v in values if v is not None]
    return any(_TOTAL.match(t) or _FOOTER.match(t) for t in texts)
