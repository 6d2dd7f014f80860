"""The bundled Chinese font: found, embedded, and covering the rare characters of medical forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.printing import fonts


def test_bundled_font_is_used():
    fonts.register_font()
    path = fonts.registered_font_path()
    assert path is not None and path.name == "wqy-microhei.ttc"
    assert path.parent.name == "fonts" and (path.parent / "LICENSE-wqy-microhei.txt").is_file()


def test_rare_characters_have_glyphs():
    assert fonts.has_glyphs("衄瘘龋㎜≥≤℃μ□√") == {ch: True for ch in "衄瘘龋㎜≥≤℃μ□√"}


def test_frozen_bundle_is_searched_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(fonts.sys, "_MEIPASS", str(tmp_path), raising=False)
    assert fonts.resource_dirs()[0] == tmp_path / "resources"


def test_missing_fonts_give_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(fonts, "_registered_path", None)
    monkeypatch.setattr(fonts, "resource_dirs", lambda: [tmp_path])
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", (str(tmp_path / "simsun.ttc"),))
    with pytest.raises(fonts.FontMissingError, match="找不到可嵌入的中文字体"):
        fonts.register_font()


def test_system_font_is_the_fallback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    system = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    if not system.is_file():
        pytest.skip("no system WenQuanYi font")
    monkeypatch.setattr(fonts, "_registered_path", None)
    monkeypatch.setattr(fonts, "resource_dirs", lambda: [tmp_path])
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", (str(tmp_path / "simsun.ttc"), str(system)))
    assert fonts.register_font() == fonts.FONT_NAME
    assert fonts.registered_font_path() == system
