"""健康体检结果告知单: the yearly exam's results and advice, handed to the person on one A4 page.

The person takes the slip home, so the ID number is printed masked (first 6 and last 4 digits);
the name, record number and QR code identify the record. Results outside the reference range
(ranges.py, example defaults) carry ↑ / ↓, qualitative ones 异常.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence, Sized
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from app.core.errors import ValidationError
from app.printing.care_layout import care_header, cell_style, esc, keep_spaces, mask_id, num
from app.printing.care_models import (
    CONCLUSIONS,
    GUIDANCE,
    RISK_CONTROL,
    ExamSlipData,
    Finding,
    LabResult,
    PhysicalExam,
)
from app.printing.fonts import register_font
from app.printing.layout import (
    BLACK,
    CONTENT_WIDTH,
    GroupEnd,
    GroupStart,
    Output,
    SignLine,
    build_batch,
    build_pdf,
    cn_date,
    field_grid,
    styles,
)
from app.printing.marks import MinHeight, TickList
from app.printing.ranges import ABNORMAL, ReferenceBook, load_ranges

TITLE = "健康体检结果告知单"
TEST_GROUPS = ("血常规", "尿常规", "肝功能", "肾功能", "血糖", "血脂", "心电图", "B超")
GUTTER = 4 * mm
HALF = (CONTENT_WIDTH - GUTTER) / 2
LEGEND = "提示：↑ 高于参考范围　↓ 低于参考范围　异常 与正常结果不符"


def bmi_of(p: PhysicalExam) -> Decimal | None:
    """体质指数 as given, else weight / height² to one decimal."""
    if p.bmi is not None:
        return p.bmi
    if p.height_cm and p.weight_kg:
        metres = p.height_cm / 100
        return (p.weight_kg / (metres * metres)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return None


def _style(name: str, size: float, center: bool = False) -> ParagraphStyle:
    return ParagraphStyle(name, parent=styles().cell, fontSize=size, leading=size * 1.3,
                          alignment=TA_CENTER if center else 0)


def _unit_markup(unit: str) -> str:
    """Units as markup: ×10^9/L prints the 9 raised (the font has no superscript nine)."""
    text = esc(unit)
    if "^" in text:
        base, _, rest = text.partition("^")
        power = "".join(itertools.takewhile(str.isdigit, rest))
        text = f"{base}<super>{power}</super>{rest[len(power):]}"
    return text


def _cell(text: str, size: float = 8.5, center: bool = False, markup: bool = False) -> Paragraph:
    return Paragraph(text if markup else esc(text), _style("slip-cell", size, center))


def _half_table(header: Sequence[str], rows: list[list[Any]], widths: Sequence[float],
                commands: Sequence[tuple[Any, ...]] = ()) -> Table:
    data: list[list[Any]] = [[_cell(h, 7.5, center=True) for h in header], *rows]
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("GRID", (0, 0), (-1, -1), 0.5, BLACK),
        ("LINEBELOW", (0, 0), (-1, 0), 1.0, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.2 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0.8 * mm),
        *commands,
    ]))
    return table


def _side_by_side(left: Flowable, right: Flowable) -> Table:
    table = Table([[left, "", right]], colWidths=[HALF, GUTTER, HALF])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_font()),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               *[(k, (0, 0), (-1, -1), 0) for k in (
                                   "LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]]))
    return table


def _physical_rows(data: ExamSlipData, book: ReferenceBook) -> list[tuple[str, str, str, str]]:
    """(item, result with unit, reference, mark) for the 12 items of the 一般检查, 血压 per arm."""
    p, sex = data.physical, data.patient.sex
    rows: list[tuple[str, str, str, str]] = []

    def measured(label: str, name: str, value: Decimal | int | None, unit: str) -> None:
        ref = book.get(name)
        mark = ref.judge(Decimal(value), sex) if ref and value is not None else ""
        shown = f"{num(value)} {unit}" if value is not None else ""
        rows.append((label, shown, ref.shown(sex) if ref else "", mark))

    def bp(label: str, sbp: int | None, dbp: int | None) -> None:
        high_s, high_d = book.get("收缩压"), book.get("舒张压")
        marks = [r.judge(Decimal(v), sex) for r, v in ((high_s, sbp), (high_d, dbp))
                 if r is not None and v is not None]
        mark = next((m for m in marks if m), "")
        shown = f"{num(sbp)}/{num(dbp)} mmHg" if sbp is not None or dbp is not None else ""
        ref = (f"{high_s.shown(sex)}/{high_d.shown(sex).lstrip('<')}"
               if high_s and high_d else "")
        rows.append((label, shown, ref, mark))

    def finding(label: str, f: Finding | None) -> None:
        rows.append((label, f.text if f else "", "", ABNORMAL if f and f.abnormal else ""))

    measured("体温", "体温", p.temperature, "°C")
    measured("脉率", "脉率", p.pulse, "次/分")
    measured("呼吸频率", "呼吸频率", p.respiration, "次/分")
    bp("血压（左侧）", p.sbp_left, p.dbp_left)
    bp("血压（右侧）", p.sbp_right, p.dbp_right)
    measured("身高", "身高", p.height_cm, "cm")
    measured("体重", "体重", p.weight_kg, "kg")
    measured("体质指数", "体质指数", bmi_of(p), "kg/m²")
    measured("腰围", "腰围", p.waist_cm, "cm")
    finding("皮肤", p.skin)
    finding("浅表淋巴结", p.lymph_nodes)
    finding("心脏", p.heart)
    finding("肺部", p.lungs)
    finding("腹部", p.abdomen)
    return rows


def _physical(data: ExamSlipData, book: ReferenceBook) -> Table:
    rows = _physical_rows(data, book)
    widths = [19 * mm, 0.0, 20 * mm, 9 * mm]
    widths[1] = HALF - sum(widths)
    middle = (len(rows) + 1) // 2
    halves = []
    for part in (rows[:middle], rows[middle:]):
        cells = [[_cell(item), _cell(result), _cell(ref, 7.5, center=True),
                  _cell(mark, center=True)] for item, result, ref, mark in part]
        halves.append(_half_table(["项目", "结果", "参考范围", "提示"], cells, widths))
    return _side_by_side(*halves)


def _test_rows(data: ExamSlipData, book: ReferenceBook) -> list[tuple[str, list[LabResult]]]:
    known = {g: [t for t in data.tests if t.group == g] for g in TEST_GROUPS}
    extra = sorted({t.group for t in data.tests} - set(TEST_GROUPS))
    groups = [(g, known[g]) for g in TEST_GROUPS]
    groups += [(g, [t for t in data.tests if t.group == g]) for g in extra]
    return [(g, sorted(items, key=lambda t: book.order(t.item))) for g, items in groups]


def _tests_table(groups: Sequence[tuple[str, list[LabResult]]], sex: str,
                 book: ReferenceBook) -> Table:
    widths = [8 * mm, 27.5 * mm, 0.0, 18 * mm, 9 * mm]
    widths[2] = HALF - sum(widths)
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    for group, items in groups:
        start = len(rows) + 1
        label = Paragraph("<br/>".join(esc(ch) for ch in group) if len(group) > 2 else esc(group),
                          _style("slip-group", 8, center=True))
        if not items:
            rows.append([label, _cell("未检查", 8), "", "", ""])
            commands.append(("SPAN", (1, start), (-1, start)))
            continue
        for t in items:
            r = len(rows) + 1
            ref = book.get(t.item)
            unit = t.unit or (ref.unit if ref else "")
            mark = ABNORMAL if t.abnormal else ("" if t.abnormal is False or ref is None
                                               else ref.judge(t.value, sex))
            value = num(t.value) if isinstance(t.value, Decimal) else t.value
            result = _cell(f"{esc(value)} {_unit_markup(unit)}".strip(), markup=True)
            row = [label if r == start else "", _cell(t.item, 8), result,
                   _cell(ref.shown(sex) if ref else "", 7.5, center=True), _cell(mark, center=True)]
            if len(items) == 1 and group in t.item:
                row[0] = _cell(t.item, 8)  # 心电图, 腹部B超: the item names its group
                commands.append(("SPAN", (0, r), (1, r)))
            if ref is not None and ref.text:
                commands.append(("SPAN", (2, r), (3, r)))
            rows.append(row)
        if len(rows) + 1 - start > 1:
            commands.append(("SPAN", (0, start), (0, len(rows))))
    return _half_table(["类别", "项目", "结果", "参考范围", "提示"], rows, widths, commands)


def _tests(data: ExamSlipData, book: ReferenceBook) -> Table:
    groups = _test_rows(data, book)
    sizes = [max(1, len(items)) for _, items in groups]
    total = sum(sizes)
    cut = min(range(1, len(groups)), key=lambda i: abs(total - 2 * sum(sizes[:i])))
    sex = data.patient.sex
    return _side_by_side(_tests_table(groups[:cut], sex, book),
                         _tests_table(groups[cut:], sex, book))


def _ticks(labels: Sequence[str], chosen: Iterable[int], what: str) -> TickList:
    picked = set(chosen)
    for code in picked:
        if not 1 <= code <= len(labels):
            raise ValidationError(f"{what}的代码 {code} 不在 1–{len(labels)} 之间。", field=what)
    return TickList([(label, i in picked) for i, label in enumerate(labels, start=1)], 8.5)


def _advice(data: ExamSlipData) -> Table:
    if data.conclusion and data.conclusion not in CONCLUSIONS:
        raise ValidationError(f"体检结论只能是{'、'.join(CONCLUSIONS)}之一。", field="conclusion")
    risks = list(RISK_CONTROL)
    goal = num(data.weight_goal_kg) or "\u3000\u3000"
    risks[4] = f"减体重（目标 {goal} kg）"
    risks[5] = f"建议接种疫苗（{data.vaccine or chr(0x3000) * 4}）"
    risks[6] = f"其他（{data.risk_other or chr(0x3000) * 4}）"
    found = "　".join(f"{i}. {a}" for i, a in enumerate(data.abnormalities, start=1)) or "未发现异常"
    body = _style("slip-body", 9)
    rows = [
        ("体检结论", TickList([(c, c == data.conclusion) for c in CONCLUSIONS], 9)),
        ("发现的异常", Paragraph(esc(found), body)),
        ("健康指导", _ticks(GUIDANCE, data.guidance, "健康指导")),
        ("危险因素控制", _ticks(risks, data.risk_control, "危险因素控制")),
        ("医生建议", MinHeight(Paragraph(esc(data.advice), body), 12 * mm)),
    ]
    table = Table([[_cell(label, 9), value] for label, value in rows],
                  colWidths=[24 * mm, CONTENT_WIDTH - 24 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("GRID", (0, 0), (-1, -1), 0.5, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def exam_slip_flowables(data: ExamSlipData, book: ReferenceBook | None = None) -> list[Flowable]:
    """One person's result slip on one A4 page."""
    book = book or _default_book()
    st = styles()
    person = data.patient
    heading = ParagraphStyle("slip-heading", parent=st.heading, spaceBefore=1.8 * mm,
                             spaceAfter=0.8 * mm, fontSize=10.5, leading=13)
    small = _style("slip-small", 7.5)
    when = Paragraph(keep_spaces(f"{data.clinic}　　体检日期：{cn_date(data.exam_date)}"),
                     cell_style("slip-when", 10, center=True, leading=13))
    when.style.leftIndent = 25 * mm
    out: list[Flowable] = [
        GroupStart(f"{TITLE}　{person.name}　健康档案编号 {person.record_no}"),
        care_header(TITLE, person.record_no, [when], title_size=17, qr_size=17 * mm,
                    provisional=person.record_provisional),
        Spacer(1, 1.5 * mm),
        field_grid([("姓名", person.name), ("性别", person.sex),
                    ("年龄", f"{person.age}岁" if person.age is not None else ""),
                    ("档案编号", person.shown_record_no), ("身份证号", mask_id(person.id_no)),
                    ("联系电话", person.phone), ("现住址", person.address)],
                   columns=3, label_width=17 * mm, spans=("现住址",)),
        Paragraph("一、一般检查", heading),
        _physical(data, book),
        Paragraph("二、辅助检查", heading),
        _tests(data, book),
        Spacer(1, 1 * mm),
        Paragraph(keep_spaces(LEGEND + ("。" + ("【示例】" + book.note if book.example else book.note)
                                if book.note else "")), small),
        Paragraph("三、体检结论与健康指导", heading),
        _advice(data),
        Spacer(1, 2 * mm),
        _sign(data),
    ]
    out += [GroupEnd(), PageBreak()]
    return out


def _sign(data: ExamSlipData) -> Table:
    clinic = data.clinic + (f"（电话 {data.clinic_phone}）" if data.clinic_phone else "")
    doctor = f"责任医生签字（{data.doctor}）" if data.doctor else "责任医生签字"
    told = "日期：" + cn_date(data.informed_on)
    half = CONTENT_WIDTH / 2
    table = Table([[Paragraph(esc(f"体检机构：{clinic}"), styles().body), SignLine(doctor, half * 0.8)],
                   [SignLine("以上结果已告知本人。居民（或家属）签字", half * 1.2 - 4 * mm),
                    SignLine(told, half * 0.8)]],
                  colWidths=[half * 1.2, half * 0.8], rowHeights=[9 * mm, 9 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_font()),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("BOTTOMPADDING", (0, 0), (0, 0), 2.1 * mm),  # level with the rule beside it
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


_default: ReferenceBook | None = None


def _default_book() -> ReferenceBook:
    global _default
    if _default is None:
        _default = load_ranges()
    return _default


def render_exam_slip(data: ExamSlipData, out: Output, book: ReferenceBook | None = None) -> Path | None:
    """One person's exam result slip as a PDF at out (a path or a binary file)."""
    return build_pdf(iter([exam_slip_flowables(data, book)]), out, title=TITLE)


def render_exam_slips(items: Iterable[ExamSlipData], out: Output,
                      progress: Callable[[int, int], None] | None = None,
                      cancel: Callable[[], bool] | None = None, *, total: int | None = None,
                      book: ReferenceBook | None = None) -> Path | None:
    """Many people's slips (an exam day) in one PDF, laid out in parts so memory stays flat."""
    it = iter(items)
    first = next(it, None)
    if first is None:
        raise ValidationError("没有要打印的体检结果告知单。")
    if total is None and isinstance(items, Sized):
        total = len(items)
    ref = book or _default_book()
    return build_batch(itertools.chain([first], it), lambda d: exam_slip_flowables(d, ref), out,
                       title=TITLE, progress=progress, cancel=cancel, total=total)
