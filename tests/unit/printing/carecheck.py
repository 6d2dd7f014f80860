"""More of what a reader of a care printout sees: the fonts pdffonts lists, glyphs, codes in boxes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from app.printing.fonts import has_glyphs, register_font

DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def pdffonts(path: Path) -> list[tuple[str, str]]:
    """(name, emb) of every font poppler's pdffonts lists."""
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is not installed")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def only_embedded_wenquanyi(path: Path) -> bool:
    """Every font in the file is an embedded subset of WenQuanYi Micro Hei."""
    fonts = pdffonts(path)
    return bool(fonts) and all("WenQuanYiMicroHei" in name and emb == "yes" for name, emb in fonts)


def blank_glyphs(text: str) -> set[str]:
    """Characters of text the font maps to an outline with nothing in it (they print as nothing)."""
    face = pdfmetrics.getFont(register_font()).face
    blank = set()
    for ch in {c for c in text if not c.isspace()}:
        glyph = face.charToGlyph.get(ord(ch))
        if glyph is not None and face.glyphPos[glyph + 1] == face.glyphPos[glyph]:
            blank.add(ch)
    return blank


def missing_glyphs(path: Path) -> set[str]:
    """Printed characters the embedded font cannot draw: no glyph at all, or an empty one."""
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    chars = "".join(sorted({ch for ch in text if not ch.isspace()}))
    return {ch for ch, ok in has_glyphs(chars).items() if not ok} | blank_glyphs(chars)


def lines(text: str) -> list[str]:
    """The extracted text's lines, stripped, empty ones dropped; thin spaces read as spaces."""
    return [line.replace("\u2009", " ").strip() for line in text.splitlines() if line.strip()]


def codes_after(text: str, last_option: str) -> list[str]:
    """The code written in the box after each printing of an option list ("" for an empty box).

    On the sheets a single-choice cell prints its options, then the chosen code; an empty box
    prints nothing, so the next line is the next cell's first option.
    """
    ls = lines(text)
    return [ls[i + 1] if i + 1 < len(ls) and ls[i + 1].isdigit() else ""
            for i, line in enumerate(ls) if line == last_option]


def symptom_codes(text: str) -> list[list[str]]:
    """The codes in each visit's symptom boxes, in column order."""
    ls = lines(text)
    start = next(i for i, line in enumerate(ls) if line.startswith("9 ")) + 1
    cells: list[list[str]] = [[]]
    for line in ls[start:]:
        if line.startswith("其他："):
            if len(cells) == 4:
                break
            cells.append([])
        elif line.isdigit():
            cells[-1].append(line)
    return cells


def dates(text: str) -> list[tuple[int, int, int]]:
    """Every 年月日 date in the text, in the order printed."""
    return [(int(y), int(m), int(d)) for y, m, d in DATE.findall(text)]


def y_of(path: Path, needle: str, page: int = 0) -> float:
    """The height on the page where a text run containing needle starts."""
    found: list[float] = []

    def visit(text, cm, tm, font, size):
        if needle in text:
            found.append(tm[5] * cm[3] + cm[5])

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    if not found:
        raise AssertionError(f"{needle!r} is not on page {page + 1}")
    return found[0]
