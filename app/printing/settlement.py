"""一站式结算单 / 医疗费用报销（补偿）单: one claim's settlement on one A4 page.

Header (settlement number, hospital and level, date), the patient with category and insurance
number, the episode, the money block with one line per payer layer (base, deductible, ratio,
amount and the rule in words), the totals with the 实际报销比例, the person's year to date, and
the signature lines. The form is the patient's: whether the ratio meets the county's target
(达标/未达标) is the county's concern and is shown only in the app, never printed. A claim typed from the hospital's slip prints the
slip's amounts beside the policy engine's; an estimate says so at the foot, naming the pack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.printing.care_layout import care_header, cell_style, esc
from app.printing.care_models import Patient
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
    SignLine,
    build_pdf,
    cn_date,
    field_grid,
)

TITLE = "一站式结算单"
SUBTITLE = "医疗费用报销（补偿）单"
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN


@dataclass(frozen=True)
class LayerLine:
    """One payer layer as printed. `deductible` is the part of the deductible counted in this
    claim (None for 兜底, which has none: its ceiling is in `rule`); `ratio` the text of the ratio
    (80%, 分段, —); `slip` the amount on the hospital's slip (None without one); `rule` the
    arithmetic in words."""

    name: str
    base: Decimal
    deductible: Decimal | None
    ratio: str
    amount: Decimal
    rule: str
    applies: bool = True
    slip: Decimal | None = None
    flagged: bool = False


@dataclass(frozen=True)
class WaiverLine:
    """A point-of-care waiver (两免两减半 …): the fee, what was charged, the share, the amount."""

    fee: str
    charged: Decimal
    ratio: str
    amount: Decimal
    name: str = ""


@dataclass(frozen=True)
class YearToDateLine:
    """The person's year including this claim (本年度累计)."""

    year: int
    claims: int
    inpatient_stays: int
    total: Decimal
    reimbursed: Decimal
    self_pay: Decimal
    layers: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class SettlementFormData:
    """Everything the form prints, as plain values; the caller maps a stored claim onto it."""

    settlement_no: str
    hospital: str
    level: str
    settled_on: date
    patient: Patient
    category: str
    insurance_type: str
    insurance_no: str
    village: str
    episode: str
    scope: str
    referred: bool
    admitted: date
    discharged: date
    days: int
    diagnosis: str
    total: Decimal
    out_of_catalogue: Decimal
    policy_scope: Decimal
    layers: tuple[LayerLine, ...]
    reimbursed: Decimal
    self_pay: Decimal
    ratio_actual: Decimal
    year_to_date: YearToDateLine
    pack_title: str
    disease: str = ""
    waivers: tuple[WaiverLine, ...] = ()
    waived: Decimal = Decimal("0.00")
    estimate: bool = True
    from_slip: bool = False
    pack_example: bool = False
    clinic: str = ""
    operator: str = ""
    reversed_note: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def yuan(value: Decimal) -> str:
    """Money as printed: 37,400.00."""
    return f"{value:,.2f}"


def _pct(value: Decimal) -> str:
    return f"{value:.2f}%"


def _style(size: float = 9, *, center: bool = False, right: bool = False) -> Any:
    s = cell_style(f"settle-{size}-{center}-{right}", size, center=center, leading=size * 1.3)
    if right:
        s.alignment = 2
    return s


def _p(text: object, size: float = 9, **kw: bool) -> Paragraph:
    return Paragraph(esc(text), _style(size, **kw))


def _heading(text: str) -> Paragraph:
    style = cell_style("settle-heading", 11, leading=15)
    style.spaceBefore = 2.5 * mm
    style.spaceAfter = 1 * mm
    return Paragraph(esc(text), style)


def _ruled(rows: list[list[Any]], widths: Sequence[float], extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    table = Table(rows, colWidths=list(widths))
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("GRID", (0, 0), (-1, -1), 0.5, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        *extra,
    ]))
    return table


def _patient(d: SettlementFormData) -> Table:
    p = d.patient
    return field_grid([
        ("姓名", p.name), ("性别", p.sex), ("年龄", f"{p.age}岁" if p.age is not None else ""),
        ("身份证号", p.id_no), ("人员类别", d.category), ("档案编号", p.shown_record_no),
        ("参保类型", d.insurance_type), ("医保号", d.insurance_no), ("所属村", d.village),
    ], columns=3, label_width=17 * mm)


def _episode(d: SettlementFormData) -> Table:
    inpatient = d.episode == "住院"
    dates = (("入院日期", cn_date(d.admitted)), ("出院日期", cn_date(d.discharged)),
             ("住院天数", f"{d.days}天")) if inpatient else (
        ("就诊日期", cn_date(d.admitted)), ("结算日期", cn_date(d.discharged)), ("", ""))
    diagnosis = d.diagnosis + (f"（病种代码 {d.disease}）" if d.disease else "")
    pairs = [("就医类型", d.episode), ("就医地范围", d.scope), ("转诊", "已转诊" if d.referred else "未转诊"),
             *dates, ("出院诊断" if inpatient else "诊断", diagnosis)]
    return field_grid([x for x in pairs if x[0]], columns=3, label_width=21 * mm,
                      spans=("出院诊断", "诊断"))


def _costs(d: SettlementFormData) -> Table:
    share = (d.out_of_catalogue * 100 / d.total) if d.total else Decimal(0)
    before_waivers = d.total - d.out_of_catalogue
    rows = [[_p("医疗总费用"), _p(yuan(d.total), right=True),
             _p("其中：目录外（自费）"), _p(f"{yuan(d.out_of_catalogue)}（占 {share:.2f}%）", right=True),
             _p("政策范围内费用"), _p(yuan(before_waivers), right=True)]]
    w = CONTENT_WIDTH / 6
    return _ruled(rows, [w * 0.8, w * 0.95, w * 1.2, w * 1.25, w * 0.95, w * 0.85])


def _waivers(d: SettlementFormData) -> list[Flowable]:
    if not d.waivers:
        return []
    header = [_p(h, center=True) for h in ("减免项目", "收费金额", "减免比例", "减免金额", "政策")]
    rows = [header] + [[_p(w.fee), _p(yuan(w.charged), right=True), _p(w.ratio, center=True),
                        _p(yuan(w.amount), right=True), _p(w.name)] for w in d.waivers]
    rows.append([_p("减免合计"), "", "", _p(yuan(d.waived), right=True),
                 _p(f"减免后政策范围内 {yuan(d.policy_scope)}")])
    widths = [30 * mm, 28 * mm, 22 * mm, 28 * mm, CONTENT_WIDTH - 108 * mm]
    return [Spacer(1, 1.5 * mm), _ruled(rows, widths, [("SPAN", (0, -1), (2, -1))])]


def _layers(d: SettlementFormData) -> Table:
    slip = d.from_slip
    head = ["报销项目", "计算基数", "计入起付线", "比例", "测算金额" if slip else "报销金额"]
    widths = [21 * mm, 23 * mm, 21 * mm, 13 * mm, 23 * mm]
    if slip:
        head.append("结算单金额")
        widths.append(23 * mm)
    head.append("计算方法")
    widths.append(CONTENT_WIDTH - sum(widths))
    rows: list[list[Any]] = [[_p(h, center=True) for h in head]]
    for x in d.layers:
        row = [_p(x.name), _p(yuan(x.base) if x.applies else "—", right=True),
               _p(yuan(x.deductible) if x.applies and x.deductible is not None else "—", right=True),
               _p(x.ratio if x.applies else "—", center=True), _p(yuan(x.amount), right=True)]
        if slip:
            mark = " *" if x.flagged else ""
            row.append(_p(("" if x.slip is None else yuan(x.slip)) + mark, right=True))
        row.append(_p(x.rule, 8))
        rows.append(row)
    return _ruled(rows, widths, [("LINEBELOW", (0, 0), (-1, 0), 1.0, BLACK)])


def _totals(d: SettlementFormData) -> Table:
    rows = [[_p("报销合计", 10), _p(yuan(d.reimbursed), 10, right=True),
             _p("个人自付", 10), _p(yuan(d.self_pay), 10, right=True),
             _p("实际报销比例", 10), _p(_pct(d.ratio_actual), 10)]]
    widths = [21 * mm, 25 * mm, 21 * mm, 25 * mm, 26 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    return _ruled(rows, widths, [("LINEABOVE", (0, 0), (-1, 0), 1.2, BLACK),
                                 ("LINEBELOW", (0, 0), (-1, 0), 1.2, BLACK)])


def _year(d: SettlementFormData) -> Table:
    y = d.year_to_date
    first = [_p(f"{y.year}年就医 {y.claims} 次（住院 {y.inpatient_stays} 次）"),
             _p(f"医疗总费用 {yuan(y.total)}"), _p(f"报销 {yuan(y.reimbursed)}"),
             _p(f"个人自付 {yuan(y.self_pay)}")]
    paid = "；".join(f"{name} {yuan(amount)}" for name, amount in y.layers) or "无"
    rows = [first, [_p(f"各项累计支付：{paid}"), "", "", ""]]
    w = CONTENT_WIDTH / 4
    return _ruled(rows, [w * 1.2, w * 0.95, w * 0.9, w * 0.95], [("SPAN", (0, 1), (-1, 1))])


def _foot(d: SettlementFormData) -> list[Flowable]:
    lines = list(d.notes)
    if d.from_slip:
        marked = "（标 * 的与结算单相差超过核对容差）" if any(x.flagged for x in d.layers) else ""
        lines.append(f"报销合计、个人自付按医疗机构结算单录入；测算金额按政策包“{d.pack_title}”计算，"
                     f"供核对{marked}。")
    if d.estimate:
        lines.append(f"本单金额是按政策包“{d.pack_title}”估算的结果，不是医疗机构的正式结算，"
                     "以医疗机构的结算单为准。")
    if d.pack_example:
        lines.append("所用政策包是示例数值，并非任何县的正式标准。")
    if len(lines) == 1:
        return [Paragraph(esc(f"注：{lines[0]}"), _style(8.5))]
    return [Paragraph(("注：" if i == 1 else "&nbsp;" * 6) + esc(f"{i}. {line}"), _style(8.5))
            for i, line in enumerate(lines, start=1)]


def _signatures(d: SettlementFormData) -> Table:
    width = CONTENT_WIDTH / 3 - 4 * mm
    operator = f"经办人（{d.operator}）" if d.operator else "经办人"
    row = [[SignLine("患者（家属）签字", width), SignLine("日期", width)],
           [SignLine(operator, width), SignLine("日期", width)],
           [SignLine("医疗机构（盖章）", width), SignLine("日期", width)]]
    table = Table([row], colWidths=[CONTENT_WIDTH / 3] * 3)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_font()),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def settlement_flowables(d: SettlementFormData) -> list[Flowable]:
    """The form of one claim on one A4 page (shrunk to fit when the texts are long)."""
    tag = "预估" if d.estimate else ""
    if d.reversed_note:
        tag = "已冲账"
    level = f"（{d.level}）" if d.level else ""
    head = cell_style("settle-head", 9.5, center=True)
    sub = [Paragraph(esc(f"{SUBTITLE}{f'　【{tag}】' if tag else ''}"), cell_style("settle-sub", 11, center=True)),
           Spacer(1, 1 * mm),
           Paragraph(esc(f"医疗机构：{d.hospital or '（未定）'}{level}"), head),
           Paragraph(esc(f"结算单号：{d.settlement_no or '（未填）'}　结算日期：{cn_date(d.settled_on)}"), head)]
    for item in sub:
        if isinstance(item, Paragraph):
            item.style.leftIndent = 25 * mm
    page: list[Any] = [
        care_header(TITLE, d.patient.record_no, sub, title_size=16, qr_size=16 * mm,
                    provisional=d.patient.record_provisional),
        Spacer(1, 1 * mm),
    ]
    if d.reversed_note:
        page.append(Paragraph(esc(d.reversed_note), _style(9.5)))
    page += [
        _heading("一、患者信息"), _patient(d),
        _heading("二、就医信息"), _episode(d),
        _heading("三、费用与报销"), _costs(d), *_waivers(d), Spacer(1, 1.5 * mm), _layers(d),
        Spacer(1, 1.5 * mm), _totals(d),
        _heading("四、本年度累计（含本次）"), _year(d),
        Spacer(1, 1.5 * mm), *_foot(d), Spacer(1, 4 * mm), _signatures(d),
    ]
    footer = f"{TITLE}　{d.patient.name}　健康档案编号 {d.patient.record_no}"
    if d.settlement_no:
        footer += f"　结算单号 {d.settlement_no}"
    return [GroupStart(footer), KeepInFrame(CONTENT_WIDTH, FRAME_HEIGHT, page, mode="shrink"),
            GroupEnd(), PageBreak()]


def render_settlement(data: SettlementFormData, out: Output) -> Path | None:
    """One claim's settlement form as a PDF at out (a path or a binary file)."""
    return build_pdf(iter([settlement_flowables(data)]), out, title=TITLE)
