"""Shared A4 layout: styles, title block with QR, field grids, tables, signature lines, page footers."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.core.errors import CunyiError
from app.printing.concat import PdfConcatenator
from app.printing.fonts import font_runs, register_font

PAGE_WIDTH, PAGE_HEIGHT = A4
BATCH_PART = 40  # documents laid out per temporary file in a long batch
SAFE_MARGIN = 15 * mm  # nothing is printed closer to the paper's edge than this
SIDE_MARGIN = 18 * mm
TOP_MARGIN = 16 * mm
BOTTOM_MARGIN = 24 * mm  # room for the footer line inside the safe margin
FOOTER_BASELINE = SAFE_MARGIN + 3 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN

BLACK = colors.black

Output = str | Path | IO[bytes]


class PrintCancelled(CunyiError):
    """The doctor stopped a batch print before it finished."""


@dataclass(frozen=True)
class Styles:
    """The paragraph styles every form uses, all in the embedded CJK font."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    label: ParagraphStyle


_styles: Styles | None = None


def styles() -> Styles:
    """The shared styles (the font is registered on first use)."""
    global _styles
    if _styles is None:
        font = register_font()

        def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading,
                                  wordWrap="CJK", textColor=BLACK, **kw)

        _styles = Styles(
            title=style("title", 18, 24, alignment=TA_CENTER, spaceAfter=2 * mm),
            subtitle=style("subtitle", 10, 14, alignment=TA_CENTER),
            heading=style("heading", 11.5, 15, spaceBefore=2.5 * mm, spaceAfter=1 * mm),
            body=style("body", 10, 14.5, alignment=TA_LEFT, spaceAfter=0.8 * mm),
            small=style("small", 8.5, 12),
            cell=style("cell", 9, 12.5),
            cell_center=style("cell_center", 9, 12.5, alignment=TA_CENTER),
            cell_right=style("cell_right", 9, 12.5, alignment=TA_RIGHT),
            label=style("label", 9, 12.5),
        )
    return _styles


def esc(text: object) -> str:
    """Text made safe for a Paragraph's mini-markup, rare characters in a fallback font that has them."""
    main = register_font()
    out: list[str] = []
    for font, run in font_runs(str(text)):
        safe = run.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(safe if font == main else f'<font name="{font}">{safe}</font>')
    return "".join(out)


def text_width(text: str, size: float) -> float:
    """The printed width of text at size, each run measured in the font it is drawn in."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(run, font, size) for font, run in font_runs(text))


def draw_text(c: Canvas, x: float, y: float, text: str, size: float, *, anchor: str = "start") -> None:
    """Canvas text with rare characters in a fallback font; anchor is start, middle or end."""
    if anchor != "start":
        x -= text_width(text, size) / (2 if anchor == "middle" else 1)
    for font, run in font_runs(text):
        c.setFont(font, size)
        c.drawString(x, y, run)
        x += c.stringWidth(run, font, size)


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A wrapping paragraph of plain text."""
    return Paragraph(esc(text), style or styles().body)


def blank_date() -> str:
    """The 年 月 日 line filled in by hand."""
    return "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"


def cn_date(d: date | None) -> str:
    """A date the Chinese way, or the blank line when there is none."""
    return f"{d.year}年{d.month}月{d.day}日" if d else blank_date()


class QrCode(Flowable):
    """A black-on-white QR code of payload, drawn as plain squares (no font enters the PDF)."""

    def __init__(self, payload: str, size: float = 24 * mm) -> None:
        super().__init__()
        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(payload)
        qr.make()
        count = qr.getModuleCount()
        self.payload = payload
        self.modules = [(r, c) for r in range(count) for c in range(count) if qr.isDark(r, c)]
        self.count = count
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        quiet = 2  # modules of white border, inside the flowable's box
        cell = self.width / (self.count + 2 * quiet)
        c = self.canv
        c.setFillColor(BLACK)
        path = c.beginPath()
        for r, col in self.modules:
            path.rect((col + quiet) * cell, self.height - (r + quiet + 1) * cell, cell, cell)
        c.drawPath(path, stroke=0, fill=1)


def title_block(title: str, record_label: str, record_no: str, *, tag: str = "",
                lines: Sequence[str] = (), shown: str = "") -> Table:
    """The form title with subtitle lines on the left and the record QR (plus its number, or
    `shown` for it, e.g. with the （临） mark) on the right."""
    st = styles()
    qr_size = 24 * mm
    left: list[Flowable] = []
    if tag:
        left.append(Paragraph(f"<para alignment='right'>【{esc(tag)}】</para>", st.body))
    left.append(para(title, st.title))
    left.extend(para(line, st.subtitle) for line in lines)
    tiny = ParagraphStyle("qr", parent=st.small, fontSize=7.5, leading=9.5, alignment=TA_CENTER)
    right: list[Flowable] = [QrCode(record_no, qr_size), para(record_label, tiny),
                             para(shown or record_no, tiny)]
    qr_col = 44 * mm
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH - qr_col, qr_col])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, BLACK),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
    ]))
    return table


def field_grid(pairs: Sequence[tuple[str, object]], columns: int = 2, *,
               label_width: float = 22 * mm, width: float = CONTENT_WIDTH,
               spans: Sequence[str] = ()) -> Table:
    """Label/value pairs in `columns` columns; values wrap; labels in `spans` take a whole row."""
    st = styles()
    value_width = width / columns - label_width
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    current: list[Any] = []
    for label, value in pairs:
        cells = [para(label, st.label), para(value if value not in (None, "") else "", st.cell)]
        if label in spans:
            if current:
                rows.append(current + [""] * (2 * columns - len(current)))
                current = []
            row = len(rows)
            rows.append(cells + [""] * (2 * columns - 2))
            commands.append(("SPAN", (1, row), (-1, row)))
            continue
        current.extend(cells)
        if len(current) == 2 * columns:
            rows.append(current)
            current = []
    if current:
        rows.append(current + [""] * (2 * columns - len(current)))
    widths = [label_width, value_width] * columns
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("GRID", (0, 0), (-1, -1), 0.5, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *commands,
    ]))
    return table


def data_table(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
               *, align: Sequence[str] = (), total_row: bool = False) -> Table:
    """A ruled table with a header row repeated on every page; cells wrap; align is L/C/R per column."""
    st = styles()
    by_align = {"L": st.cell, "C": st.cell_center, "R": st.cell_right}
    aligns = list(align) or ["L"] * len(header)
    data: list[list[Any]] = [[para(h, st.cell_center) for h in header]]
    for row in rows:
        data.append([para(v if v is not None else "", by_align[aligns[i]])
                     for i, v in enumerate(row)])
    table = Table(data, colWidths=list(widths), repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("GRID", (0, 0), (-1, -1), 0.5, BLACK),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, BLACK))
    table.setStyle(TableStyle(commands))
    return table


def signature_block(parties: Sequence[tuple[str, Sequence[str]]]) -> Table:
    """Side-by-side signature columns: a party heading, then lines to sign on, each with room to write."""
    st = styles()
    width = CONTENT_WIDTH / len(parties)
    column_cells: list[list[Flowable]] = []
    for heading, lines in parties:
        cells: list[Flowable] = [para(heading, st.body), Spacer(1, 2 * mm)]
        for line in lines:
            cells.append(SignLine(line, width - 8 * mm))
        column_cells.append(cells)
    table = Table([column_cells], colWidths=[width] * len(parties))
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


class SignLine(Flowable):
    """A label followed by a rule to write on, e.g. “签字：________”."""

    def __init__(self, label: str, width: float, height: float = 11 * mm) -> None:
        super().__init__()
        self.label = label
        self.width = width
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        font = register_font()
        c = self.canv
        c.setFont(font, 10)
        c.setFillColor(BLACK)
        baseline = 3 * mm
        if self.label.endswith("日") and "年" in self.label:
            draw_text(c, 0, baseline, self.label, 10)
            return
        draw_text(c, 0, baseline, self.label + "：", 10)
        start = text_width(self.label + "：", 10)
        c.setLineWidth(0.6)
        c.line(start, baseline - 1.5, self.width, baseline - 1.5)


class GroupStart(Flowable):
    """Marks the first page of a printed piece (one copy) and sets its footer text."""

    def __init__(self, footer: str) -> None:
        super().__init__()
        self.footer = footer
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.cunyi_footer = self.footer


class GroupEnd(Flowable):
    """Marks the last page of a printed piece, so its pages can be numbered 第 x 页 共 y 页."""

    width = height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.cunyi_group_end = True


class GroupedCanvas(Canvas):
    """Holds back the pages of one printed piece until it ends, then numbers them within the piece."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or register_font()
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self.cunyi_footer = ""
        self.cunyi_group_end = False

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        ended = self.cunyi_group_end
        self._startPage()
        if ended:
            self._flush()

    def _flush(self) -> None:
        held, self._held = self._held, []
        total = len(held)
        for number, state in enumerate(held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            Canvas.showPage(self)
        self._held = []
        self.cunyi_group_end = False

    def _draw_footer(self, number: int, total: int) -> None:
        font = register_font()
        self.saveState()
        self.setFont(font, 8.5)
        self.setFillColor(BLACK)
        self.setLineWidth(0.5)
        self.line(SIDE_MARGIN, FOOTER_BASELINE + 4 * mm, PAGE_WIDTH - SIDE_MARGIN,
                  FOOTER_BASELINE + 4 * mm)
        draw_text(self, SIDE_MARGIN, FOOTER_BASELINE, self.cunyi_footer, 8.5)
        self.setFont(font, 8.5)
        self.drawRightString(PAGE_WIDTH - SIDE_MARGIN, FOOTER_BASELINE,
                             f"第 {number} 页  共 {total} 页")
        self.restoreState()

    def save(self) -> None:
        if self._held:
            self._flush()
        super().save()


class LazyStory:
    """The list interface ReportLab's build loop uses, filled one document at a time from a generator."""

    def __init__(self, chunks: Iterator[list[Flowable]]) -> None:
        self._chunks = chunks
        self._buf: list[Flowable] = []
        self._next: list[Flowable] | None = None
        self._pull()

    def _pull(self) -> None:
        self._next = next(self._chunks, None)

    def _fill(self, n: int) -> None:
        while len(self._buf) < n and self._next is not None:
            self._buf.extend(self._next)
            self._pull()

    def __len__(self) -> int:
        self._fill(1)
        return len(self._buf) + (len(self._next) if self._next is not None else 0)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            self._fill(index.stop if index.stop is not None else len(self))
        else:
            self._fill(index + 1)
        return self._buf[index]

    def __setitem__(self, index: Any, value: Any) -> None:
        self._buf[index] = value

    def __delitem__(self, index: Any) -> None:
        self._fill(index.stop if isinstance(index, slice) and index.stop else 1)
        del self._buf[index]

    def insert(self, index: int, value: Flowable) -> None:
        self._buf.insert(index, value)


def build_pdf(chunks: Iterator[list[Flowable]], out: Output, *, title: str) -> Path | None:
    """Lay out the chunks (one printed document each) on A4 into out; a Path when out is a path."""
    register_font()
    target: Any = str(out) if isinstance(out, (str, Path)) else out
    doc = BaseDocTemplate(target, pagesize=A4, leftMargin=SIDE_MARGIN, rightMargin=SIDE_MARGIN,
                          topMargin=TOP_MARGIN, bottomMargin=BOTTOM_MARGIN, title=title,
                          author="村医", creator="村医", invariant=True)
    frame = Frame(SIDE_MARGIN, BOTTOM_MARGIN, CONTENT_WIDTH,
                  PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="a4", frames=[frame])])
    try:
        doc.build(LazyStory(chunks), canvasmaker=GroupedCanvas)
    except PrintCancelled:
        if isinstance(out, (str, Path)):
            Path(out).unlink(missing_ok=True)
        raise
    return Path(out) if isinstance(out, (str, Path)) else None


def batch_chunks(items: Iterable[Any], make: Callable[[Any], list[Flowable]],
                 progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None, *,
                 total: int | None = None, start: int = 0) -> Iterator[list[Flowable]]:
    """One chunk of flowables per item, made only when the layout reaches it; counts from `start`."""
    if total is None:
        total = start + len(items) if isinstance(items, Sized) else 0
    done = start
    for item in items:
        if cancel is not None and cancel():
            raise PrintCancelled("已取消打印。")
        if progress is not None:
            progress(done, total)
        yield make(item)
        done += 1
    if progress is not None:
        progress(done, max(total, done))


def build_batch(items: Iterable[Any], make: Callable[[Any], list[Flowable]], out: Output, *,
                title: str, progress: Callable[[int, int], None] | None = None,
                cancel: Callable[[], bool] | None = None, total: int | None = None,
                part: int | None = None) -> Path | None:
    """Many documents in one PDF, laid out `part` at a time into temporary files and concatenated.

    ReportLab holds a document's finished pages until it is saved; parts keep that bounded, so
    memory stays flat however long the batch. Each document lies wholly within one part, so its
    pages are numbered as before.
    """
    it = iter(items)
    size = part or BATCH_PART
    parts = iter(lambda: list(itertools.islice(it, size)), [])
    first, second = next(parts, []), next(parts, [])
    if not second:
        return build_pdf(batch_chunks(first, make, progress, cancel, total=total), out, title=title)
    if total is None and isinstance(items, Sized):
        total = len(items)
    path = Path(out) if isinstance(out, (str, Path)) else None
    sink: IO[bytes] = path.open("wb") if path is not None else out  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory(prefix="cunyi-print-") as tmp:
            merged = PdfConcatenator(sink, title=title)
            done = 0
            for chunk in itertools.chain([first, second], parts):
                piece = Path(tmp) / "part.pdf"
                build_pdf(batch_chunks(chunk, make, progress, cancel, total=total, start=done),
                          piece, title=title)
                merged.add(piece)
                done += len(chunk)
            merged.close()
    except BaseException:
        if path is not None:
            sink.close()
            path.unlink(missing_ok=True)
        raise
    if path is not None:
        sink.close()
    return path
