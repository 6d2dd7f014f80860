"""The embedded CJK fonts for every printout: WenQuanYi Micro Hei, Hanazono for rare characters.

A character the main font lacks is drawn in the first fallback font that has it (CJK Extension A,
then Extension B); a character no font has is refused with its name, never printed blank.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.core.errors import CunyiError

FONT_NAME = "CunyiCJK"
BUNDLED_FILE = "wqy-microhei.ttc"

# Registered at run time only; SimSun and YaHei must not be redistributed.
SYSTEM_FONTS: tuple[str, ...] = (
    r"C:\Windows\Fonts\simsun.ttc",
    r"C:\Windows\Fonts\msyh.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


# Fallbacks, in order: (ReportLab name, bundled file, system files used when it is missing).
FALLBACKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("CunyiExtA", "HanaMinA-extA.ttf", ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",)),
    ("CunyiExtB", "HanaMinB-extB.ttf", ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
                                        r"C:\Windows\Fonts\simsunb.ttf")),
)
# Drawn as space by every font; never looked up.
SPACES = frozenset(" \t\n\r\u00a0\u3000")


class FontMissingError(CunyiError):
    """No embeddable Chinese TrueType font was found, so nothing can be printed."""


class UnprintableCharError(CunyiError):
    """A character no font has: printing it would leave a blank where text stands."""


def unprintable(ch: str, text: str) -> UnprintableCharError:
    """The one-line refusal naming the character and the text (a name, an address) it is in."""
    shown = text if len(text) <= 24 else text[max(0, text.index(ch) - 10):text.index(ch) + 10]
    return UnprintableCharError(
        f"无法打印“{shown}”：其中的字“{ch}”（U+{ord(ch):04X}）没有任何字体能印出，"
        "印出来会是空白；请核对这个字，或换用常用字后再打印")


class CheckedTTFont(TTFont):
    """A TrueType font that refuses a character it has no glyph for instead of drawing a blank."""

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        if isinstance(text, str):
            cmap = self.face.charToGlyph
            for ch in set(text):
                if ch not in SPACES and ord(ch) not in cmap and ord(ch) >= 32:
                    raise unprintable(ch, text)
        return super().splitString(text, doc, encoding)


def resource_dirs() -> list[Path]:
    """The resources folders to look in: the PyInstaller bundle first, then the source tree."""
    dirs: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.append(Path(frozen) / "resources")
    dirs.append(Path(__file__).resolve().parents[2] / "resources")
    return dirs


def resource_path(*parts: str) -> Path | None:
    """The first existing resources/<parts> file, or None."""
    for base in resource_dirs():
        candidate = base.joinpath(*parts)
        if candidate.is_file():
            return candidate
    return None


def font_candidates(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Font files to try in order: caller's choice, the bundled font, then system fonts."""
    out = [Path(p) for p in extra]
    bundled = resource_path("fonts", BUNDLED_FILE)
    if bundled is not None:
        out.append(bundled)
    out.extend(Path(p) for p in SYSTEM_FONTS)
    return out


_registered_path: Path | None = None


def register_font(extra: Iterable[str | Path] = ()) -> str:
    """Register the CJK font once (face 0 of the collection) and return its ReportLab name."""
    global _registered_path
    if _registered_path is not None:
        return FONT_NAME
    tried: list[str] = []
    for path in font_candidates(extra):
        if not path.is_file():
            tried.append(str(path))
            continue
        try:
            font = CheckedTTFont(FONT_NAME, str(path), subfontIndex=0)
        except TTFError as exc:
            tried.append(f"{path} ({exc})")
            continue
        pdfmetrics.registerFont(font)
        _registered_path = path
        return FONT_NAME
    raise FontMissingError(
        "找不到可嵌入的中文字体，无法打印。请重新安装程序，或安装宋体/微软雅黑。已查找：" + "；".join(tried))


def registered_font_path() -> Path | None:
    """The file the CJK font was registered from, once registered."""
    return _registered_path


def has_glyphs(text: str) -> dict[str, bool]:
    """Whether the main font has a glyph for each character of text."""
    register_font()
    face = pdfmetrics.getFont(FONT_NAME).face
    cmap: dict[int, int] = face.charToGlyph
    return {ch: ord(ch) in cmap for ch in text}


_fallbacks: list[tuple[str, dict[int, int]]] | None = None


def fallback_fonts() -> list[tuple[str, dict[int, int]]]:
    """The fallback fonts found (registered on first need), each with its character map."""
    global _fallbacks
    if _fallbacks is None:
        found: list[tuple[str, dict[int, int]]] = []
        for name, bundled, system in FALLBACKS:
            here = resource_path("fonts", bundled)
            for path in ([here] if here else []) + [Path(p) for p in system]:
                if not path.is_file():
                    continue
                try:
                    font = CheckedTTFont(name, str(path))
                except TTFError:
                    continue
                pdfmetrics.registerFont(font)
                found.append((name, font.face.charToGlyph))
                break
        _fallbacks = found
    return _fallbacks


def font_runs(text: str) -> list[tuple[str, str]]:
    """text cut into (font name, run) pieces, each character in the first font that has it.

    Raises UnprintableCharError naming the character and the text when no font has one.
    """
    main = register_font()
    cmap: dict[int, int] = pdfmetrics.getFont(main).face.charToGlyph
    if all(ord(ch) in cmap or ch in SPACES or ord(ch) < 32 for ch in set(text)):
        return [(main, text)] if text else []
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = main
        if ch not in SPACES and ord(ch) >= 32 and ord(ch) not in cmap:
            font = next((name for name, fmap in fallback_fonts() if ord(ch) in fmap), "")
            if not font:
                raise unprintable(ch, text)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs
