"""Pieces the care printouts share: a compact title with the record's QR code, number and date text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus import paragraph as _paragraph

from app.core.identity import PROVISIONAL_MARK
from app.printing import layout
from app.printing.fonts import register_font
from app.printing.layout import CONTENT_WIDTH, QrCode, styles

# ReportLab's CJK wrapping keeps Japanese closing punctuation off the start of a line but not the
# full-width Chinese marks; add them (both wrapping paths read the list), so no line of a
# printout starts with “，” or “；”.
CHINESE_CANNOT_START = "，。、；：！？）》」』】〕…"
_textsplit.ALL_CANNOT_START = _paragraph.ALL_CANNOT_START = "".join(
    dict.fromkeys(_textsplit.ALL_CANNOT_START + CHINESE_CANNOT_START))


# Characters the bundled font maps to an empty outline (they would print as nothing), and what
# to print instead.
BLANK_GLYPHS = {"℃": "°C"}


def printable(text: str) -> str:
    """Text with the characters the font cannot draw replaced by ones it can."""
    for char, instead in BLANK_GLYPHS.items():
        text = text.replace(char, instead)
    return text


def esc(text: object) -> str:
    """Printable text made safe for a Paragraph's mini-markup."""
    return layout.esc(printable(str(text)))


def num(value: Decimal | int | str | None) -> str:
    """A number as written on a form: no exponent, no trailing zeros; empty for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def day(d: date | None) -> str:
    """A date in a narrow column: 2024年3月5日, or empty."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def mask_id(id_no: str) -> str:
    """An ID number as printed on paper the person takes away: 622923********0013."""
    text = id_no.strip()
    if len(text) <= 4:
        return text
    keep = 6 if len(text) >= 15 else 0
    return text[:keep] + "*" * (len(text) - keep - 4) + text[-4:]


def keep_spaces(text: str) -> str:
    """Markup-safe text whose full-width spaces survive (a Paragraph collapses U+3000 runs)."""
    return esc(text).replace("\u3000", "\u00a0\u00a0")


def cell_style(name: str, size: float, *, center: bool = False,
               leading: float | None = None) -> ParagraphStyle:
    """The shared cell style at another size."""
    return ParagraphStyle(name, parent=styles().cell, fontSize=size,
                          leading=leading or size * 1.25,
                          alignment=TA_CENTER if center else 0)


def care_header(title: str, record_no: str, below: Sequence[Flowable] = (), *,
                title_size: float = 16, qr_size: float = 16 * mm,
                width: float = CONTENT_WIDTH, provisional: bool = False) -> Table:
    """The title centred on the page, lines under it, and at the right the QR code of the
    17-digit record number with the number printed under it (a provisional one marked （临）
    on the line after it, which the narrow column has no room for beside it; the QR code holds
    the bare number)."""
    qr_w = max(qr_size, 25 * mm)
    title_style = ParagraphStyle("care-title", parent=styles().title, fontSize=title_size,
                                 leading=title_size * 1.25, spaceAfter=0, leftIndent=qr_w)
    tiny = cell_style("care-qr-no", 6.5, center=True)
    right: list[Flowable] = []
    if record_no:
        right = [QrCode(record_no, qr_size),
                 Paragraph(f"健康档案编号<br/>{esc(record_no)}"
                           f"{'<br/>' + PROVISIONAL_MARK if provisional else ''}", tiny)]
    left: list[Flowable] = [Paragraph(esc(title), title_style)]
    if below:
        left += [Spacer(1, 2.5 * mm), *below]
    table = Table([[left, right]], colWidths=[width - qr_w, qr_w])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
        ("VALIGN", (1, 0), (1, 0), "TOP"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
    ]))
    return table
