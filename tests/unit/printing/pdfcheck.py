"""What a reader of the PDF sees: text, text positions, fonts, page size."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from app.printing.layout import SAFE_MARGIN


def page_texts(path: Path) -> list[str]:
    """The extracted text of every page."""
    return [page.extract_text() for page in PdfReader(path).pages]


def text_outside_margins(path: Path) -> list[tuple[int, str, float, float]]:
    """Text runs whose start lies closer to the paper's edge than the safe margin."""
    bad: list[tuple[int, str, float, float]] = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        box = page.mediabox
        left, bottom = float(box.left) + SAFE_MARGIN, float(box.bottom) + SAFE_MARGIN
        right, top = float(box.right) - SAFE_MARGIN, float(box.top) - SAFE_MARGIN

        def visit(text, cm, tm, font, size, number=number, left=left, right=right,
                  bottom=bottom, top=top):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if not (left - 0.5 <= x <= right and bottom <= y <= top):
                bad.append((number, text, x, y))

        page.extract_text(visitor_text=visit)
    return bad


def fonts_without_embedding(path: Path) -> list[str]:
    """Base names of fonts used on any page that carry no embedded font file."""
    missing: list[str] = []
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for child in font.get("/DescendantFonts", []):
                descriptors.append(child.get_object().get("/FontDescriptor"))
            embedded = any(
                d is not None and any(k in d.get_object() for k in ("/FontFile", "/FontFile2",
                                                                      "/FontFile3"))
                for d in descriptors)
            if not embedded:
                missing.append(str(font.get("/BaseFont")))
    return missing


def page_sizes(path: Path) -> set[tuple[int, int]]:
    """Rounded (width, height) in points of every page."""
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in PdfReader(path).pages}
