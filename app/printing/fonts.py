"""The embedded CJK font for every printout: bundled WenQuanYi Micro Hei, else a system TrueType."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

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


class FontMissingError(CunyiError):
    """No embeddable Chinese TrueType font was found, so nothing can be printed."""


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
            font = TTFont(FONT_NAME, str(path), subfontIndex=0)
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
    """Whether the registered font has a glyph for each character of text."""
    register_font()
    face = pdfmetrics.getFont(FONT_NAME).face
    cmap: dict[int, int] = face.charToGlyph
    return {ch: ord(ch) in cmap for ch in text}
