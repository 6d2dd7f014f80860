"""高血压 / 2型糖尿病患者随访服务记录表: the national grid, four visits to a sheet, in date order.

The header's 编号 is the national short form □□□-□□□□□: the last 8 digits of the 17-digit
health-record number (village code's last 3 digits + the 5-digit serial), as the 规范 asks for on
every form but the cover. The full number is printed small under the QR code, which holds it.
Columns without a visit print the blank form (options, empty boxes, units) for handwriting.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from app.core.errors import ValidationError
from app.core.identity import short_record_no
from app.printing.care_layout import care_header, day, esc, num
from app.printing.care_models import (
    ADHERENCE,
    ADVERSE,
    CLASSES,
    DM_SYMPTOMS,
    FOOT_PULSE,
    FOOT_SIDES,
    GRADES,
    HTN_SYMPTOMS,
    HYPOGLYCEMIA,
    METHODS,
    SALT,
    DmFollowups,
    DmVisit,
    Drug,
    HtnFollowups,
    HtnVisit,
    Patient,
    Visit,
)
from app.printing.fonts import register_font
from app.printing.layout import (
    BLACK,
    BOTTOM_MARGIN,
    CONTENT_WIDTH,
    PAGE_HEIGHT,
    TOP_MARGIN,
    GroupEnd,
    GroupStart,
    Output,
    build_batch,
    build_pdf,
    styles,
)
from app.printing.marks import (
    ChoiceCell,
    CircledChoice,
    CodeBoxes,
    MinHeight,
    RecordNoBoxes,
    Words,
    option_words,
)

HTN_TITLE = "高血压患者随访服务记录表"
DM_TITLE = "2型糖尿病患者随访服务记录表"
VISITS_PER_SHEET = 4
SYMPTOM_SLOTS = 8

GROUP_W = 7 * mm
LABEL_W = 27 * mm
VISIT_W = (CONTENT_WIDTH - GROUP_W - LABEL_W) / VISITS_PER_SHEET
ROW_H = 6.0 * mm  # the lowest row: room for a handwritten line
MAX_EXTRA = 2.5 * mm  # the most a row grows to fill the page
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN
PAD = 1.1 * mm
BLANK = "\u3000\u3000"  # room for a handwritten number
WIDE_BLANK = "\u3000\u3000\u3000"

V = TypeVar("V", bound=Visit)


@dataclass(frozen=True)
class Row(Generic[V]):
    """One line of the grid: its group (“体征”), its label, and what a visit puts in its cell."""

    group: str
    label: str | Flowable
    cell: Callable[[V | None], Flowable | list[Flowable]]
    height: float = ROW_H


def _style(name: str, size: float, center: bool = False) -> ParagraphStyle:
    return ParagraphStyle(name, parent=styles().cell, fontSize=size, leading=size * 1.22,
                          alignment=TA_CENTER if center else 0)


def _value(text: str) -> Paragraph:
    """A filled-in value, 8 pt; 7 pt when that keeps a longer one on a single line."""
    width = VISIT_W - 2 * PAD
    size = 8.0 if stringWidth(text, register_font(), 8) <= width else 7.0
    return Paragraph(esc(text), _style(f"value{size}", size, center=True))


def _label(text: str) -> Paragraph:
    return Paragraph(esc(text), _style("label", 7))


def pair(now: Decimal | int | None, goal: Decimal | int | None) -> str:
    """“today / target”, the slash always printed so the blank form shows where to write."""
    if now is None and goal is None:
        return "/"
    return f"{num(now)} / {num(goal)}"


def _check(code: int | None, labels: Sequence[str], what: str) -> int | None:
    if code is not None and not 1 <= code <= len(labels):
        raise ValidationError(f"{what}的代码 {code} 不在 1–{len(labels)} 之间。", field=what)
    return code


def _choice(labels: Sequence[str], code: int | None, what: str, extra: str = "") -> ChoiceCell:
    chosen = _check(code, labels, what)
    note = Paragraph(esc(extra), _style("extra", 7.5)) if extra else None
    return ChoiceCell(labels, chosen, extra=note)


def _symptoms(labels: Sequence[str], v: Visit | None) -> list[Flowable]:
    codes = sorted(set(v.symptoms)) if v else []
    for code in codes:
        _check(code, labels, "症状")
    if len(codes) > SYMPTOM_SLOTS:
        raise ValidationError(f"症状最多填 {SYMPTOM_SLOTS} 项（“无症状”不与其他症状同填）。",
                              field="症状")
    other = Paragraph(esc(f"其他：{v.symptoms_other if v else ''}"), _style("other", 7))
    return [CodeBoxes(codes, SYMPTOM_SLOTS), Spacer(1, 0.6 * mm), other]


def _bp(v: Visit | None) -> Paragraph:
    if v is None or (v.sbp is None and v.dbp is None):
        return _value("/")
    return _value(f"{num(v.sbp)}/{num(v.dbp)}")


def _exercise(v: Visit | None) -> Words:
    def line(times: int | None, minutes: int | None) -> str:
        return f"{num(times) or BLANK}次/周\u2002{num(minutes) or BLANK}分钟/次"

    now = line(v.exercise_per_week, v.exercise_minutes) if v else line(None, None)
    goal = (line(v.exercise_per_week_target, v.exercise_minutes_target) if v
            else line(None, None))
    return Words([now, goal], 7, leading=10, center=True)


def usage(drugs: Sequence[Drug]) -> str:
    """用法用量 of one or more drugs: 每日2次 每次5mg (joined with ；)."""
    if not drugs:
        return f"每日{BLANK}次\u2002每次{WIDE_BLANK}mg"
    return "；".join(f"每日{num(d.times_per_day) or BLANK}次\u2002每次{num(d.dose) or WIDE_BLANK}{d.unit}"
                    for d in drugs)


def _drug_rows(slots: int, last_label: str | None) -> list[Row[Any]]:
    """药物名称1..n with 用法用量; the last slot (其他药物) takes every drug beyond it."""
    total = slots + (1 if last_label else 0)

    def slot_rows(slot: int) -> list[Row[Any]]:
        def pick(v: Visit | None) -> list[Drug]:
            if v is None:
                return []
            return list(v.drugs[slot:]) if slot == total - 1 else list(v.drugs[slot:slot + 1])

        def names(v: Visit | None) -> Flowable:
            return _value("；".join(d.name for d in pick(v)))

        def doses(v: Visit | None) -> Flowable:
            drugs = pick(v)
            return Words(usage(drugs).split("；") if drugs else [usage([])], 7, center=True)

        name = last_label if last_label and slot == slots else f"药物名称{slot + 1}"
        return [Row("用药情况", name, names), Row("用药情况", "用法用量", doses)]

    return [row for slot in range(total) for row in slot_rows(slot)]


def _common_head(symptoms: Sequence[str]) -> list[Row[Any]]:
    return [
        Row("", "随访日期", lambda v: _value(day(v.visit_date) if v else ""), 6.5 * mm),
        Row("", "随访方式", lambda v: _choice(METHODS, v.method if v else None, "随访方式")),
        Row("症状", Words(option_words(symptoms), 6.5),
            lambda v: _symptoms(symptoms, v)),
        Row("体征", "血压（mmHg）", _bp),
        Row("体征", "体重（kg）", lambda v: _value(
            pair(v.weight_kg, v.weight_target_kg) if v else "/")),
        Row("体征", "体质指数（kg/m²）", lambda v: _value(pair(v.bmi, v.bmi_target) if v else "/")),
    ]


def _lifestyle(extra: Row[Any]) -> list[Row[Any]]:
    group = "生活方式指导"
    return [
        Row(group, "日吸烟量（支）", lambda v: _value(
            pair(v.cigarettes, v.cigarettes_target) if v else "/")),
        Row(group, "日饮酒量（两）", lambda v: _value(
            pair(v.alcohol_liang, v.alcohol_target_liang) if v else "/")),
        Row(group, "运　　动", _exercise, 8 * mm),
        extra,
        Row(group, "心理调整", lambda v: _choice(GRADES, v.mood if v else None, "心理调整")),
        Row(group, "遵医行为", lambda v: _choice(GRADES, v.compliance if v else None, "遵医行为")),
    ]


def _middle() -> list[Row[Any]]:
    return [
        Row("", "服药依从性", lambda v: _choice(ADHERENCE, v.adherence if v else None, "服药依从性")),
        Row("", "药物不良反应", lambda v: _choice(
            ADVERSE, v.adverse if v else None, "药物不良反应", v.adverse_text if v else "")),
    ]


def _classification() -> Row[Any]:
    return Row("", "此次随访分类", lambda v: _choice(
        CLASSES, v.classification if v else None, "此次随访分类"), 7 * mm)


def _tail() -> list[Row[Any]]:
    return [
        Row("转诊", "原　　因", lambda v: _value(v.referral_reason if v else "")),
        Row("转诊", "机构及科别", lambda v: _value(v.referral_to if v else "")),
        Row("", "下次随访日期", lambda v: _value(day(v.next_date) if v else "")),
        Row("", "随访医生签名", lambda v: _value(v.doctor if v else ""), 8 * mm),
    ]


def _salt(v: HtnVisit | None) -> CircledChoice:
    """摄盐情况 now / goal with the chosen words circled."""
    now, goal = (v.salt, v.salt_target) if v else ("", "")
    for word in (now, goal):
        if word and word not in SALT:
            raise ValidationError(f"摄盐情况只能是{'、'.join(SALT)}。", field="摄盐情况")
    return CircledChoice([(SALT, now), (SALT, goal)])


def htn_rows() -> list[Row[HtnVisit]]:
    """The rows of the 高血压 sheet, top to bottom."""
    salt = Row[HtnVisit]("生活方式指导", "摄盐情况（咸淡）", _salt)
    return [
        *_common_head(HTN_SYMPTOMS),
        Row("体征", "心率（次/分钟）", lambda v: _value(num(v.heart_rate) if v else "")),
        Row("体征", "其　　他", lambda v: _value(v.signs_other if v else "")),
        *_lifestyle(salt),
        Row("", "辅助检查*", lambda v: _value(v.tests if v else ""), 7 * mm),
        *_middle(),
        _classification(),
        *_drug_rows(3, "其他药物"),
        *_tail(),
    ]


def _foot(v: DmVisit | None) -> ChoiceCell:
    code = _check(v.foot_pulse if v else None, FOOT_PULSE, "足背动脉搏动")
    side = v.foot_pulse_side if v and code in (2, 3) else ""
    if side and side not in FOOT_SIDES:
        raise ValidationError(f"足背动脉搏动的部位只能是{'、'.join(FOOT_SIDES)}。", field="足背动脉搏动")
    words = option_words(FOOT_PULSE)
    if side:
        words.append(f"（{side}）")
    elif code is None:
        words.append("（双侧 左侧 右侧）")  # blank: the sides to circle by hand
    return ChoiceCell(FOOT_PULSE, code, words=words)


def _other_tests(v: DmVisit | None) -> Words:
    if v is None or (v.hba1c is None and v.hba1c_date is None and not v.other_tests):
        return Words([f"糖化血红蛋白{BLANK}%", f"检查日期：{BLANK}月{BLANK}日"], 7, center=True)
    words = [f"糖化血红蛋白{num(v.hba1c)}%"] if v.hba1c is not None else []
    if v.hba1c_date:
        words.append(f"检查日期：{v.hba1c_date.month}月{v.hba1c_date.day}日")
    if v.other_tests:
        words.append(v.other_tests)
    return Words(words, 7, center=True)


def dm_rows() -> list[Row[DmVisit]]:
    """The rows of the 2型糖尿病 sheet, top to bottom."""
    staple = Row[DmVisit]("生活方式指导", "主食（克/天）", lambda v: _value(
        pair(v.staple_g, v.staple_target_g) if v else "/"))
    return [
        *_common_head(DM_SYMPTOMS),
        Row("体征", "足背动脉搏动", _foot, 8 * mm),
        Row("体征", "其　　他", lambda v: _value(v.signs_other if v else "")),
        *_lifestyle(staple),
        Row("辅助检查", "空腹血糖值（mmol/L）", lambda v: _value(
            num(v.fasting_glucose) if v else "")),
        Row("辅助检查", "其他检查*", _other_tests, 8 * mm),
        *_middle(),
        Row("", "低血糖反应", lambda v: _choice(
            HYPOGLYCEMIA, v.hypoglycemia if v else None, "低血糖反应")),
        _classification(),
        *_drug_rows(3, None),
        Row("用药情况", "胰岛素 种类", lambda v: _value(v.insulin_kind if v else "")),
        Row("用药情况", "用法和用量", lambda v: _value(v.insulin_usage if v else "")),
        *_tail(),
    ]


def _vertical(text: str) -> Paragraph:
    return Paragraph("<br/>".join(esc(ch) for ch in text), _style("group", 7.5, center=True))


def grid(rows: Sequence[Row[V]], visits: Sequence[V], extra: float = 0.0) -> Table:
    """The sheet's table: group and label columns, then one column per visit (blank when none).

    `extra` is added to every row's height, to spread the page's spare room for handwriting.
    """
    columns: list[V | None] = [*visits, *([None] * (VISITS_PER_SHEET - len(visits)))]
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    for r, row in enumerate(rows):
        text = row.label if isinstance(row.label, Flowable) else _label(row.label)
        label = MinHeight(text, row.height + extra - 1.6 * PAD)
        first = [_vertical(row.group), label] if row.group else [label, ""]
        data.append([*first, *(row.cell(v) for v in columns)])
        if not row.group:
            commands.append(("SPAN", (0, r), (1, r)))
    for group, members in itertools.groupby(range(len(rows)), key=lambda i: rows[i].group):
        span = list(members)
        if group:
            commands.append(("SPAN", (0, span[0]), (0, span[-1])))
    table = Table(data, colWidths=[GROUP_W, LABEL_W] + [VISIT_W] * VISITS_PER_SHEET)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("GRID", (0, 0), (-1, -1), 0.5, BLACK),
        ("BOX", (0, 0), (-1, -1), 1.0, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), PAD * 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD * 0.8),
        ("LEFTPADDING", (0, 0), (0, -1), 0.5 * mm),
        ("RIGHTPADDING", (0, 0), (0, -1), 0.5 * mm),
        *commands,
    ]))
    return table


def short_no(record_no: str) -> str:
    """The header's 8-digit 编号 (201-00017); empty boxes when the number is not a full one yet."""
    return short_record_no(record_no) if len(record_no) == 17 and record_no.isdigit() else ""


def header(title: str, patient: Patient) -> Table:
    """Title, 姓名 and 编号□□□-□□□□□ as on the national form; the QR of the full number at the right."""
    name = Paragraph(f"姓名：{esc(patient.name)}", _style("name", 10.5))
    boxes = RecordNoBoxes(short_no(patient.record_no))
    width = CONTENT_WIDTH - 25 * mm
    line = Table([[name, boxes]], colWidths=[width - boxes.width - 2 * mm, boxes.width + 2 * mm])
    line.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_font()),
                              ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return care_header(title, patient.record_no, [line], provisional=patient.record_provisional)


def _fitted(rows: Sequence[Row[V]], visits: Sequence[V], top: Flowable) -> Table:
    """The grid with the page's spare height shared out over its rows (at most MAX_EXTRA each)."""
    table = grid(rows, visits)
    used = top.wrap(CONTENT_WIDTH, FRAME_HEIGHT)[1] + table.wrap(CONTENT_WIDTH, FRAME_HEIGHT)[1]
    spare = FRAME_HEIGHT - used - 3 * mm
    if spare <= len(rows) * 0.2 * mm:
        return table
    return grid(rows, visits, min(MAX_EXTRA, spare / len(rows)))


def _sheets(title: str, patient: Patient, rows: Sequence[Row[V]],
            visits: Sequence[V]) -> list[Flowable]:
    ordered = sorted(visits, key=lambda v: v.visit_date)
    chunks = [ordered[i:i + VISITS_PER_SHEET] for i in range(0, len(ordered), VISITS_PER_SHEET)]
    out: list[Flowable] = [GroupStart(f"{title}　{patient.name}　健康档案编号 {patient.record_no}")]
    for n, chunk in enumerate(chunks or [[]]):
        if n:
            out.append(PageBreak())
        top = header(title, patient)
        out += [top, _fitted(rows, chunk, top)]
    out += [GroupEnd(), PageBreak()]
    return out


def followup_flowables(data: HtnFollowups | DmFollowups) -> list[Flowable]:
    """One patient's sheets: as many pages as it takes to hold the visits four at a time."""
    if isinstance(data, HtnFollowups):
        return _sheets(HTN_TITLE, data.patient, htn_rows(), data.visits)
    return _sheets(DM_TITLE, data.patient, dm_rows(), data.visits)


def title_of(data: HtnFollowups | DmFollowups) -> str:
    """The form's name for a patient's sheets."""
    return HTN_TITLE if isinstance(data, HtnFollowups) else DM_TITLE


def render_followups(data: HtnFollowups | DmFollowups, out: Output) -> Path | None:
    """One patient's follow-up sheets as a PDF at out (a path or a binary file)."""
    return build_pdf(iter([followup_flowables(data)]), out, title=title_of(data))


def render_followup_batch(items: Iterable[HtnFollowups | DmFollowups], out: Output,
                          progress: Callable[[int, int], None] | None = None,
                          cancel: Callable[[], bool] | None = None, *,
                          total: int | None = None) -> Path | None:
    """Many patients' sheets (e.g. a village group's year) in one PDF, laid out in parts.

    `items` may be a generator; give `total` then, for the progress callback.
    """
    it = iter(items)
    first = next(it, None)
    if first is None:
        raise ValidationError("没有要打印的随访记录表。")
    if total is None and isinstance(items, Sized):
        total = len(items)
    return build_batch(itertools.chain([first], it), followup_flowables, out,
                       title=title_of(first), progress=progress, cancel=cancel, total=total)
