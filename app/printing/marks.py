"""Marks the national paper forms use: codes in boxes, ticked boxes, circled words, the 编号 boxes.

Each is a flowable that lays its words out itself, so an option such as “2 控制不满意” never
breaks inside a narrow cell; long words that cannot fit a line are the only ones split.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from app.printing.care_layout import printable
from app.printing.fonts import register_font
from app.printing.layout import BLACK

BOX = 3.6 * mm  # a code box big enough to write one digit in by hand
GAP = 1.2 * mm
LINE = 0.5


def option_words(labels: Sequence[str], *, start: int = 1) -> list[str]:
    """The printed option list, one unbreakable word per option: ["1 门诊", "2 家庭", …]."""
    return [f"{i}\u2009{label}" for i, label in enumerate(labels, start=start)]


def draw_box(c: Canvas, x: float, y: float, size: float, text: str = "", *,
             font_size: float = 8.0, tick: bool = False) -> None:
    """A square at (x, y), with a code written in it or a tick drawn in it."""
    c.setLineWidth(LINE)
    c.setStrokeColor(BLACK)
    c.rect(x, y, size, size, stroke=1, fill=0)
    if tick:
        c.setLineWidth(0.9)
        path = c.beginPath()
        path.moveTo(x + size * 0.2, y + size * 0.5)
        path.lineTo(x + size * 0.42, y + size * 0.22)
        path.lineTo(x + size * 0.82, y + size * 0.82)
        c.drawPath(path, stroke=1, fill=0)
        c.setLineWidth(LINE)
    if text:
        c.setFont(register_font(), font_size)
        c.setFillColor(BLACK)
        c.drawCentredString(x + size / 2, y + (size - font_size * 0.72) / 2, text)


def wrap_words(words: Sequence[str], width: float, size: float, *,
               gap: float | None = None) -> list[list[str]]:
    """Words laid into lines no wider than width; a word wider than a line is split by character."""
    font = register_font()
    space = size * 0.6 if gap is None else gap
    lines: list[list[str]] = [[]]
    used = 0.0
    for word in words:
        pieces = [word]
        if stringWidth(word, font, size) > width:
            pieces, piece = [], ""
            for ch in word:
                if piece and stringWidth(piece + ch, font, size) > width:
                    pieces.append(piece)
                    piece = ""
                piece += ch
            pieces.append(piece)
        for piece in pieces:
            w = stringWidth(piece, font, size)
            if lines[-1] and used + space + w > width:
                lines.append([])
                used = 0.0
            used += (space if lines[-1] else 0.0) + w
            lines[-1].append(piece)
    return lines


class Words(Flowable):
    """Words on as many lines as they need, never broken inside a word."""

    def __init__(self, words: Sequence[str], size: float = 6.5, *, leading: float | None = None,
                 center: bool = False) -> None:
        super().__init__()
        self.words = [printable(w) for w in words]
        self.size = size
        self.leading = leading or size * 1.25
        self.center = center
        self.lines: list[list[str]] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.lines = wrap_words(self.words, available_width, self.size) if self.words else []
        self.height = len(self.lines) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        font = register_font()
        c.setFont(font, self.size)
        c.setFillColor(BLACK)
        space = self.size * 0.6
        for n, line in enumerate(self.lines):
            text_width = sum(stringWidth(w, font, self.size) for w in line) + space * (len(line) - 1)
            x = (self.width - text_width) / 2 if self.center else 0.0
            y = self.height - (n + 1) * self.leading + (self.leading - self.size) / 2 + 0.8
            for word in line:
                c.drawString(x, y, word)
                x += stringWidth(word, font, self.size) + space


class ChoiceCell(Flowable):
    """A single-choice item as on the national form: “1 门诊 2 家庭 3 电话 □”, the code in the box.

    `extra` (e.g. what the adverse reaction was) is written under the options.
    """

    def __init__(self, labels: Sequence[str], chosen: int | None = None, *, size: float = 6.5,
                 extra: Paragraph | None = None, words: Sequence[str] | None = None) -> None:
        super().__init__()
        self.options = Words(list(words) if words is not None else option_words(labels), size)
        self.chosen = "" if chosen is None else str(chosen)
        self.extra = extra
        self._oh = self._eh = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        inner = available_width - BOX - GAP
        self._oh = self.options.wrap(inner, available_height)[1]
        self._eh = self.extra.wrap(inner, available_height)[1] if self.extra is not None else 0.0
        self.width = available_width
        self.height = max(self._oh + self._eh, BOX + 1)
        return self.width, self.height

    def draw(self) -> None:
        top = (self.height + self._oh + self._eh) / 2
        self.options.drawOn(self.canv, 0, top - self._oh)
        if self.extra is not None:
            self.extra.drawOn(self.canv, 0, top - self._oh - self._eh)
        draw_box(self.canv, self.width - BOX, (self.height - BOX) / 2, BOX, self.chosen)


class CodeBoxes(Flowable):
    """A multi-choice item's boxes, “□/□/□/□” per line, filled with the chosen codes in order."""

    def __init__(self, codes: Sequence[int], slots: int = 8, per_line: int = 4) -> None:
        super().__init__()
        self.codes = [str(c) for c in codes]
        self.slots = slots
        self.per_line = per_line
        self.slash = 2.0 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        lines = -(-self.slots // self.per_line)
        self.width = available_width
        self.height = lines * (BOX + 1.2 * mm)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        font = register_font()
        row_width = self.per_line * BOX + (self.per_line - 1) * self.slash
        x0 = max(0.0, (self.width - row_width) / 2)
        for slot in range(self.slots):
            row, col = divmod(slot, self.per_line)
            x = x0 + col * (BOX + self.slash)
            y = self.height - (row + 1) * (BOX + 1.2 * mm) + 0.6 * mm
            draw_box(c, x, y, BOX, self.codes[slot] if slot < len(self.codes) else "")
            if col < self.per_line - 1 and slot < self.slots - 1:
                c.setFont(font, 7)
                c.drawCentredString(x + BOX + self.slash / 2, y + 0.8, "/")


class CircledChoice(Flowable):
    """Groups of words with the chosen one circled, e.g. “轻 中 重 / 轻 中 重” for now / goal."""

    def __init__(self, groups: Sequence[tuple[Sequence[str], str]], size: float = 7.0) -> None:
        super().__init__()
        self.groups = [(list(words), chosen) for words, chosen in groups]
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.size * 2.0
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        font = register_font()
        size = self.size
        gap = size * 0.9
        pieces: list[tuple[str, bool]] = []
        for n, (words, chosen) in enumerate(self.groups):
            if n:
                pieces.append(("/", False))
            pieces.extend((w, w == chosen) for w in words)
        total = sum(stringWidth(p, font, size) for p, _ in pieces) + gap * (len(pieces) - 1)
        x = max(0.0, (self.width - total) / 2)
        y = (self.height - size * 0.72) / 2
        c.setFont(font, size)
        c.setFillColor(BLACK)
        c.setLineWidth(0.7)
        for word, circled in pieces:
            w = stringWidth(word, font, size)
            c.drawString(x, y, word)
            if circled:
                c.ellipse(x - 1.3, y - 2.0, x + w + 1.3, y + size * 0.72 + 2.0, stroke=1, fill=0)
            x += w + gap


class TickList(Flowable):
    """Options each behind a box, the chosen ones ticked: “☑ 建议复查 □ 建议转诊”, wrapping as needed."""

    def __init__(self, options: Sequence[tuple[str, bool]], size: float = 9.0) -> None:
        super().__init__()
        self.options = list(options)
        self.size = size
        self.box = size * 1.05
        self.rows: list[list[tuple[str, bool]]] = []

    def _item_width(self, text: str) -> float:
        return self.box + self.size * 0.35 + stringWidth(text, register_font(), self.size)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        gap = self.size * 1.6
        self.rows = [[]]
        used = 0.0
        for option in self.options:
            w = self._item_width(option[0])
            if self.rows[-1] and used + gap + w > available_width:
                self.rows.append([])
                used = 0.0
            used += (gap if self.rows[-1] else 0.0) + w
            self.rows[-1].append(option)
        self.height = len(self.rows) * self.size * 1.7
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        font = register_font()
        line = self.size * 1.7
        for n, row in enumerate(self.rows):
            y = self.height - (n + 1) * line + (line - self.box) / 2
            x = 0.0
            for text, chosen in row:
                draw_box(c, x, y, self.box, tick=chosen)
                c.setFont(font, self.size)
                c.setFillColor(BLACK)
                c.drawString(x + self.box + self.size * 0.35, y + self.box * 0.14, text)
                x += self._item_width(text) + self.size * 1.6


class RecordNoBoxes(Flowable):
    """The form header's “编号□□□-□□□□□”: the 8-digit short record number, one digit a box."""

    def __init__(self, short_no: str, label: str = "编号", size: float = 10.0) -> None:
        super().__init__()
        self.label = label
        self.short_no = short_no
        self.size = size
        self.box = size * 0.5 * mm  # 5 mm at 10 pt: room for a handwritten digit
        self.width = stringWidth(label, register_font(), size) + 1.5 * mm + 9 * self.box
        self.height = self.box + 1.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        font = register_font()
        c.setFont(font, self.size)
        c.setFillColor(BLACK)
        c.drawString(0, (self.box - self.size * 0.72) / 2 + 0.5, self.label)
        x = stringWidth(self.label, font, self.size) + 1.5 * mm
        digits = self.short_no.replace("-", "")
        head, tail = digits[:3].ljust(3), digits[3:].ljust(5)
        for ch in head:
            draw_box(c, x, 0.5, self.box, ch.strip(), font_size=self.size)
            x += self.box
        c.setFont(font, self.size)
        c.drawCentredString(x + self.box / 2, (self.box - self.size * 0.72) / 2 + 0.5, "-")
        x += self.box
        for ch in tail:
            draw_box(c, x, 0.5, self.box, ch.strip(), font_size=self.size)
            x += self.box


class MinHeight(Flowable):
    """Another flowable, given at least `height` so a table row leaves room to write by hand."""

    def __init__(self, inner: Flowable, height: float, *, top: bool = False) -> None:
        super().__init__()
        self.inner = inner
        self.min_height = height
        self.top = top
        self._ih = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, self._ih = self.inner.wrap(available_width, available_height)
        self.width = available_width
        self.height = max(self._ih, self.min_height)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height - self._ih if self.top else (self.height - self._ih) / 2
        self.inner.drawOn(self.canv, 0, y)
