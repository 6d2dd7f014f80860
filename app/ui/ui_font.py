"""A Chinese face for the screen: the system's when it has one, else the font the app ships."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase

from app.printing.fonts import BUNDLED_FILE, resource_path

log = logging.getLogger(__name__)


def chinese_families() -> list[str]:
    """The installed font families that can write Simplified Chinese."""
    return QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)


def ensure_chinese_font(font: QFont) -> QFont:
    """`font`, falling back to the bundled face when no installed family writes Chinese.

    Clinic PCs running Windows always have one (宋体, 微软雅黑); a bare Linux install may have
    none, and every label would then show empty boxes.
    """
    if chinese_families():
        return font
    path = resource_path("fonts", BUNDLED_FILE)
    if path is None:
        log.warning("no Chinese font installed and %s is missing", BUNDLED_FILE)
        return font
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("could not load the bundled font %s", path)
        return font
    chosen = QFont(font)
    chosen.setFamilies([families[0], *font.families()])
    log.info("no Chinese font installed; using the bundled %s", families[0])
    return chosen
