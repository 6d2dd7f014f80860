"""转诊单 as the 双向转诊（转出）单 of the health-record forms: the clinic keeps the stub (存根),
the patient takes the slip below the cut line to the receiving hospital. One A4 page."""

from __future__ import annotations

from collections.abc import Sequence
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

from app.core.errors import ValidationError
from app.printing.care_layout import care_header, cell_style, esc, keep_spaces
from app.printing.care_models import Patient, ReferralData
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
    draw_text,
    field_grid,
)
from app.printing.marks import MinHeight

TITLE = "双向转诊（转出）单"
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN
BLANK = "\u3000" * 6


def _filled(value: str) -> str:
    """A filled-in blank of the sentence, underlined like handwriting on the printed line."""
    return f"<u>&nbsp;{keep_spaces(value)}&nbsp;</u>" if value else f"<u>{keep_spaces(BLANK)}</u>"


class TextLine(SignLine):
    """Text standing on the same baseline as the signature lines beside it, with no rule."""

    def draw(self) -> None:
        self.canv.setFillColor(BLACK)
        draw_text(self.canv, 0, 3 * mm, self.label, 10)


class CutLine(Flowable):
    """A dashed line across the page with “沿此虚线剪开” in the middle."""

    def __init__(self, width: float = CONTENT_WIDTH, height: float = 9 * mm) -> None:
        super().__init__()
        self.width = width
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        font = register_font()
        text = "沿此虚线剪开（上联存根，下联交患者）"
        size = 8.0
        text_width = c.stringWidth(text, font, size)
        y = self.height / 2
        c.setFont(font, size)
        c.setFillColor(BLACK)
        c.drawCentredString(self.width / 2, y - size * 0.35, text)
        c.setStrokeColor(BLACK)
        c.setLineWidth(0.6)
        c.setDash(3, 2)
        gap = 2 * mm
        c.line(0, y, (self.width - text_width) / 2 - gap, y)
        c.line((self.width + text_width) / 2 + gap, y, self.width, y)
        c.setDash()


def _age(patient: Patient) -> str:
    return f"{patient.age}岁" if patient.age is not None else ""


def _body(text: str, size: float = 10.5) -> Paragraph:
    return Paragraph(text, cell_style("referral-body", size, leading=size * 1.75))


def _person_grid(p: Patient, referral_no: str) -> Table:
    return field_grid([("患者姓名", p.name), ("性别", p.sex), ("年龄", _age(p)),
                       ("档案编号", p.shown_record_no), ("联系电话", p.phone),
                       ("转诊编号", referral_no), ("家庭住址", p.address)],
                      columns=3, label_width=19 * mm, spans=("家庭住址",))


def _signs(lines: Sequence[Flowable], left: Sequence[Flowable] = ()) -> Table:
    """Signature lines at the right of the page, one under the other; `left` beside them."""
    rows = [[left[i] if i < len(left) else "", line] for i, line in enumerate(lines)]
    table = Table(rows, colWidths=[CONTENT_WIDTH * 0.45, CONTENT_WIDTH * 0.55],
                  rowHeights=[8.5 * mm] * len(lines))
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_font()),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _when(data: ReferralData) -> str:
    return cn_date(data.referred_on)


def _stub(data: ReferralData) -> list[Flowable]:
    p = data.patient
    urgent = "【紧急转诊】" if data.urgent else ""
    sentence = (f"于 {_filled(cn_date(data.referred_on))}"
                f" 因 {_filled(data.reason)}，转入 {_filled(data.to_hospital)}"
                f" {_filled(data.to_department)} 科室。")
    subtitle = Paragraph(esc(f"存　根{urgent}"), cell_style("referral-sub", 11, center=True))
    subtitle.style.leftIndent = 25 * mm
    return [
        care_header(TITLE, p.record_no, [subtitle], title_size=15, qr_size=14 * mm,
                    provisional=p.record_provisional),
        Spacer(1, 1.5 * mm),
        _person_grid(p, data.referral_no),
        Spacer(1, 2 * mm),
        _body(sentence),
        _signs([SignLine(f"转诊医生（签字）（{data.from_doctor}）", CONTENT_WIDTH * 0.55),
                SignLine(f"日期：{_when(data)}", CONTENT_WIDTH * 0.55)],
               [SignLine("接诊医生", CONTENT_WIDTH * 0.4)]),
    ]


def _box(label: str, text: str, height: float) -> Table:
    """A labelled box for one part of the history, tall enough to write in when left empty."""
    body = MinHeight(Paragraph(esc(text), cell_style("referral-text", 10, leading=15)), height,
                     top=True)
    table = Table([[Paragraph(label, cell_style("referral-label", 9.5)), body]],
                  colWidths=[30 * mm, CONTENT_WIDTH - 30 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("BOX", (0, 0), (-1, -1), 0.5, BLACK),
        ("LINEAFTER", (0, 0), (0, 0), 0.5, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _slip(data: ReferralData) -> list[Flowable]:
    p = data.patient
    urgent = "【紧急转诊】" if data.urgent else ""
    dept = f"{data.to_department}" if data.to_department else ""
    intro = (f"{_filled(data.to_hospital)}：<br/>"
             f"\u00a0\u00a0\u00a0\u00a0现有患者 {_filled(p.name)} 性别 {_filled(p.sex)} 年龄 "
             f"{_filled(_age(p))}，因 {_filled(data.reason)}，需转入贵单位"
             f" {_filled(dept)} 科室，请予以接诊。")
    subtitle = Paragraph(esc(f"转出单{urgent}"), cell_style("referral-sub2", 11, center=True))
    subtitle.style.leftIndent = 25 * mm
    out: list[Flowable] = [
        care_header(TITLE, p.record_no, [subtitle], title_size=15, qr_size=16 * mm,
                    provisional=p.record_provisional),
        Spacer(1, 1.5 * mm),
        _body(intro),
        Spacer(1, 1.5 * mm),
        field_grid([("档案编号", p.shown_record_no), ("联系电话", p.phone), ("家庭住址", p.address)],
                   columns=2, label_width=18 * mm, spans=("家庭住址",)),
        Spacer(1, 2 * mm),
    ]
    for label, text, height in (("初步印象", data.impression, 12 * mm),
                                ("主要现病史<br/>（转出原因）", data.present_history, 22 * mm),
                                ("主要既往史", data.past_history, 16 * mm),
                                ("治疗经过", data.treatment, 22 * mm)):
        out.append(_box(label, text, height))
    out += [
        Spacer(1, 1 * mm),
        _signs([SignLine(f"转诊医生（签字）（{data.from_doctor}）", CONTENT_WIDTH * 0.55),
                TextLine(f"联系电话：{data.from_phone}", CONTENT_WIDTH * 0.55),
                TextLine(f"转出机构（盖章）：{data.from_clinic}", CONTENT_WIDTH * 0.55),
                SignLine(f"日期：{_when(data)}", CONTENT_WIDTH * 0.55)]),
    ]
    return out


def referral_flowables(data: ReferralData) -> list[Flowable]:
    """The stub and the slip of one referral on one A4 page (shrunk to fit if the texts are long)."""
    if not data.reason.strip():
        raise ValidationError("转诊单须写明转诊原因。", field="reason")
    page: list[Any] = [*_stub(data), CutLine(), *_slip(data)]
    footer = f"{TITLE}　{data.patient.name}　健康档案编号 {data.patient.record_no}"
    if data.referral_no:
        footer += f"　转诊编号 {data.referral_no}"
    return [GroupStart(footer), KeepInFrame(CONTENT_WIDTH, FRAME_HEIGHT, page, mode="shrink"),
            GroupEnd(), PageBreak()]


def render_referral(data: ReferralData, out: Output) -> Path | None:
    """One referral (stub and slip) as a PDF at out (a path or a binary file)."""
    return build_pdf(iter([referral_flowables(data)]), out, title=TITLE)
